#include "harness/regression/environment.hpp"

#include <sstream>

namespace specbench::regression {
namespace {

/// "OpenBLAS 0.3.21 NO_LAPACKE DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64" ->
/// {"OpenBLAS 0.3.21", "Haswell"}: the library and the kernel it chose for this CPU.
std::pair<std::string, std::string> blas_parts(const std::string& config) {
  std::istringstream in(config);
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  if (words.size() < 2 || words[0] != "OpenBLAS") return {config, ""};
  std::string kernel;
  for (std::size_t k = 2; k < words.size(); ++k) {
    const std::string& w = words[k];
    if (w.starts_with("NO_") || w.starts_with("USE") || w.starts_with("MAX_") ||
        w == "DYNAMIC_ARCH" || w == "SMP" || w == "OpenMP")
      continue;
    kernel += (kernel.empty() ? "" : " ") + w;
  }
  return {words[0] + " " + words[1], kernel};
}

/// A provenance field of meta.json as text, "?" if it is not recorded.
std::string prov(const nlohmann::json& m, const char* k) {
  const auto& p = m.contains("provenance") ? m["provenance"] : nlohmann::json::object();
  if (!p.contains(k)) return std::string("?");
  return p[k].is_string() ? p[k].get<std::string>() : p[k].dump();
}

std::string commit_text(const nlohmann::json& m) {
  const std::string dirty = prov(m, "git_dirty");
  return prov(m, "git_commit").substr(0, 12) + (dirty == "true" ? " (dirty)" : " (clean)");
}

std::string timing_text(const nlohmann::json& m) {
  const std::string mode = timing_mode(m);
  std::string s = mode == "serial-phase"
                      ? "serial phase, " + std::to_string(m.value("timing_repeats", 0)) + " repeats"
                  : mode == "serial" ? "serial (jobs 1, no timing phase)"
                                     : "contended (jobs " + std::to_string(m.value("jobs", 0)) +
                                           ", no timing phase)";
  return s + ", threads " + std::to_string(m.value("threads", 1));
}

std::string config_text(const nlohmann::json& m) {
  return m.value("name", "?") + " (config_hash " + m.value("config_hash", "?").substr(0, 12) + ")";
}

std::string cpu_text(const nlohmann::json& m) {
  return prov(m, "cpu") + ", " + prov(m, "cores") + " cores";
}

std::string compiler_text(const nlohmann::json& m) {
  return prov(m, "compiler") + " " + prov(m, "build_type") + " " + prov(m, "cxx_flags");
}

}  // namespace

std::string timing_mode(const nlohmann::json& meta) {
  if (meta.contains("timing_mode") && meta["timing_mode"].is_string())
    return meta["timing_mode"].get<std::string>();
  const std::string t = meta.value("timing", "");
  if (t.starts_with("serial phase")) return "serial-phase";
  if (t.starts_with("contended")) return "contended";
  if (t.starts_with("serial")) return "serial";
  return meta.value("timing_repeats", 0) > 0 ? "serial-phase"
         : meta.value("jobs", 1) > 1         ? "contended"
                                             : "serial";
}

std::vector<EnvLine> environment(const nlohmann::json& b, const nlohmann::json& c) {
  const auto [bl, bk] = blas_parts(prov(b, "blas"));
  const auto [cl, ck] = blas_parts(prov(c, "blas"));
  return {
      {"git commit", commit_text(b), commit_text(c), false},
      {"BLAS library", bl, cl, true},
      {"BLAS kernel", bk, ck, true},
      {"CPU", cpu_text(b), cpu_text(c), true},
      {"compiler", compiler_text(b), compiler_text(c), false},
      {"host", prov(b, "hostname"), prov(c, "hostname"), false},
      {"config", config_text(b), config_text(c), false},
      {"timing", timing_text(b), timing_text(c), false},
  };
}

}  // namespace specbench::regression
