#include "harness/reference_cache.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/memory.hpp"
#include "harness/hash.hpp"
#include "harness/reference_check.hpp"
#include "harness/results/atomic_file.hpp"
#include "reference/sparse_reference.hpp"

namespace specbench {
namespace {

constexpr const char* kFormat = "specbench-reference-cache";

nlohmann::json to_json(const Reference& r) {
  return {{"sigma1", r.sigma1},
          {"sigma1_lo", r.sigma1_lo},
          {"sigma1_text", r.sigma1_text},
          {"sigma2", r.sigma2},
          {"bound", r.bound},
          {"digits", r.digits},
          {"cluster_size", r.cluster_size},
          {"vector_radius", r.vector_radius},
          {"u1", r.u1},
          {"v1", r.v1},
          {"method", r.method},
          {"u_cluster", r.u_cluster},
          {"v_cluster", r.v_cluster},
          {"lanczos_steps", r.lanczos_steps},
          {"refine_iterations", r.refine_iterations}};
}

/// The largest entry an m x n matrix can have: every number of the reference (u1, v1 and the
/// cluster bases, at most (m + n)(1 + min(m, n)) of them) at 40 characters (a double in JSON
/// takes at most 24), plus 64 KiB for the rest. A larger file is not read at all.
std::size_t size_limit(std::int64_t m, std::int64_t n) {
  const double numbers = double(m + n) * double(1 + std::min(m, n));
  return std::size_t(std::min(numbers * 40 + 65536.0, 1e15));
}

/// The cached reference at `path`, or the reason it cannot be used ("" and false: not cached).
/// Only a regular file is opened, never through a symbolic link, never blocking on a FIFO.
bool load(const std::filesystem::path& path, const std::string& key, std::int64_t m, std::int64_t n,
          const std::function<std::string(const Reference&)>& against, Reference& out,
          std::string& why) {
  const int fd = open_regular_file(path, /*follow_links=*/false, why);
  if (fd < 0) return false;  // why is "" if there is no entry: not an error
  try {
    std::string text;
    try {
      text = read_all(fd, path, size_limit(m, n));
    } catch (...) {
      ::close(fd);
      throw;
    }
    ::close(fd);
    const auto j = nlohmann::json::parse(text);
    if (!j.is_object() || j.value("format", "") != kFormat)
      return why = "not a reference cache entry", false;
    if (j.at("version") != kReferenceVersion) return why = "other version", false;
    if (j.at("key") != key || j.at("m") != m || j.at("n") != n)
      return why = "key or size mismatch", false;
    if (!j.at("checksum").is_string() || sha256_hex(j.at("reference").dump()) != j["checksum"])
      return why = "checksum mismatch", false;
    // The checksum catches damage, not edits (anyone can recompute it): every field is checked,
    // then the invariants against the matrix itself (reference_check.hpp).
    Reference r;
    why = reference_from_json(j["reference"], r);
    if (why.empty()) why = validate_reference(r, m, n);
    if (why.empty()) why = against(r);
    if (!why.empty()) return false;
    out = std::move(r);
    return true;
  } catch (const std::exception& e) {
    why = e.what();
    return false;
  }
}

}  // namespace

std::filesystem::path reference_cache_dir() {
  if (const char* dir = std::getenv("SPECBENCH_CACHE_DIR"))
    return std::string(dir) == "off" ? std::filesystem::path() : std::filesystem::path(dir);
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
    return std::filesystem::path(xdg) / "specbench" / "reference";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::filesystem::path(home) / ".cache" / "specbench" / "reference";
  return {};
}

std::string reference_cache_key(const double* a, std::int64_t m, std::int64_t n) {
  Sha256 h;
  h.update(std::string(kReferenceVersion) + "|" + std::to_string(m) + "x" + std::to_string(n) +
           "|");
  // The bytes of the doubles: the key is the exact contents (x86-64 and AArch64 are both
  // little-endian IEEE 754, so keys are portable between them).
  h.update(a, std::size_t(m) * std::size_t(n) * sizeof(double));
  return h.hex();
}

namespace {

/// The cache around `compute`: the entry KEY.json if it holds and passes `against`, else
/// compute() written as the new entry.
CachedReference through_cache(const std::string& key, std::int64_t m, std::int64_t n,
                              const std::function<std::string(const Reference&)>& against,
                              const std::function<Reference()>& compute) {
  const auto dir = reference_cache_dir();
  if (dir.empty()) return {compute(), false};
  const auto path = dir / (key + ".json");
  CachedReference out;
  std::string why;
  if (load(path, key, m, n, against, out.ref, why)) {
    out.hit = true;
    return out;
  }
  if (!why.empty())
    std::cerr << "specbench: warning: reference cache entry " << path.string() << " is unusable ("
              << why << "); recomputing\n";
  out.ref = compute();
  try {
    std::filesystem::create_directories(dir);
    // KEY.json.tmp.RANDOM left by a writer killed mid-write: 10 minutes old means gone (a write
    // takes milliseconds); a concurrent writer of the same key is younger and kept.
    remove_stale_temporaries(dir, {path.filename().string()}, std::chrono::minutes(10));
    const auto body = to_json(out.ref);
    const nlohmann::json entry = {{"format", kFormat},
                                  {"version", kReferenceVersion},
                                  {"key", key},
                                  {"m", m},
                                  {"n", n},
                                  {"checksum", sha256_hex(body.dump())},
                                  {"reference", body}};
    write_file_atomic(path, entry.dump() + "\n");
  } catch (const std::exception& e) {
    std::cerr << "specbench: warning: cannot write the reference cache " << path.string() << ": "
              << e.what() << "\n";
  }
  return out;
}

}  // namespace

CachedReference cached_reference(const double* a, std::int64_t m, std::int64_t n) {
  if (m < 1 || n < 1 || a == nullptr)  // invalid input: let compute_reference say why
    return {compute_reference(a, m, n), false};
  return through_cache(
      reference_cache_key(a, m, n), m, n,
      [&](const Reference& r) { return check_reference_against(r, a, m, n); },
      [&] { return compute_reference(a, m, n); });
}

std::string sparse_reference_cache_key(const CsrMatrix<double>& a) {
  Sha256 h;
  h.update(std::string(kReferenceVersion) + "|sparse|" + std::to_string(a.rows()) + "x" +
           std::to_string(a.cols()) + "|" + std::to_string(a.nonZeros()) + "|");
  h.update(a.outerIndexPtr(), std::size_t(a.rows() + 1) * sizeof(std::int64_t));
  h.update(a.innerIndexPtr(), std::size_t(a.nonZeros()) * sizeof(std::int64_t));
  h.update(a.valuePtr(), std::size_t(a.nonZeros()) * sizeof(double));
  return h.hex();
}

CachedReference cached_sparse_reference(const CsrMatrix<double>& a) {
  const reference_detail::CsrView view{a.rows(), a.cols(), a.outerIndexPtr(), a.innerIndexPtr(),
                                       a.valuePtr()};
  // The factor may use half the machine's memory (CHOLMOD's analysis predicts it first).
  const double budget = physical_memory_bytes() / 2;
  return through_cache(
      sparse_reference_cache_key(a), a.rows(), a.cols(),
      [&](const Reference& r) { return check_sparse_reference_against(r, a); },
      [&] { return reference_detail::compute_sparse_reference(view, budget); });
}

}  // namespace specbench
