#include "harness/regression/benchmarks.hpp"

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "harness/regression/report.hpp"
#include "harness/regression/timing.hpp"

namespace specbench::regression {
namespace {

namespace fs = std::filesystem;

/// Google Benchmark JSON: per benchmark name, the real times of its iteration runs (repetitions).
std::map<std::string, std::vector<double>> benchmark_samples(const fs::path& p) {
  nlohmann::json j;
  try {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot open");
    j = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw InvalidArgument(p.string() + ": not a Google Benchmark JSON file (" + e.what() + ")");
  }
  if (!j.contains("benchmarks") || !j["benchmarks"].is_array())
    throw InvalidArgument(p.string() + ": not a Google Benchmark JSON file (no 'benchmarks')");
  std::map<std::string, std::vector<double>> out;
  for (const auto& b : j["benchmarks"]) {
    if (b.value("run_type", "iteration") != "iteration") continue;  // skip aggregates
    const std::string name = b.value("run_name", b.value("name", ""));
    const std::string unit = b.value("time_unit", "ns");
    const double scale = unit == "ns" ? 1e-9 : unit == "us" ? 1e-6 : unit == "ms" ? 1e-3 : 1.0;
    out[name].push_back(b.value("real_time", 0.0) * scale);
  }
  return out;
}

}  // namespace

bool is_benchmark_file(const fs::path& p) {
  return fs::is_regular_file(p) && p.extension() == ".json";
}

int compare_benchmarks(const fs::path& baseline, const fs::path& current, const CompareOptions& o,
                       std::ostream& out) {
  Report report;
  std::vector<Finding>& findings = report.findings;
  const auto base = benchmark_samples(baseline), cur = benchmark_samples(current);
  std::size_t compared = 0;
  for (const auto& [name, samples] : base) {
    const auto it = cur.find(name);
    if (it == cur.end()) {
      findings.push_back({.kind = "MISSING",
                          .category = "benchmark",
                          .subject = name,
                          .detail = "in the baseline, not in the current run"});
      continue;
    }
    ++compared;
    Finding f = compare_times(name, samples, it->second, o,
                              "build/bench/bench_specbench --benchmark_filter='^" + name +
                                  "$' --benchmark_repetitions=10");
    f.category = "benchmark";
    if (!f.kind.empty()) findings.push_back(std::move(f));
  }
  for (const auto& [name, samples] : cur)
    if (!base.count(name))
      findings.push_back({.kind = "INFO",
                          .category = "benchmark",
                          .subject = name,
                          .detail = "new benchmark (not in the baseline)"});
  report.code = verdict_of(findings);
  report.header = {{"baseline", baseline.string()}, {"current", current.string()}};
  report.summary = std::to_string(compared) + " benchmarks compared";
  print_report(report, o.format, out);
  return report.code;
}

}  // namespace specbench::regression
