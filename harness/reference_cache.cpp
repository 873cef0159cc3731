#include "harness/reference_cache.hpp"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "harness/hash.hpp"
#include "harness/results/output.hpp"

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

Reference from_json(const nlohmann::json& j) {
  Reference r;
  j.at("sigma1").get_to(r.sigma1);
  j.at("sigma1_lo").get_to(r.sigma1_lo);
  j.at("sigma1_text").get_to(r.sigma1_text);
  j.at("sigma2").get_to(r.sigma2);
  j.at("bound").get_to(r.bound);
  j.at("digits").get_to(r.digits);
  j.at("cluster_size").get_to(r.cluster_size);
  j.at("vector_radius").get_to(r.vector_radius);
  j.at("u1").get_to(r.u1);
  j.at("v1").get_to(r.v1);
  j.at("method").get_to(r.method);
  j.at("u_cluster").get_to(r.u_cluster);
  j.at("v_cluster").get_to(r.v_cluster);
  j.at("lanczos_steps").get_to(r.lanczos_steps);
  j.at("refine_iterations").get_to(r.refine_iterations);
  return r;
}

/// The cached reference at `path`, or the reason it cannot be used.
bool load(const std::filesystem::path& path, const std::string& key, std::int64_t m, std::int64_t n,
          Reference& out, std::string& why) {
  std::ifstream in(path);
  if (!in) return false;  // not cached: not an error
  try {
    const auto j = nlohmann::json::parse(in);
    if (j.at("format") != kFormat) return why = "not a reference cache entry", false;
    if (j.at("version") != kReferenceVersion) return why = "other version", false;
    if (j.at("key") != key || j.at("m") != m || j.at("n") != n)
      return why = "key or size mismatch", false;
    if (sha256_hex(j.at("reference").dump()) != j.at("checksum"))
      return why = "checksum mismatch", false;
    out = from_json(j.at("reference"));
    if (out.u1.size() != std::size_t(m) || out.v1.size() != std::size_t(n))
      return why = "vector sizes mismatch", false;
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

CachedReference cached_reference(const double* a, std::int64_t m, std::int64_t n) {
  const auto dir = reference_cache_dir();
  if (dir.empty() || m < 1 || n < 1 ||
      a == nullptr)  // invalid input: let compute_reference say why
    return {compute_reference(a, m, n), false};
  const std::string key = reference_cache_key(a, m, n);
  const auto path = dir / (key + ".json");
  CachedReference out;
  std::string why;
  if (load(path, key, m, n, out.ref, why)) {
    out.hit = true;
    return out;
  }
  if (!why.empty())
    std::cerr << "specbench: warning: reference cache entry " << path.string() << " is unusable ("
              << why << "); recomputing\n";
  out.ref = compute_reference(a, m, n);
  try {
    std::filesystem::create_directories(dir);
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

}  // namespace specbench
