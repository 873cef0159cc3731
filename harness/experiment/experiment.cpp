#include "harness/experiment/experiment.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>

#include "algorithms/scaled.hpp"
#include "harness/experiment/metrics.hpp"
#include "harness/reference_cache.hpp"
#include "harness/results/output.hpp"

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

/// The row's cell keys, shared by every checkpoint of a run.
Row base_row(const Problem& problem, const EstimatorChoice& choice, std::uint64_t seed) {
  Row row;
  row.matrix = problem.spec.text;
  row.family = problem.spec.family;
  row.m = problem.rows();
  row.n = problem.cols();
  row.precision = std::string(to_string(problem.precision));
  row.storage = std::string(to_string(problem.storage));
  row.estimator = choice.info->name;
  row.params = choice.params.to_string();
  row.seed = seed;
  row.sigma_ref = problem.ref.sigma1;
  row.ref_bound = problem.ref.bound;
  row.sigma2_ref = problem.ref.sigma2;
  row.cluster_size = problem.ref.cluster_size;
  row.counted_by = choice.info->self_reported ? "plugin" : "harness";
  return row;
}

std::string estimators_taking_start() {
  std::string names;
  for (const auto* e : EstimatorRegistry::instance().all())
    if (e->takes_start) names += (names.empty() ? "" : ", ") + e->name;
  return names;
}

/// A checkpoint's row: the estimate (scaled back by 2^scale), its status and metrics, and u and
/// v if kept. The caller sets time_s and, for a nested run, the checkpoint's parameters.
template <class T>
Row checkpoint_row(const Problem& problem, const Row& base, const Snapshot<T>& snap, int scale,
                   bool keep_vectors) {
  Row row = base;
  row.checkpoint = snap.checkpoint;
  row.sigma = std::ldexp(double(snap.sigma), scale);
  row.iterations = snap.iteration;
  row.matvecs = snap.products;
  row.status = run_status(snap.status);
  if (!std::isfinite(row.sigma)) mark_error(row, "the estimate is not finite");
  const Metrics m = problem.sparse_only
                        ? compute_metrics<T>(problem.s64, problem.ref, row.sigma, snap.u, snap.v)
                        : compute_metrics<T>(problem.a64, problem.ref, row.sigma, snap.u, snap.v);
  row.rel_err = m.rel_err;
  row.u_cos_err = m.u_cos_err;
  row.v_cos_err = m.v_cos_err;
  row.residual = m.residual;
  row.normalized_norm = m.normalized_norm;
  if (keep_vectors) {
    row.u.assign(snap.u.begin(), snap.u.end());
    row.v.assign(snap.v.begin(), snap.v.end());
  }
  return row;
}

/// The parameters with the iteration parameter set to `iterations`, as text.
std::string params_at(const ParamSet& params, const EstimatorInfo& info, int iterations) {
  ParamSet at = params;
  at.set(info.iteration_param, static_cast<long long>(iterations));
  return at.to_string();
}

template <class T>
RunOutput run_typed(const Problem& problem, const Operator<T>& op, const EstimatorChoice& choice,
                    std::uint64_t seed, const std::vector<int>& checkpoints, bool keep_vectors,
                    const std::vector<double>& start_u, const std::vector<double>& start_v,
                    History history) {
  const EstimatorInfo& info = *choice.info;
  ParamSet params = choice.params;
  const std::vector<T> start_vector(start_u.begin(), start_u.end());  // rounded to T
  const std::vector<T> start_right(start_v.begin(), start_v.end());
  RunControl<T> control{
      .history = history, .seed = seed, .start_u = start_vector, .start_v = start_right};
  // A nested run reports every checkpoint on the way to the largest one.
  const bool nested = info.nested && !info.iteration_param.empty() && !checkpoints.empty();
  if (nested) {
    control.checkpoints = checkpoints;
    const int last = std::max(0, *std::max_element(checkpoints.begin(), checkpoints.end()));
    params.set(info.iteration_param, static_cast<long long>(last));
  }
  const Row base = base_row(problem, choice, seed);
  RunOutput out;
  // The power-of-two scaling (algorithms/scaled.hpp): 0 for every matrix whose Gram products
  // stay in range, so that those results are untouched.
  const int scale =
      info.power_of_two_scaling ? scale_exponent<T>(problem.max_abs, op.rows(), op.cols()) : 0;

  // The estimator's clock runs except while the observer (harness work) runs.
  Clock::duration harness_time{};
  const auto start = Clock::now();
  control.observer = [&](const Snapshot<T>& snap) {
    const auto entered = Clock::now();
    Row row = checkpoint_row<T>(problem, base, snap, scale, keep_vectors);
    // An external estimator's session times its run itself (without its process start).
    row.time_s = snap.time_s >= 0 ? snap.time_s : seconds(entered - start - harness_time);
    if (nested) row.params = params_at(params, info, snap.checkpoint);
    out.rows.push_back(std::move(row));
    harness_time += Clock::now() - entered;
  };

  Rng rng(seed);
  try {
    // Extreme scales: the estimator runs on 2^-e A (exact) and sigma is scaled back.
    const EstimateResult<T> result =
        scale == 0 ? info.run<T>()(op, params, rng, control)
                   : info.run<T>()(ScaledOperator<T>(op, scale), params, rng, control);
    for (const auto& h : result.history)
      out.history.push_back({h.iteration, std::ldexp(double(h.sigma), scale), h.products});
    // Non-nested runs report their only row at the iteration parameter's value, if any.
    if (!nested && !info.iteration_param.empty() && out.rows.size() == 1)
      out.rows[0].checkpoint = params.get_int(info.iteration_param);
  } catch (const InvalidArgument&) {
    throw;
  } catch (const std::exception& e) {
    Row row = base;
    mark_error(row, e.what());
    out.rows.assign(1, row);
  }
  return out;
}

}  // namespace

