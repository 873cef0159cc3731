#pragma once
/// \file
/// SHA-256 (FIPS 180-4), from OpenSSL's libcrypto: the one hash behind cell keys, config hashes,
/// reference cache keys and cache checksums. Its output is pinned by tests
/// (tests/harness/test_hash.cpp: the FIPS 180-4 examples and one key of each kind), so a
/// library change cannot silently change every key.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace specbench {

/// Incremental SHA-256: feed bytes with update(), then hex() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(const void* data, std::size_t bytes);
  void update(std::string_view text) { update(text.data(), text.size()); }
  /// The digest as 64 lower-case hex digits (big-endian byte order, as sha256sum prints it).
  std::string hex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// SHA-256 of a text, 64 lower-case hex digits.
std::string sha256_hex(std::string_view text);

}  // namespace specbench
