#include "harness/theory/check.hpp"

#include <toml++/toml.h>

#include <iomanip>
#include <sstream>

#include "core/error.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/theory/theorems.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench {
namespace {

using namespace theory;

/// Reads `key` as a list of strings / integers / reals from a table, or the default.
std::vector<std::string> strings(const toml::table& t, const char* key) {
  std::vector<std::string> out;
  if (const auto* arr = t[key].as_array())
    for (const auto& v : *arr)
      if (auto s = v.value<std::string>()) out.push_back(*s);
  return out;
}
std::vector<long long> integers(const toml::table& t, const char* key,
                                std::vector<long long> fallback) {
  const auto* arr = t[key].as_array();
  if (!arr) return fallback;
  std::vector<long long> out;
  for (const auto& v : *arr)
    if (auto i = v.value<long long>()) out.push_back(*i);
  return out;
}

/// What every section of the config needs: where matrix files are relative to, the targets,
/// and where each result goes (printed as it finishes).
struct Runner {
  const std::filesystem::path& config;
  const CheckTargets& targets;
  std::ostream& out;
  std::vector<CheckResult> results;

  void report(CheckResult r) {
    out << (r.pass ? "PASS  " : "FAIL  ") << std::left << std::setw(26) << r.name << r.subject
        << "\n      " << r.trials << " trials; " << r.detail << "\n"
        << std::flush;
    results.push_back(std::move(r));
  }
  /// Matrix files named in the config are relative to the config's folder.
  std::string resolve(const std::string& m) const {
    return command_spec(parse_matrix_spec(m, config.parent_path()));
  }
};

/// The checks run to the checkpoints they list: the estimator's iteration parameter (from the
/// registry) is set to 1, and the checkpoints take it from there.
std::string with_iterations(const std::string& estimator) {
  const auto choice = parse_estimator_spec(estimator);
  const std::string& it = choice.info->iteration_param;
  SPECBENCH_REQUIRE(!it.empty(), "check: estimator '", choice.info->name,
                    "' has no iteration parameter");
  return estimator + (estimator.find(':') == std::string::npos ? ":" : ",") + it + "=1";
}

std::vector<int> as_ints(const std::vector<long long>& v) {
  return std::vector<int>(v.begin(), v.end());
}

/// An integer setting of a section, or the default.
int count(const toml::table& s, const char* key, long long fallback) {
  return int(s.get(key) ? s.get(key)->value_or(fallback) : fallback);
}

void power_section(const toml::table& s, Runner& run) {
  const int seeds = count(s, "seeds", 20);
  const auto ks = as_ints(integers(s, "iterations", {1, 2, 5, 10, 20}));
  for (const auto& m : strings(s, "matrices"))
    run.report(power_rate(run.resolve(m), seeds, ks, with_iterations(run.targets.power)));
}

void lanczos_section(const toml::table& s, Runner& run) {
  const int seeds = count(s, "seeds", 20);
  const auto ks = as_ints(integers(s, "steps", {2, 4, 8}));
  for (const auto& m : strings(s, "matrices"))
    run.report(lanczos_kps(run.resolve(m), seeds, ks, with_iterations(run.targets.lanczos)));
}

void kuczynski_section(const toml::table& s, Runner& run) {
  const int trials = count(s, "trials", 100);
  for (const auto& spectrum : strings(s, "spectra"))
    for (long long n : integers(s, "n", {1000}))
      for (long long k : integers(s, "steps", {4, 8}))
        run.report(kuczynski(spectrum, n, int(k), trials, run.targets.lanczos));
}

void hmt_section(const toml::table& s, Runner& run) {
  const int trials = count(s, "trials", 2000);
  for (const auto& m : strings(s, "matrices"))
    for (long long rv : integers(s, "r", {1, 2, 3}))
      run.report(hmt(run.resolve(m), int(rv), trials, run.targets.hmt_factor));
}

toml::table parse_config(const std::filesystem::path& config) {
  try {
    return toml::parse_file(config.string());
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << config.string() << ":" << e.source().begin.line << ": " << e.description();
    throw InvalidArgument(msg.str());
  }
}

}  // namespace

std::vector<CheckResult> run_checks(const std::filesystem::path& config, std::ostream& out,
                                    const CheckTargets& targets) {
  const toml::table t = parse_config(config);
  Runner run{.config = config, .targets = targets, .out = out};
  if (const auto* s = t["power"].as_table()) power_section(*s, run);
  if (const auto* s = t["lanczos"].as_table()) lanczos_section(*s, run);
  if (const auto* s = t["kuczynski"].as_table()) kuczynski_section(*s, run);
  if (const auto* s = t["hmt"].as_table()) hmt_section(*s, run);
  if (const auto* s = t["reference"].as_table())
    run.report(reference_containment(integers(*s, "n", {10, 100}), targets.reference_shift));
  SPECBENCH_REQUIRE(!run.results.empty(), config.string(),
                    ": no checks (expected tables [power], [lanczos], [kuczynski], [hmt], "
                    "[reference])");
  return run.results;
}

}  // namespace specbench
