#include "harness/sweep/drift.hpp"

#include <exception>
#include <optional>
#include <stdexcept>
#include <string>

namespace specbench {
namespace {

/// W_0 = the matrix, W_t = drift_step(W_{t-1}): the problem of the current step, or why it could
/// not be built (then no later step is built either).
class Trajectory {
 public:
  Trajectory(const MatrixSpec& spec, Precision precision, const Drift& drift, ResultSinks& sinks)
      : spec_(spec), precision_(precision), drift_(drift), rng_(drift.seed), sinks_(sinks) {
    load(0);
  }
  /// Moves to `step` (>= 1).
  void advance(int step) {
    if (!error_.empty()) return;
    drift_step(w_, drift_.eta, rng_);
    load(step);
  }
  /// The step's problem; throws the error that prevented it.
  const Problem& problem() const {
    if (!problem_) throw std::runtime_error(error_);
    return *problem_;
  }

 private:
  void load(int step) {
    problem_.reset();
    try {
      if (step == 0) w_ = make_matrix(spec_, "a drift block");
      problem_ = make_problem(spec_, w_, precision_);
      sinks_.reference(*problem_, step);
    } catch (const std::exception& e) {
      error_ = e.what();
    }
  }
  const MatrixSpec& spec_;
  Precision precision_;
  Drift drift_;
  Rng rng_;
  ResultSinks& sinks_;
  DenseMatrix<double> w_;
  std::optional<Problem> problem_;
  std::string error_;
};

/// What a run carries from one step to the next.
struct WarmStart {
  std::vector<double> u, v;
};

/// One run's row at the trajectory's current step, its state updated.
Row step_row(const Trajectory& trajectory, const RunSpec& run, const MatrixSpec& spec,
             WarmStart& state, int threads) {
  try {
    const bool takes_u = run.estimator.info->takes_start;
    Row row = run_estimator(trajectory.problem(), run.estimator, run.seed, {}, true,
                            takes_u ? state.u : std::vector<double>{}, state.v, threads)
                  .rows.front();
    state.u = row.u;
    state.v = row.v;
    row.u.clear();
    row.v.clear();
    return row;
  } catch (const std::exception& e) {
    return failed_row(spec, run.precision, run.estimator, run.seed, e.what());
  }
}

}  // namespace

void drift_step(DenseMatrix<double>& w, double eta, Rng& rng) {
  DenseMatrix<double> g(w.rows(), w.cols());
  fill_gaussian<double>(rng, g.values());
  const double norm_w = blas::nrm2(std::span<const double>(w.values()));
  const double norm_g = blas::nrm2(std::span<const double>(g.values()));
  if (norm_g == 0) return;
  blas::axpy(eta * norm_w / norm_g, std::span<const double>(g.values()), w.values());
}

CellRows run_drift_group(const SweepPlan& plan, const std::vector<std::size_t>& runs, int threads,
                         ResultSinks& sinks) {
  const RunSpec& first = plan.runs[runs.front()];
  const MatrixSpec& spec = plan.matrices[first.matrix];
  Trajectory trajectory(spec, first.precision, first.drift, sinks);
  std::vector<WarmStart> states(runs.size());
  CellRows out;
  for (int step = 0; step <= first.drift.steps; ++step) {
    if (step > 0) trajectory.advance(step);
    for (std::size_t k = 0; k < runs.size(); ++k) {
      Row row = step_row(trajectory, plan.runs[runs[k]], spec, states[k], threads);
      row.step = step;
      out[runs[k]].push_back(std::move(row));
    }
  }
  return out;
}

}  // namespace specbench
