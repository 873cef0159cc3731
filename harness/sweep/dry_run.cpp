// `specbench run --dry-run` and `--explain CELL`: the plan described, with a cost model.
#include <algorithm>
#include <iomanip>
#include <map>
#include <ostream>

#include "core/error.hpp"
#include "harness/shell.hpp"
#include "harness/sweep/plan.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench {
namespace {

/// The matrix's size from its parameters (files: unknown until read; assumed 1000 x 1000).
std::pair<double, double> assumed_size(const MatrixSpec& spec) {
  const ParamSet& mp = spec.params;
  if (mp.has("m") && mp.has("n")) return {double(mp.get_int("m")), double(mp.get_int("n"))};
  if (mp.has("out") && mp.has("in"))
    return {double(mp.get_int("out")),
            double(mp.get_int("in")) *
                (mp.has("kh") ? double(mp.get_int("kh") * mp.get_int("kw")) : 1)};
  return {1000, 1000};
}

/// The work left, in flops: products with the matrix (2 m n flops each; how many, the registry
/// says) for the iteration count, and the reference (~ 4 m n min(m, n)) once per matrix and
/// precision.
struct Work {
  double estimators = 0, references = 0;
};

Work estimate_work(const SweepPlan& plan, const std::vector<std::size_t>& runs) {
  Work work;
  std::map<std::string, double> ref_flops;
  for (std::size_t r : runs) {
    const RunSpec& run = plan.runs[r];
    const auto& p = run.estimator.params;
    const std::string& it = run.estimator.info->iteration_param;
    // A nested run goes to its largest checkpoint (the iteration parameter is set to it).
    double count = it.empty() ? 1.0 : double(p.get_int(it));
    if (!run.checkpoints.empty())
      count = double(*std::max_element(run.checkpoints.begin(), run.checkpoints.end()));
    const auto [m, n] = assumed_size(plan.matrices[run.matrix]);
    const double steps = double(std::max(1, run.drift.steps + 1));
    const auto& products = run.estimator.info->products;
    work.estimators += steps * 2 * m * n * (products ? products(p, count) : 2 * count);
    ref_flops[plan.matrices[run.matrix].text + std::string(to_string(run.precision))] =
        steps * 4 * m * n * std::min(m, n);
  }
  for (const auto& [k, f] : ref_flops) work.references += f;
  return work;
}

/// One line of the cell list.
void print_cell(const SweepPlan& plan, const RunSpec& run, bool done, std::ostream& out) {
  out << "  " << run.cell << "  " << (done ? "done" : "todo") << "  "
      << plan.matrices[run.matrix].text << "  " << to_string(run.precision) << "  "
      << run.estimator.info->name << ":" << run.estimator.params.to_string() << "  seed "
      << run.seed;
  if (!run.checkpoints.empty()) {
    out << "  checkpoints";
    for (int c : run.checkpoints) out << " " << c;
  }
  if (run.drift.steps > 0) out << "  drift steps=" << run.drift.steps << " eta=" << run.drift.eta;
  out << "\n";
}

}  // namespace

void describe_plan(const SweepPlan& plan, const ResumeState& state, const SweepOptions& options,
                   std::ostream& out) {
  std::vector<std::size_t> mine, todo;
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    if (!in_shard(r, options)) continue;
    mine.push_back(r);
    if (!state.done[r]) todo.push_back(r);
  }
  const std::size_t done = mine.size() - todo.size();
  const Work work = estimate_work(plan, todo);
  out << "sweep '" << plan.name << "': " << plan.matrices.size() << " matrices, "
      << plan.runs.size() << " cells, " << plan.rows << " rows\n";
  out << "output: " << options.output.string() << "\n";
  if (options.shards > 1)
    out << "shard " << options.shard << "/" << options.shards << ": " << mine.size() << " cells\n";
  out << "done: " << done << " of " << mine.size() << " cells"
      << (state.exists ? "" : " (no output yet)") << "; to run: " << todo.size() << "\n";
  out << "work: ~" << std::setprecision(3) << work.estimators / 1e9 << " Gflop in estimators, ~"
      << work.references / 1e9 << " Gflop in references (cached references cost nothing)\n";
  out << "cells (cell key, status, matrix, precision, estimator, seed):\n";
  for (std::size_t r : mine) print_cell(plan, plan.runs[r], state.done[r], out);
}

void explain_cell(const SweepPlan& plan, const std::string& cell, std::ostream& out) {
  const auto it = std::find_if(plan.runs.begin(), plan.runs.end(),
                               [&](const RunSpec& run) { return run.cell == cell; });
  if (it == plan.runs.end())
    throw InvalidArgument("no cell '" + cell + "' in this config (see --dry-run for the cells)");
  const RunSpec& run = *it;
  const auto& spec = plan.matrices[run.matrix];
  out << "cell " << cell << ": " << spec.text << ", " << to_string(run.precision) << ", "
      << run.estimator.info->name << ":" << run.estimator.params.to_string() << ", seed "
      << run.seed << ", " << run.rows << " row(s)";
  // The iteration parameter above is the estimator's default: a nested run goes to its
  // checkpoints instead (the commands below set it).
  if (!run.checkpoints.empty()) {
    out << ", checkpoints";
    for (int c : unique_checkpoints(run.checkpoints)) out << " " << c;
  }
  out << "\n";
  if (run.estimator.info->origin != "built-in") {  // `estimate` knows the linked estimators only
    out << "an external estimator (" << run.estimator.info->origin
        << "): its rows are reproduced by the sweep itself, `specbench run "
        << shell_quote(plan.config_path.string()) << "`\n";
    return;
  }
  if (run.drift.steps > 0) {
    out << "a drift run (steps=" << run.drift.steps << ", eta=" << run.drift.eta
        << "): its matrices W_t exist only inside the sweep; step 0 is reproduced by\n";
  } else {
    out << "reproduce each row with:\n";
  }
  std::vector<int> counts = unique_checkpoints(run.checkpoints);
  if (counts.empty()) counts.push_back(0);
  for (int c : counts) {
    ParamSet p = run.estimator.params;
    if (c > 0) p.set(run.estimator.info->iteration_param, static_cast<long long>(c));
    // Every value shell-quoted: a file name may hold quotes, spaces or $(...) (harness/shell.hpp).
    const std::string estimator = run.estimator.info->name + ":" + p.to_string();
    out << "  specbench estimate --matrix " << shell_quote(command_spec(spec)) << " --estimator "
        << shell_quote(estimator) << " --precision " << shell_quote(to_string(run.precision))
        << " --seed " << run.seed << "\n";
    if (run.drift.steps > 0) break;
  }
}

}  // namespace specbench
