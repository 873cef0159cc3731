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
///
/// The chain v_0 -> A v_0 -> A^T A v_0 -> ... is the same for every storage; only the grouping of
/// its products into one-read Gram products differs (Operator::gram_side):
///   Right (row-major dense): each iteration is one call giving A v and A^T A v;
///   Left (column-major dense): A v_0 first, then each iteration is one call on u_k giving
///     A^T u_k (so v_k and sigma_k) and A A^T u_k = ||A^T u_k|| A v_k, the next iteration's A v.
/// Both perform the same products in exact arithmetic and agree to rounding. On the left side the
/// last planned iteration computes A^T u_k alone, so both count 2k products for k iterations; a
/// run stopped early by `tol` has also formed the next A v in the same read, which is not
/// counted (the estimate does not depend on it).

#include <algorithm>
#include <cmath>
#include <span>
#include <vector>

#include "algorithms/estimator.hpp"
#include "algorithms/operator.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

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
  IterationMonitor<T> monitor(control);

  warm_or_draw<T>(options.warm, control.start_v, std::span<T>(r.v),
                  [&] { fill_gaussian<T>(rng, r.v); });

  bool ahead = false;  // left side: a product of the next iteration is already done
  auto products = [&] { return a.products() - (ahead ? 1 : 0); };
  auto iterate = [&] { return Iterate<T>{r.sigma, r.u, r.v, r.status}; };

  r.status = Status::MaxIterations;
  const bool left = a.gram_side() == GramSide::Left;
  std::vector<T> w;  // left side: A A^T u_k = ||A^T u_k|| A v_k, the next iteration's A v
  if (left) {
    w.resize(m);
    a.apply(std::span<const T>(r.v), std::span<T>(w));
  }
  for (int k = 1; k <= options.iters; ++k) {
    // u = A v (up to scale) and z = A^T (A v), from one call where the storage allows
    if (left) {
      std::copy(w.begin(), w.end(), r.u.begin());
      ahead = false;
    } else {
      a.apply_gram_with(std::span<const T>(r.v), std::span<T>(z), std::span<T>(r.u));
    }
    const T alpha = blas::nrm2(std::span<const T>(r.u));
    if (!(alpha > T(0))) {
      // A v = 0: A is zero (or v lies in its null space, probability zero). sigma = 0 is exact
      // for the zero matrix, and any unit u is a singular vector of it.
      r.sigma = T(0);
      std::fill(r.u.begin(), r.u.end(), T(0));
      r.u[0] = T(1);
      r.iterations = k;
      r.status = Status::Breakdown;
      monitor.iteration(k, r.sigma, products(), iterate);
      break;
    }
    blas::scal(T(1) / alpha, std::span<T>(r.u));

    // sigma = ||A^T u|| = u^T A v_new; v = A^T u / sigma   (sigma >= alpha / ||v|| > 0)
    const T previous = r.sigma;
    T znorm;
    if (left) {
      // z = A^T u (and w = A z for the next iteration, from the same read)
      if (k < options.iters) {
        a.apply_cogram_with(std::span<const T>(r.u), std::span<T>(w), std::span<T>(z));
        ahead = true;
      } else {
        a.apply_cogram_with(std::span<const T>(r.u), {}, std::span<T>(z));  // A^T u alone
      }
      znorm = blas::nrm2(std::span<const T>(z));
      r.sigma = znorm;
    } else {
      znorm = blas::nrm2(std::span<const T>(z));
      r.sigma = znorm / alpha;
    }
    for (std::size_t i = 0; i < n; ++i) r.v[i] = z[i] / znorm;
    r.iterations = k;

    const bool converged =
        options.tol > 0 && k > 1 && std::abs(r.sigma - previous) <= T(options.tol) * r.sigma;
    if (converged) r.status = Status::Converged;
    monitor.iteration(k, r.sigma, products(), iterate);
    if (converged) break;
  }
  r.products = products();
  return monitor.finish(std::move(r));
}

}  // namespace specbench
