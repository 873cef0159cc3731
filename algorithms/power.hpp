#pragma once
/// \file
/// Power iteration on \f$ A^T A \f$ (Golub & Van Loan, 4th ed., Sec. 8.2.1), written as the
/// alternating products that also yield the left vector:
///
///     u_k = A v_{k-1} / ||A v_{k-1}||,   sigma_k = ||A^T u_k||,   v_k = A^T u_k / sigma_k
///
/// so that \f$ \sigma_k = u_k^T A v_k \f$ exactly in exact arithmetic. Each iteration costs two
/// products. \f$ \sigma_k^2 \f$ is the Rayleigh quotient of \f$ A A^T \f$ at \f$ u_k \f$, whose
/// error falls like \f$ (\sigma_2/\sigma_1)^{4k} \f$ (Trefethen & Bau, Thm. 27.1, applied to
/// \f$ A A^T \f$; the start counts as a half-step, so the constant is
/// \f$ \tan^2\theta_0 (\sigma_1/\sigma_2)^2 \f$).

#include <cmath>
#include <span>
#include <vector>

#include "algorithms/error.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/operator.hpp"
#include "algorithms/random.hpp"

namespace specbench {

struct PowerOptions {
  int iters = 100;    ///< iteration budget (each iteration is two products)
  double tol = 0.0;   ///< stop when |sigma_k - sigma_{k-1}| <= tol sigma_k; 0 runs all iterations
  bool warm = false;  ///< start from RunControl::start_v when given (drift runs)
};

/// Power iteration from a Gaussian start vector drawn from `rng`.
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> power_iteration(
    const Op& op, const PowerOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control = {}) {
  using T = typename Op::Scalar;
  SPECBENCH_REQUIRE(options.iters >= 1, "power: iters must be >= 1, got ", options.iters);
  SPECBENCH_REQUIRE(options.tol >= 0 && std::isfinite(options.tol),
                    "power: tol must be finite and >= 0, got ", options.tol);
  SPECBENCH_REQUIRE(op.rows() > 0 && op.cols() > 0, "power: the matrix is empty (", op.rows(),
                    " x ", op.cols(), ")");

  const CountingOperator<Op> a(op);
  const auto m = std::size_t(a.rows()), n = std::size_t(a.cols());
  EstimateResult<T> r;
  r.u.assign(m, T(0));
  r.v.resize(n);
  std::vector<T> z(n);
  CheckpointReporter<T> reporter(control);

  warm_or_draw<T>(options.warm, control.start_v, std::span<T>(r.v),
                  [&] { fill_gaussian<T>(rng, r.v); });

  auto snapshot = [&]() {
    return Snapshot<T>{0, r.iterations, r.sigma, r.u, r.v, a.products(), r.status};
  };

  r.status = Status::MaxIterations;
  for (int k = 1; k <= options.iters; ++k) {
    // z = A^T (A v) and u = A v (one call, so that an operator with a fused Gram product can
    // serve both from one read of A); alpha = ||A v||
    a.apply_gram_with(std::span<const T>(r.v), std::span<T>(z), std::span<T>(r.u));
    const T alpha = blas::nrm2(std::span<const T>(r.u));
    if (!(alpha > T(0))) {
      // A v = 0: A is zero (or v lies in its null space, probability zero). sigma = 0 is exact
      // for the zero matrix, and any unit u is a singular vector of it.
      r.sigma = T(0);
      std::fill(r.u.begin(), r.u.end(), T(0));
      r.u[0] = T(1);
      r.iterations = k;
      r.status = Status::Breakdown;
      r.history.push_back({k, r.sigma, a.products()});
      break;
    }
    blas::scal(T(1) / alpha, std::span<T>(r.u));

    // sigma = ||A^T u|| = ||z|| / alpha = u^T A v_new; v = z / ||z||   (sigma >= alpha > 0)
    const T previous = r.sigma;
    const T znorm = blas::nrm2(std::span<const T>(z));
    r.sigma = znorm / alpha;
    for (std::size_t i = 0; i < n; ++i) r.v[i] = z[i] / znorm;
    r.iterations = k;
    r.history.push_back({k, r.sigma, a.products()});

    const bool converged =
        options.tol > 0 && k > 1 && std::abs(r.sigma - previous) <= T(options.tol) * r.sigma;
    if (converged) r.status = Status::Converged;
    if (reporter.due(k)) reporter.report(snapshot());
    if (converged) break;
  }
  r.products = a.products();
  reporter.finish(snapshot());
  return r;
}

}  // namespace specbench
