#include "harness/regression/compare.hpp"

#include <cmath>

#include "core/error.hpp"
#include "harness/regression/accuracy.hpp"
#include "harness/regression/benchmarks.hpp"
#include "harness/regression/environment.hpp"
#include "harness/regression/report.hpp"
#include "harness/regression/run_set.hpp"
#include "harness/regression/timing.hpp"

namespace specbench {
namespace {

namespace fs = std::filesystem;
using namespace regression;

void check_options(const CompareOptions& o) {
  SPECBENCH_REQUIRE(o.format == "text" || o.format == "markdown" || o.format == "json",
                    "--format must be text, markdown or json, got '", o.format, "'");
  SPECBENCH_REQUIRE(o.timing == "auto" || o.timing == "always" || o.timing == "never",
                    "--timing must be auto, always or never, got '", o.timing, "'");
  SPECBENCH_REQUIRE(o.p_value > 0 && o.p_value < 1, "--p-value must be in (0, 1), got ", o.p_value);
  for (const auto& [name, value] : {std::pair{"--ulps", o.ulps},
                                    {"--min-ratio", o.min_ratio},
                                    {"--cv-factor", o.cv_factor},
                                    {"--noise", o.noise},
                                    {"--estimator-ratio", o.estimator_ratio},
                                    {"--global-ratio", o.global_ratio},
                                    {"--min-time", o.min_time}})
    SPECBENCH_REQUIRE(std::isfinite(value) && value >= 0, name,
                      " must be a finite number >= 0, got ", value);
}

/// Whether the two sides are comparable at all (else InvalidArgument, exit 2): one current run,
/// no empty run, the same config.
void check_comparable(const Side& base, const Side& cur, const fs::path& current) {
  SPECBENCH_REQUIRE(cur.runs.size() == 1, "current ", current.string(),
                    " is a directory of runs: name one run directory");
  for (const Side* side : {&base, &cur})
    for (const RunDir& r : side->runs)
      SPECBENCH_REQUIRE(!r.rows.empty(), (r.dir / "runs.csv").string(),
                        ": no rows (an empty result set cannot be compared)");
  const nlohmann::json& bm = base.meta();
  const nlohmann::json& cm = cur.meta();
  SPECBENCH_REQUIRE(
      bm.value("config_hash", "") == cm.value("config_hash", ""), "current ", current.string(),
      " is a run of another config than the baseline: '", cm.value("name", "?"), "' (config_hash ",
      cm.value("config_hash", "?").substr(0, 12), ") vs '", bm.value("name", "?"), "' (",
      bm.value("config_hash", "?").substr(0, 12), "); regenerate the baseline for this config");
}

/// "PATH (a pool of N runs, R rows, status complete)".
std::string describe(const Side& s) {
  std::size_t rows = 0;
  for (const auto& r : s.runs) rows += r.rows.size();
  return s.path.string() + " (" +
         (s.runs.size() > 1 ? "a pool of " + std::to_string(s.runs.size()) + " runs, " : "") +
         std::to_string(rows) + " rows, status complete)";
}

std::string accuracy_rule(const CompareOptions& o) {
  return o.exact ? "bit-for-bit (--exact): any change of an accuracy column fails"
                 : "changes beyond the rounding-noise tolerance (at least " + fmt(o.ulps) +
                       " ulps; README 'the tolerance rules') fail; smaller errors are improvements";
}

int compare_sweeps(const fs::path& baseline, const fs::path& current, const CompareOptions& o,
                   std::ostream& out) {
  const Side base = load_side(baseline, "baseline"), cur = load_side(current, "current");
  check_comparable(base, cur, current);
  const AccuracyReport accuracy = compare_accuracy(base.runs.front(), cur.runs.front(), o);
  // Timing: judged only when both sides measured alone, on the same kind of machine.
  const TimingReport timing = compare_sweep_times(base, cur.runs.front(), o);
  Report report{.findings = accuracy.findings, .env = environment(base.meta(), cur.meta())};
  report.findings.insert(report.findings.end(), timing.findings.begin(), timing.findings.end());
  report.header = {
      {"baseline", describe(base)},        {"current", describe(cur)},
      {"accuracy_rule", accuracy_rule(o)}, {"timing_rule", timing.rule},
      {"timing_judged", timing.judged},    {"speed_factor", jnum(timing.speed_factor)}};
  report.summary = std::to_string(accuracy.compared) + " rows compared for accuracy, " +
                   std::to_string(timing.timed) + " cells (over seeds) for timing";
  report.code = verdict_of(report.findings);
  print_report(report, o.format, out);
  return report.code;
}

}  // namespace

int compare_results(const fs::path& baseline, const fs::path& current, const CompareOptions& o,
                    std::ostream& out) {
  check_options(o);
  if (is_benchmark_file(baseline) || is_benchmark_file(current))
    return compare_benchmarks(baseline, current, o, out);
  return compare_sweeps(baseline, current, o, out);
}

}  // namespace specbench
