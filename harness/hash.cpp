#include "harness/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace specbench {

struct Sha256::State {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : state_(std::make_unique<State>()) {
  state_->ctx = EVP_MD_CTX_new();
  if (state_->ctx == nullptr || EVP_DigestInit_ex(state_->ctx, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("OpenSSL: cannot initialize SHA-256");
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(state_->ctx);
}

void Sha256::update(const void* data, std::size_t bytes) {
  if (bytes > 0 && EVP_DigestUpdate(state_->ctx, data, bytes) != 1)
    throw std::runtime_error("OpenSSL: SHA-256 update failed");
}

std::string Sha256::hex() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(state_->ctx, digest, &length) != 1 || length != 32)
    throw std::runtime_error("OpenSSL: SHA-256 final failed");
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * length, '0');
  for (unsigned int k = 0; k < length; ++k) {
    out[2 * k] = kDigits[digest[k] >> 4];
    out[2 * k + 1] = kDigits[digest[k] & 15];
  }
  return out;
}

std::string sha256_hex(std::string_view text) {
  Sha256 h;
  h.update(text);
  return h.hex();
}

}  // namespace specbench
