#include "harness/plugins/plugin_run.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include "algorithms/blas.hpp"

namespace specbench {
namespace {

/// Everything one run's callbacks need. A callback never lets an exception cross the C
/// boundary: the first failure is kept in `error` (and a product's output is set to NaN, so
/// that a plug-in ignoring it cannot produce a plausible number) and thrown after the run.
template <class T>
struct RunState {
  const CountingOperator<Operator<T>>* a = nullptr;
  Index m = 0, n = 0;
  const ParamSet* params = nullptr;
  Rng* rng = nullptr;
  IterationMonitor<T>* monitor = nullptr;
  std::vector<int> checkpoints;
  int last_iteration = 0;
  std::string error;

  void fail(const std::string& why) {
    if (error.empty()) error = why;
  }
};

template <class T>
RunState<T>& state(void* context) {
  return *static_cast<RunState<T>*>(context);
}

/// Runs `f`, keeping an exception's message in the state instead of letting it cross into C.
template <class T, class F>
void guarded(void* context, F&& f, T* poison = nullptr, Index poison_size = 0) {
  auto& s = state<T>(context);
  try {
    if (s.error.empty()) {
      f(s);
      return;
    }
  } catch (const std::exception& e) {
    s.fail(e.what());
  } catch (...) {
    s.fail("unknown exception in a harness callback");
  }
  if (poison)
    for (Index i = 0; i < poison_size; ++i) poison[i] = std::numeric_limits<T>::quiet_NaN();
}

template <class T>
void op_apply(void* c, const void* x, void* y) {
  auto& s = state<T>(c);
  guarded<T>(
      c,
      [&](RunState<T>& st) {
        st.a->apply({static_cast<const T*>(x), std::size_t(st.n)},
                    {static_cast<T*>(y), std::size_t(st.m)});
      },
      static_cast<T*>(y), s.m);
}

template <class T>
void op_apply_transpose(void* c, const void* x, void* y) {
  auto& s = state<T>(c);
  guarded<T>(
      c,
      [&](RunState<T>& st) {
        st.a->apply_transpose({static_cast<const T*>(x), std::size_t(st.m)},
                              {static_cast<T*>(y), std::size_t(st.n)});
      },
      static_cast<T*>(y), s.n);
}

template <class T>
void op_apply_gram(void* c, const void* x, void* y) {
  auto& s = state<T>(c);
  guarded<T>(
      c,
      [&](RunState<T>& st) {
        st.a->apply_gram({static_cast<const T*>(x), std::size_t(st.n)},
                         {static_cast<T*>(y), std::size_t(st.n)});
      },
      static_cast<T*>(y), s.n);
}

template <class T>
void op_apply_block(void* c, std::int64_t k, const void* x, void* y) {
  auto& s = state<T>(c);
  guarded<T>(
      c,
      [&](RunState<T>& st) {
        if (k < 0) throw std::runtime_error("apply_block with k = " + std::to_string(k));
        st.a->apply_block(Index(k), static_cast<const T*>(x), static_cast<T*>(y));
      },
      static_cast<T*>(y), k > 0 ? s.m * Index(k) : 0);
}

template <class T>
void op_apply_transpose_block(void* c, std::int64_t k, const void* x, void* y) {
  auto& s = state<T>(c);
  guarded<T>(
      c,
      [&](RunState<T>& st) {
        if (k < 0) throw std::runtime_error("apply_transpose_block with k = " + std::to_string(k));
        st.a->apply_transpose_block(Index(k), static_cast<const T*>(x), static_cast<T*>(y));
      },
      static_cast<T*>(y), k > 0 ? s.n * Index(k) : 0);
}

template <class T>
int param_get_int(void* c, const char* name, std::int64_t* out) {
  const auto* p = state<T>(c).params;
  if (!name || !out || !p->has(name)) return -1;
  const auto* v = std::get_if<long long>(&p->get(name));
  if (!v) return -1;
  *out = *v;
  return 0;
}

template <class T>
int param_get_real(void* c, const char* name, double* out) {
  const auto* p = state<T>(c).params;
  if (!name || !out || !p->has(name)) return -1;
  const auto* v = std::get_if<double>(&p->get(name));
  if (!v) return -1;
  *out = *v;
  return 0;
}

template <class T>
int param_get_bool(void* c, const char* name, std::int32_t* out) {
  const auto* p = state<T>(c).params;
  if (!name || !out || !p->has(name)) return -1;
  const auto* v = std::get_if<bool>(&p->get(name));
  if (!v) return -1;
  *out = *v ? 1 : 0;
  return 0;
}

template <class T>
int param_get_string(void* c, const char* name, const char** out) {
  const auto* p = state<T>(c).params;
  if (!name || !out || !p->has(name)) return -1;
  const auto* v = std::get_if<std::string>(&p->get(name));
  if (!v) return -1;
  *out = v->c_str();
  return 0;
}

template <class T>
void rng_gaussian(void* c, std::int64_t count, double* out) {
  guarded<T>(c, [&](RunState<T>& s) {
    if (count < 0) throw std::runtime_error("gaussian with n = " + std::to_string(count));
    fill_gaussian<double>(*s.rng, std::span<double>(out, std::size_t(count)));
  });
}

template <class T>
std::uint64_t rng_next(void* c) {
  return (*state<T>(c).rng)();
}

/// A status from the plug-in, or an exception naming the value.
Status to_status(std::int32_t status, const std::string& where) {
  switch (status) {
    case SPECBENCH_CONVERGED:
      return Status::Converged;
    case SPECBENCH_MAX_ITERATIONS:
      return Status::MaxIterations;
    case SPECBENCH_BREAKDOWN:
      return Status::Breakdown;
    default:
      throw std::runtime_error(where + ": unknown status " + std::to_string(status));
  }
}

/// Checks that x (`size` entries) is a finite unit vector. A vector normalized in precision T
/// has |‖x‖ - 1| <= (size + 2) u to first order (Higham, Accuracy and Stability, Sec. 3.1:
/// the sum of squares, the square root and the division), u = eps / 2; 4 size eps allows that
/// twice over.
template <class T>
void require_unit(const T* x, Index size, const char* which, const std::string& where) {
  if (!x) throw std::runtime_error(where + ": " + which + " is NULL");
  for (Index i = 0; i < size; ++i)
    if (!std::isfinite(x[i]))
      throw std::runtime_error(where + ": " + which + "[" + std::to_string(i) + "] is not finite");
  const double norm = double(blas::nrm2(std::span<const T>(x, std::size_t(size))));
  const double tol = 4.0 * double(size + 2) * double(std::numeric_limits<T>::epsilon());
  if (!(std::abs(norm - 1.0) <= tol))
    throw std::runtime_error(where + ": " + which + " is not a unit vector (norm " +
                             std::to_string(norm) + ")");
}

template <class T>
int control_records(void* c, std::int32_t k) {
  return state<T>(c).monitor->records(k) ? 1 : 0;
}

template <class T>
int control_wants(void* c, std::int32_t k) {
  return state<T>(c).monitor->wants(k) ? 1 : 0;
}

template <class T>
void control_iteration(void* c, std::int32_t k, double sigma, const void* u, const void* v,
                       std::int32_t status) {
  guarded<T>(c, [&](RunState<T>& s) {
    const std::string where = "iteration " + std::to_string(k);
    if (k <= s.last_iteration)
      throw std::runtime_error(where + " reported after iteration " +
                               std::to_string(s.last_iteration) + " (must increase)");
    s.last_iteration = k;
    const Status st = to_status(status, where);
    const T sig = T(sigma);
    if (!std::isfinite(sig)) throw std::runtime_error(where + ": sigma is not finite");
    const T* pu = static_cast<const T*>(u);
    const T* pv = static_cast<const T*>(v);
    if (s.monitor->wants(k)) {  // a checkpoint: its vectors become a row
      require_unit(pu, s.m, "u", where);
      require_unit(pv, s.n, "v", where);
    }
    s.monitor->iteration(k, sig, s.a->products(), [&] {
      return Iterate<T>{sig, std::span<const T>(pu, std::size_t(s.m)),
                        std::span<const T>(pv, std::size_t(s.n)), st};
    });
  });
}

/// Checks what `run` returned (after `code`) and moves it into `r`; throws naming `where`.
template <class T>
void take_result(const specbench_result& c, int code, const RunState<T>& s,
                 const std::string& where, EstimateResult<T>& r) {
  const std::string message(c.message, strnlen(c.message, sizeof c.message));
  if (!s.error.empty()) throw std::runtime_error(where + ": " + s.error);
  if (code != 0 || c.status == SPECBENCH_FAILED)
    throw std::runtime_error(where + " failed" +
                             (code != 0 ? " (returned " + std::to_string(code) + ")" : "") +
                             (message.empty() ? "" : ": " + message));
  r.status = to_status(c.status, where);
  r.sigma = T(c.sigma);
  if (!std::isfinite(r.sigma) || r.sigma < 0)
    throw std::runtime_error(where + ": sigma = " + std::to_string(c.sigma) +
                             " is not a finite nonnegative number");
  if (c.iterations < 0)
    throw std::runtime_error(where + ": iterations = " + std::to_string(c.iterations));
  if (c.iterations < s.last_iteration)
    throw std::runtime_error(where + ": " + std::to_string(c.iterations) +
                             " iterations, after reporting iteration " +
                             std::to_string(s.last_iteration));
  require_unit(r.u.data(), s.m, "u", where + ": the result");
  require_unit(r.v.data(), s.n, "v", where + ": the result");
  r.iterations = c.iterations;
}

/// Calls the plug-in with the C tables of one run over `s` and returns its checked result.
template <class T>
EstimateResult<T> call(const specbench_estimator& e, RunState<T>& s, const RunControl<T>& control,
                       const std::string& where) {
  const int precision = std::is_same_v<T, float> ? SPECBENCH_F32 : SPECBENCH_F64;
  const specbench_operator c_op{&s,
                                s.m,
                                s.n,
                                precision,
                                op_apply<T>,
                                op_apply_transpose<T>,
                                op_apply_gram<T>,
                                op_apply_block<T>,
                                op_apply_transpose_block<T>};
  const specbench_params c_params{&s, param_get_int<T>, param_get_real<T>, param_get_bool<T>,
                                  param_get_string<T>};
  specbench_rng c_rng{&s, control.seed, rng_gaussian<T>, rng_next<T>};
  const bool start_u = control.start_u.size() == std::size_t(s.m);
  const bool start_v = control.start_v.size() == std::size_t(s.n);
  const specbench_control c_control{&s,
                                    s.checkpoints.data(),
                                    std::int64_t(s.checkpoints.size()),
                                    start_u ? control.start_u.data() : nullptr,
                                    start_v ? control.start_v.data() : nullptr,
                                    control_records<T>,
                                    control_wants<T>,
                                    control_iteration<T>};
  // u and v start as NaN: a plug-in that leaves an entry unwritten fails the unit check
  EstimateResult<T> r;
  r.u.assign(std::size_t(s.m), std::numeric_limits<T>::quiet_NaN());
  r.v.assign(std::size_t(s.n), std::numeric_limits<T>::quiet_NaN());
  specbench_result c_result{};
  c_result.sigma = std::numeric_limits<double>::quiet_NaN();
  c_result.u = r.u.data();
  c_result.v = r.v.data();
  c_result.status = SPECBENCH_FAILED;
  const int code = e.run(&c_op, &c_params, &c_rng, &c_control, &c_result);
  take_result(c_result, code, s, where, r);
  return r;
}

}  // namespace

template <class T>
EstimatorFn<T> plugin_run(const specbench_estimator* estimator, std::string origin) {
  return [estimator, origin](const Operator<T>& op, const ParamSet& params, Rng& rng,
                             const RunControl<T>& control) {
    const CountingOperator<Operator<T>> a(op);
    IterationMonitor<T> monitor(control);
    RunState<T> s;
    s.a = &a;
    s.m = op.rows();
    s.n = op.cols();
    s.params = &params;
    s.rng = &rng;
    s.monitor = &monitor;
    s.checkpoints = control.checkpoints;
    std::sort(s.checkpoints.begin(), s.checkpoints.end());
    s.checkpoints.erase(std::unique(s.checkpoints.begin(), s.checkpoints.end()),
                        s.checkpoints.end());
    EstimateResult<T> r =
        call(*estimator, s, control, origin + ": estimator '" + estimator->name + "'");
    r.products = a.products();
    return monitor.finish(std::move(r));
  };
}

template EstimatorFn<float> plugin_run<float>(const specbench_estimator*, std::string);
template EstimatorFn<double> plugin_run<double>(const specbench_estimator*, std::string);

}  // namespace specbench
