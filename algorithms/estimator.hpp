#pragma once
/// \file
/// What every estimator returns, and how the caller asks for intermediate results.
///
/// An estimator computes \f$ \hat\sigma \approx \sigma_1 = \|A\|_2 \f$ with unit vectors
/// \f$ \hat u, \hat v \f$ such that \f$ \hat\sigma = \hat u^T A \hat v \f$ (up to rounding).
/// Iterative estimators whose iterates are nested (power iteration, Lanczos) report every requested
/// checkpoint of one run through an observer, so a sweep over 1..256 iterations costs one run of
/// 256. Their loops report each iteration to one IterationMonitor, which keeps the history and
/// the checkpoints out of the math. Numerical outcomes are data (Status), not exceptions.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>
#include <vector>

#include "algorithms/blas.hpp"

namespace specbench {

enum class Status {
  Converged,      ///< the estimator's stopping test held
  MaxIterations,  ///< the iteration budget ran out first (with tol = 0, the requested budget)
  Breakdown,      ///< an invariant subspace was found: the answer is exact up to rounding
};

inline std::string_view to_string(Status s) {
  switch (s) {
    case Status::Converged:
      return "converged";
    case Status::MaxIterations:
      return "max_iterations";
    case Status::Breakdown:
      return "breakdown";
  }
  return "unknown";
}

/// The estimate after one iteration, with the products spent so far.
template <class T>
struct IterationRecord {
  int iteration = 0;
  T sigma = T(0);
  long long products = 0;
};

/// The state at a checkpoint: sigma, u, v as they would be returned had the run stopped there.
/// The spans are valid only during the observer call.
template <class T>
struct Snapshot {
  int checkpoint = 0;  ///< the requested iteration count
  int iteration = 0;   ///< iterations actually done (smaller if the run stopped early)
  T sigma = T(0);
  std::span<const T> u, v;
  long long products = 0;
  Status status = Status::MaxIterations;
  /// Seconds of the run up to here as the estimator measured them (external plug-ins: without
  /// the process start); negative: the caller's own clock decides.
  double time_s = -1;
};

template <class T>
using Observer = std::function<void(const Snapshot<T>&)>;

/// Checkpoints (iteration counts) at which the observer wants a snapshot. The observer is called
/// once per checkpoint in increasing order; checkpoints beyond the iterations the run did receive
/// the final state. With no checkpoints it is called once, with the final state.
/// Which per-iteration records a run keeps in EstimateResult::history: all of them; those at
/// iterations 1, 2, 4, 8, ... and the last (log2 of the iterations + 2 records: enough to draw the
/// convergence on a log axis, in memory that does not grow with a long run); or none. A sweep
/// keeps none: its rows come from the checkpoints.
enum class History { All, Checkpoints, None };

template <class T>
struct RunControl {
  std::vector<int> checkpoints;
  Observer<T> observer;
  History history = History::All;
  /// The cell's seed (the generator handed to the estimator is seeded with it), for estimators
  /// that seed a generator of their own (plug-ins: specbench_rng::seed).
  std::uint64_t seed = 0;
  /// A given initial left vector (length m), for estimators that declare `takes_start` (torch's
  /// `weight_u`); empty: the start is drawn from the seed.
  std::span<const T> start_u;
  /// A given initial right vector (length n): the previous step's v in a drift run. Used by
  /// torch_power (parametrizations order) and by power and lanczos when `warm` is set.
  std::span<const T> start_v;
};

/// The warm start of power and lanczos: v = start_v / ||start_v|| if `warm` and a usable
/// start_v (length n, nonzero, finite) was given; otherwise v is drawn from `draw` (Gaussian).
/// Returns true if it warm-started.
template <class T, class Draw>
bool warm_or_draw(bool warm, std::span<const T> start_v, std::span<T> v, Draw&& draw) {
  if (warm && start_v.size() == v.size()) {
    const T norm = blas::nrm2(start_v);
    if (norm > T(0) && std::isfinite(norm)) {
      for (std::size_t i = 0; i < v.size(); ++i) v[i] = start_v[i] / norm;
      return true;
    }
  }
  draw();
  blas::scal(T(1) / blas::nrm2(std::span<const T>(v)), v);
  return false;
}

template <class T>
struct EstimateResult {
  T sigma = T(0);
  std::vector<T> u;  ///< unit, length m
  std::vector<T> v;  ///< unit, length n
  int iterations = 0;
  long long products = 0;  ///< products with A or A^T (a block of k columns counts k)
  Status status = Status::MaxIterations;
  std::vector<IterationRecord<T>> history;  ///< the estimate after every iteration
};

/// An estimator's state after an iteration, as its loop sees it: sigma, u, v and the status the
/// run would have if it stopped here. The spans are valid only while the monitor uses them.
template <class T>
struct Iterate {
  T sigma = T(0);
  std::span<const T> u, v;
  Status status = Status::MaxIterations;
};

/// The one hook of an estimator's loop (STYLE: "the iteration loop is only the math"). The loop
/// reports each iteration with the products spent so far and a LAZY state (a callable returning
/// an Iterate: forming u and v may cost a Ritz-vector computation); the monitor records the
/// history, decides from the caller's RunControl which iterations are checkpoints, and builds a
/// snapshot (calling the state) only at those. `finish` attaches the history to the result and
/// delivers the final state to the checkpoints the run did not reach (it stopped early, or none
/// were requested: then once). Loops call `iteration` after deciding the iteration's status, so
/// a checkpoint at the iteration that converged or broke down reports that status.
template <class T>
class IterationMonitor {
 public:
  explicit IterationMonitor(const RunControl<T>& control) : control_(control) {
    pending_ = control.checkpoints;
    std::sort(pending_.begin(), pending_.end());
    pending_.erase(std::unique(pending_.begin(), pending_.end()), pending_.end());
  }
  /// True if the caller wants a snapshot after iteration k. Only for loops whose sigma itself
  /// costs work outside the method (torch_power's parametrizations order): they form sigma for
  /// the history only where it is wanted.
  bool wants(int k) const {
    return control_.observer && next_ < pending_.size() && pending_[next_] == k;
  }
  /// True if the history keeps iteration k's record (RunControl::history). The last iteration's
  /// record is added by `finish` under History::Checkpoints.
  bool keeps(int k) const {
    switch (control_.history) {
      case History::All:
        return true;
      case History::Checkpoints:
        return k > 0 && (k & (k - 1)) == 0;
      case History::None:
        return false;
    }
    return false;
  }
  /// True if iteration k's sigma is used (kept in the history or delivered at a checkpoint). A
  /// loop whose sigma costs work beyond the method's own step (Lanczos: the largest singular value
  /// of the projected matrix, O(k) at step k) forms it only where this holds, and calls
  /// `iteration` only then; `finish` takes the final sigma from the result.
  bool records(int k) const { return keeps(k) || wants(k); }
  /// After iteration k, with estimate `sigma` and `products` products so far.
  template <class State>
  void iteration(int k, T sigma, long long products, State&& state) {
    if (keeps(k)) history_.push_back({k, sigma, products});
    if (!wants(k)) return;
    deliver(k, products, state());
  }
  /// The end of the run: `r` (sigma, u, v, iterations, products, status final) gets the history,
  /// ending with the final state's record unless History::None; every checkpoint not yet reported
  /// receives the final state.
  EstimateResult<T> finish(EstimateResult<T> r) {
    if (control_.history != History::None &&
        (history_.empty() || history_.back().iteration != r.iterations))
      history_.push_back({r.iterations, r.sigma, r.products});
    r.history = std::move(history_);
    if (!control_.observer) return r;
    const Iterate<T> last{r.sigma, r.u, r.v, r.status};
    if (pending_.empty()) {
      control_.observer(snapshot(r.iterations, r.iterations, r.products, last));
      return r;
    }
    while (next_ < pending_.size())
      control_.observer(snapshot(pending_[next_++], r.iterations, r.products, last));
    return r;
  }

 private:
  static Snapshot<T> snapshot(int checkpoint, int k, long long products, const Iterate<T>& it) {
    return Snapshot<T>{checkpoint, k, it.sigma, it.u, it.v, products, it.status};
  }
  void deliver(int k, long long products, const Iterate<T>& it) {
    while (next_ < pending_.size() && pending_[next_] <= k)
      control_.observer(snapshot(pending_[next_++], k, products, it));
  }

  const RunControl<T>& control_;
  std::vector<int> pending_;
  std::size_t next_ = 0;
  std::vector<IterationRecord<T>> history_;
};

}  // namespace specbench
