// `specbench run --dry-run` and `--explain CELL`: the plan described, with a cost model.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <ostream>

#include "core/error.hpp"
#include "harness/shell.hpp"
#include "harness/sweep/plan.hpp"
#include "harness/sweep/sweep.hpp"
#include "harness/workloads/mtx.hpp"

namespace specbench {
namespace {

/// What the cost model needs of a matrix: its size, the entries a product reads (m n for
/// dense storage), and whether it exists only as CSR (its reference is the sparse one).
struct Shape {
  double m = 1000, n = 1000, entries = 1e6;
  bool sparse_only = false;
};

/// The matrix's shape from its parameters; a file's from its size line (read again here: the
/// config reader has parsed the file already). The sparse families' entry counts are exact
/// (Laplacians, banded) or expected (sprand).
Shape shape_of(const MatrixSpec& spec) {
  const ParamSet& mp = spec.params;
  Shape s;
  if (spec.family == "laplace2d" || spec.family == "laplace3d") {
    const double g = double(mp.get_int("n")), d = spec.family == "laplace2d" ? 2 : 3;
    s.m = s.n = std::pow(g, d);
    s.entries = (2 * d + 1) * s.m - 2 * d * std::pow(g, d - 1);
    s.sparse_only = true;
  } else if (spec.family == "sprand") {
    s.m = double(mp.get_int("m"));
    s.n = double(mp.get_int("n"));
    s.entries = s.m * s.n * mp.get_real("density");
    s.sparse_only = true;
  } else if (spec.family == "banded") {
    const double n = double(mp.get_int("n")), b = double(mp.get_int("bandwidth"));
    s.m = s.n = n;
    s.entries = n * (2 * b + 1) - b * (b + 1);
    s.sparse_only = true;
  } else if (spec.family == "mtx") {
    try {
      const MtxSize z = read_matrix_market_size(spec.file.string());
      s.m = double(z.m);
      s.n = double(z.n);
      s.sparse_only = z.coordinate && z.m > kMaxDenseEntries / z.n;
      // CSR (the sparse-storage rule: at most a third nonzero) streams its entries, else dense
      s.entries =
          z.coordinate && 3 * double(z.entries) <= s.m * s.n ? double(z.entries) : s.m * s.n;
    } catch (const std::exception&) {
      // unreadable now: its cells become error rows when reached; the 1000 x 1000 guess stays
    }
  } else if (mp.has("m") && mp.has("n")) {
    s.m = double(mp.get_int("m"));
    s.n = double(mp.get_int("n"));
    s.entries = s.m * s.n;
  } else if (mp.has("out") && mp.has("in")) {
    s.m = double(mp.get_int("out"));
    s.n =
        double(mp.get_int("in")) * (mp.has("kh") ? double(mp.get_int("kh") * mp.get_int("kw")) : 1);
    s.entries = s.m * s.n;
  } else if (mp.has("n")) {  // kahan
    s.m = s.n = double(mp.get_int("n"));
    s.entries = s.m * s.n;
  }
  return s;
}

/// The work left, in flops: products with the matrix (2 flops per entry read; how many, the
/// registry says) for the iteration count, and the dense reference (~ 4 m n min(m, n)) once per
/// matrix and precision. A sparse reference's cost depends on its factor's fill, which only
/// CHOLMOD's analysis knows: those are counted, not estimated.
struct Work {
  double estimators = 0, references = 0;
  int sparse_references = 0;
};

Work estimate_work(const SweepPlan& plan, const std::vector<std::size_t>& runs) {
  Work work;
  std::map<std::string, double> ref_flops;
  std::map<std::string, Shape> shapes;
  for (std::size_t r : runs) {
    const RunSpec& run = plan.runs[r];
    const auto& p = run.estimator.params;
    const std::string& it = run.estimator.info->iteration_param;
    // A nested run goes to its largest checkpoint (the iteration parameter is set to it).
    double count = it.empty() ? 1.0 : double(p.get_int(it));
    if (!run.checkpoints.empty())
      count = double(*std::max_element(run.checkpoints.begin(), run.checkpoints.end()));
    const std::string& text = plan.matrices[run.matrix].text;
    if (!shapes.count(text)) shapes[text] = shape_of(plan.matrices[run.matrix]);
    const Shape& s = shapes[text];
    const double steps = double(std::max(1, run.drift.steps + 1));
    const auto& products = run.estimator.info->products;
    work.estimators += steps * 2 * s.entries * (products ? products(p, count) : 2 * count);
    ref_flops[text + std::string(to_string(run.precision))] =
        s.sparse_only ? -1.0 : steps * 4 * s.m * s.n * std::min(s.m, s.n);
  }
  for (const auto& [k, f] : ref_flops) {
    if (f < 0)
      ++work.sparse_references;
    else
      work.references += f;
  }
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
      << work.references / 1e9 << " Gflop in references (cached references cost nothing)";
  if (work.sparse_references > 0)
    out << ", plus " << work.sparse_references
        << " sparse reference(s) whose cost depends on their Cholesky fill";
  out << "\n";
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
