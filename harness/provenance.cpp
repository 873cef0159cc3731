#include "harness/provenance.hpp"

#include <cblas.h>
#include <unistd.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>

#include "harness/build_info.hpp"
#include "harness/plugins/shared_library.hpp"

namespace specbench {
namespace {

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(" \t", colon + 1));
    }
  }
  return "unknown";
}

std::string hostname() {
  char buf[256] = {};
  return gethostname(buf, sizeof buf - 1) == 0 ? std::string(buf) : "unknown";
}

}  // namespace

void set_blas_threads(int threads) {
  openblas_set_num_threads(threads);
}

std::string utc_now() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json provenance() {
  using namespace build_info;
  nlohmann::json p = {
      {"specbench_version", kVersion},
      {"git_commit", kGitCommit},
      {"git_dirty", kGitDirty},
      {"compiler", std::string(kCompilerId) + " " + kCompilerVersion},
      {"build_type", kBuildType},
      {"cxx_flags", kCxxFlags},
      {"blas", openblas_get_config()},
      {"blas_threads", openblas_get_num_threads()},
      {"cpu", cpu_model()},
      {"cores", std::thread::hardware_concurrency()},
      {"hostname", hostname()},
      {"time_utc", utc_now()},
  };
  // Shared-library plug-ins loaded by this process: what ran is part of the result's provenance.
  for (const auto& plugin : loaded_plugins())
    p["plugins"].push_back({{"path", plugin.path},
                            {"name", plugin.name},
                            {"sha256", plugin.sha256},
                            {"estimators", plugin.estimators}});
  return p;
}

}  // namespace specbench