void mark_error(Row& row, std::string message) {
  row.status = RunStatus::Error;
  row.message = std::move(message);
  row.sigma = row.rel_err = row.u_cos_err = row.v_cos_err = row.residual = row.normalized_norm =
      std::nan("");
}

Row failed_row(const MatrixSpec& spec, Precision precision, const EstimatorChoice& choice,
               std::uint64_t seed, std::string message) {
  Row row;
  row.matrix = spec.text;
  row.family = spec.family;
  row.precision = std::string(to_string(precision));
  row.estimator = choice.info->name;
  row.params = choice.params.to_string();
  row.seed = seed;
  mark_error(row, std::move(message));
  return row;
}

std::string_view to_string(RunStatus s) {
  switch (s) {
    case RunStatus::Converged:
      return "converged";
    case RunStatus::MaxIterations:
      return "max_iterations";
    case RunStatus::Breakdown:
      return "breakdown";
    case RunStatus::Error:
      return "error";
  }
  return "unknown";
}

bool parse_run_status(std::string_view text, RunStatus& out) {
  for (RunStatus s :
       {RunStatus::Converged, RunStatus::MaxIterations, RunStatus::Breakdown, RunStatus::Error})
    if (text == to_string(s)) {
      out = s;
      return true;
    }
  return false;
}

RunStatus run_status(Status s) {
  switch (s) {
    case Status::Converged:
      return RunStatus::Converged;
    case Status::MaxIterations:
      return RunStatus::MaxIterations;
    case Status::Breakdown:
      return RunStatus::Breakdown;
  }
  return RunStatus::Error;
}

std::string_view to_string(Precision p) {
  return p == Precision::F32 ? "f32" : "f64";
}

Precision parse_precision(std::string_view text) {
  if (text == "f32" || text == "float32" || text == "float") return Precision::F32;
  if (text == "f64" || text == "float64" || text == "double") return Precision::F64;
  throw InvalidArgument(detail::concat("unknown precision '", text, "'; accepted: f32, f64"));
}

std::string_view to_string(Storage s) {
  return s == Storage::Dense ? "dense" : "sparse";
}

bool prefers_sparse(const MatrixSpec& spec, const DenseMatrix<double>& a) {
  if (spec.family != "mtx") return false;
  Index nnz = 0;
  for (double x : a.values()) nnz += x != 0;
  // CSR streams a value and a column index per nonzero (12-16 bytes) where dense streams 8 bytes
  // per entry: sparse wins below about half the entries; a third keeps a margin for its
  // irregular access.
  return 3 * nnz <= a.rows() * a.cols();
}

Problem make_problem(const MatrixSpec& spec, const DenseMatrix<double>& generated,
                     Precision precision) {
  Problem p;
  p.spec = spec;
  p.precision = precision;
  if (precision == Precision::F32) {
    require_float_range(spec, generated);
    p.a32 = generated.convert<float>(Layout::ColMajor);
    p.a64 = p.a32.convert<double>(Layout::ColMajor);  // exact: every float is a double
  } else {
    p.a64 = generated;
  }
  for (double x : p.a64.values()) p.max_abs = std::max(p.max_abs, std::abs(x));
  const auto start = Clock::now();
  auto cached = cached_reference(p.a64.data(), p.a64.rows(), p.a64.cols());
  p.ref = std::move(cached.ref);
  if (prefers_sparse(spec, p.a64)) {
    p.storage = Storage::Sparse;
    if (precision == Precision::F32)
      p.s32 = to_csr<float>(p.a32);
    else
      p.s64 = to_csr<double>(p.a64);
  }
  p.ref_cache_hit = cached.hit;
  p.ref_time_s = seconds(Clock::now() - start);
  return p;
}

