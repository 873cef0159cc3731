// `specbench compare` (regressions between two result sets), `specbench record` (a finished run
// into the SQLite history) and `specbench history` (a metric's trend over recorded runs).

#include <iostream>
#include <memory>
#include <sstream>

#include "harness/cli/commands.hpp"
#include "harness/regression/compare.hpp"
#include "harness/regression/history.hpp"
#include "harness/results/atomic_file.hpp"

namespace specbench::cli {
namespace {

struct CompareArgs {
  std::string baseline, current, out;
  CompareOptions options;
};

int cmd_compare(const CompareArgs& args) {
  // A harness error is never a regression: every failure to compare is exit 2.
  try {
    if (args.out.empty())
      return compare_results(args.baseline, args.current, args.options, std::cout);
    // --out: the whole report or nothing (AtomicFile: never through a link, fsync'ed, no
    // temporary file left on failure), unlike a shell redirection that truncates first
    std::ostringstream report;
    const int code = compare_results(args.baseline, args.current, args.options, report);
    write_file_atomic(args.out, report.str());
    return code;
  } catch (const std::exception& e) {
    std::cerr << "specbench: error: " << e.what() << "\n";
    return kExitBadInput;
  }
}

/// The timing options of compare (--timing and the statistics' thresholds).
void add_timing_options(CLI::App* cmd, CompareOptions& cmp) {
  cmd->add_option("--timing", cmp.timing,
                  "auto: judge timings only if CPU, cores, BLAS library and kernel and "
                  "--threads agree; always; never. Contended timings are never judged")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  cmd->add_option("--p-value", cmp.p_value, "Mann-Whitney significance level")
      ->capture_default_str();
  cmd->add_option("--min-ratio", cmp.min_ratio,
                  "A slowdown must exceed max(min-ratio, cv-factor * CV of the baseline)")
      ->capture_default_str();
  cmd->add_option("--cv-factor", cmp.cv_factor, "See --min-ratio")->capture_default_str();
  cmd->add_option("--global-ratio", cmp.global_ratio,
                  "A uniform slowdown above 1 + this (all cells) is a regression")
      ->capture_default_str();
  cmd->add_option("--noise", cmp.noise,
                  "IQR/median above this on either side makes a large slowdown INCONCLUSIVE")
      ->capture_default_str();
  cmd->add_option("--min-time", cmp.min_time,
                  "Cells faster than this (seconds, baseline median) get no timing verdict of "
                  "their own, only within their estimator")
      ->capture_default_str();
  cmd->add_option("--estimator-ratio", cmp.estimator_ratio,
                  "A median slowdown over an estimator's cells above 1 + this (sign test "
                  "p < 0.01) is a regression")
      ->capture_default_str();
}

struct RecordArgs {
  std::string results, db = "results/history.sqlite";
};

/// Exit 0 for a new record and for a duplicate (recording is idempotent: a CI job may record
/// the same folder again); a refused insert throws (exit 1, with SQLite's reason).
int cmd_record(const RecordArgs& args) {
  const Recorded r = record_run(args.results, args.db);
  if (r.duplicate)
    std::cerr << "already recorded as run " << r.id << " in " << args.db
              << " (the same output folder and finished_utc); nothing changed\n";
  else
    std::cerr << "recorded run " << r.id << " in " << args.db << "\n";
  return kExitSuccess;
}

struct HistoryArgs {
  std::string db = "results/history.sqlite";
  HistoryOptions options;
};

}  // namespace

Command add_compare(CLI::App& app) {
  auto args = std::make_shared<CompareArgs>();
  CompareOptions& cmp = args->options;
  auto* cmd =
      app.add_subcommand("compare",
                         "Regressions between a baseline and a current result set (exit 0 pass, 1 "
                         "regression, 3 inconclusive, 2 usage or harness error)");
  cmd->add_option("baseline", args->baseline, "Baseline: sweep output directory or benchmark JSON")
      ->required();
  cmd->add_option("current", args->current, "Current: the same kind")->required();
  cmd->add_option("--format", cmp.format, "text, markdown or json")->capture_default_str();
  cmd->add_option("--out", args->out,
                  "Write the report to FILE (atomically: complete or absent) instead of stdout");
  cmd->add_option("--ulps", cmp.ulps,
                  "Smallest accuracy tolerance, in ulps of the value (the rounding-noise rules "
                  "allow more where theory says a change of rounding order can cause more)")
      ->capture_default_str();
  cmd->add_flag("--exact", cmp.exact,
                "Bit-for-bit: any change of an accuracy column fails (same machine, "
                "same BLAS)");
  add_timing_options(cmd, cmp);
  return {cmd, [args] { return cmd_compare(*args); }};
}

Command add_record(CLI::App& app) {
  auto args = std::make_shared<RecordArgs>();
  auto* cmd = app.add_subcommand(
      "record",
      "Store a finished run (provenance, summary rows) in the SQLite history (exit 0 recorded "
      "or already recorded, 1 the database refused it, 2 bad input)");
  cmd->add_option("results", args->results, "Result directory (meta.json, summary.csv)")
      ->required();
  cmd->add_option("--db", args->db, "History database")->capture_default_str();
  return {cmd, [args] { return cmd_record(*args); }};
}

Command add_history(CLI::App& app) {
  auto args = std::make_shared<HistoryArgs>();
  HistoryOptions& hist = args->options;
  auto* cmd = app.add_subcommand(
      "history",
      "Trend of a summary metric over recorded runs, with persistent steps flagged (exit 0 no "
      "step, 1 a step flagged, 2 usage or database error)");
  cmd->add_option("--db", args->db, "History database")->capture_default_str();
  cmd->add_option("--metric", hist.metric, "A summary.csv column")->capture_default_str();
  cmd->add_option("--cell", hist.filter,
                  "Only keys (estimator|params|family|size|precision|step) containing this");
  cmd->add_option("--threshold", hist.threshold, "Relative change that counts as a step")
      ->capture_default_str();
  cmd->add_option("--persist", hist.persist, "Runs that must stay at the new level")
      ->capture_default_str();
  cmd->add_option("--format", hist.format, "text or json")
      ->check(CLI::IsMember(text_or_json()))
      ->capture_default_str();
  // Like compare's REGRESSION: a CI job fails when a persistent step is flagged.
  return {cmd, [args] {
            const int steps = print_history(args->db, args->options, std::cout);
            return steps > 0 ? kExitFailure : kExitSuccess;
          }};
}

}  // namespace specbench::cli