Problem make_problem(const MatrixSpec& spec, Precision precision) {
  const auto began = Clock::now();
  const bool sparse = is_sparse_only(spec);
  auto read_stats = [&](Problem& p, double seconds_read) {
    if (spec.family != "mtx") return;
    std::error_code ec;
    const auto bytes = std::filesystem::file_size(spec.file, ec);
    p.file_bytes = ec ? 0.0 : double(bytes);
    p.read_s = seconds_read;
  };
  if (!sparse) {
    DenseMatrix<double> a = make_matrix(spec);
    const double read = seconds(Clock::now() - began);
    Problem p = make_problem(spec, a, precision);
    read_stats(p, read);
    return p;
  }
  Problem p;
  p.spec = spec;
  p.precision = precision;
  p.storage = Storage::Sparse;
  p.sparse_only = true;
  p.s64 = make_sparse_matrix(spec);
  read_stats(p, seconds(Clock::now() - began));
  if (precision == Precision::F32) {  // the float-rounded matrix, exactly in double too
    require_float_range(spec, p.s64);
    p.s32 = p.s64.cast<float>();
    p.s64 = p.s32.cast<double>();
    p.s64.makeCompressed();
  }
  for (Eigen::Index k = 0; k < p.s64.nonZeros(); ++k)
    p.max_abs = std::max(p.max_abs, std::abs(p.s64.valuePtr()[k]));
  const auto start = Clock::now();
  auto cached = cached_sparse_reference(p.s64);
  p.ref = std::move(cached.ref);
  p.ref_cache_hit = cached.hit;
  p.ref_time_s = seconds(Clock::now() - start);
  return p;
}

namespace {

void require_float_value(const MatrixSpec& spec, Index i, Index j, double x) {
  constexpr double kMax = std::numeric_limits<float>::max(),
                   kMin = std::numeric_limits<float>::min();
  const double ax = std::abs(x);
  if (ax > kMax || (ax > 0 && ax < kMin))
    throw InvalidArgument(detail::concat(
        "matrix '", spec.text, "': entry (", i + 1, ", ", j + 1, ") = ", format_double(x),
        ax > kMax ? " overflows float (largest 3.4028235e+38)"
                  : " underflows float (smallest normal 1.1754944e-38)",
        ": an f32 run cannot represent it; use f64, or scale the matrix"));
}

}  // namespace

void require_float_range(const MatrixSpec& spec, const CsrMatrix<double>& a) {
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (CsrMatrix<double>::InnerIterator it(a, i); it; ++it)
      require_float_value(spec, i, it.col(), it.value());
}

void require_float_range(const MatrixSpec& spec, const DenseMatrix<double>& a) {
  for (Index j = 0; j < a.cols(); ++j)
    for (Index i = 0; i < a.rows(); ++i) require_float_value(spec, i, j, a(i, j));
}

EstimatorChoice parse_estimator_spec(std::string_view text) {
  const NamedSpec spec = parse_named_spec(text, "--estimator");
  EstimatorChoice choice;
  choice.info = &EstimatorRegistry::instance().get(spec.name, "estimator");
  choice.params = choice.info->schema.resolve(spec.params, "estimator '" + spec.name + "'");
  return choice;
}

RunOutput run_estimator(const Problem& problem, const EstimatorChoice& choice, std::uint64_t seed,
                        const std::vector<int>& checkpoints, bool keep_vectors,
                        const std::vector<double>& start_u, const std::vector<double>& start_v,
                        int threads, History history) {
  SPECBENCH_REQUIRE(threads >= 1, "--threads must be >= 1, got ", threads);
  if (!start_u.empty()) {
    SPECBENCH_REQUIRE(choice.info->takes_start, "estimator '", choice.info->name,
                      "' does not take a start vector (--start); estimators that do: ",
                      estimators_taking_start());
    SPECBENCH_REQUIRE(std::ssize(start_u) == problem.rows(), "the start vector has ",
                      start_u.size(), " entries; the matrix has ", problem.rows(), " rows");
  }
  SPECBENCH_REQUIRE(start_v.empty() || std::ssize(start_v) == problem.cols(), "the start v has ",
                    start_v.size(), " entries; the matrix has ", problem.cols(), " columns");
  const auto run = [&](const auto& op) {
    using T = typename std::decay_t<decltype(op)>::Scalar;
    return run_typed<T>(problem, op, choice, seed, checkpoints, keep_vectors, start_u, start_v,
                        history);
  };
  const bool sparse = problem.storage == Storage::Sparse;
  if (problem.precision == Precision::F32)
    return sparse ? run(SparseOperator<float>(problem.s32, threads))
                  : run(DenseOperator<float>(problem.a32, threads));
  return sparse ? run(SparseOperator<double>(problem.s64, threads))
                : run(DenseOperator<double>(problem.a64, threads));
}

}  // namespace specbench
