#pragma once
/// \file
/// Randomized SVD: the randomized range finder with subspace iteration of Halko, Martinsson &
/// Tropp, "Finding structure with randomness", SIAM Review 53 (2011), Alg. 4.4 (Alg. 4.3 when
/// power_iters = 0), followed by the direct SVD of the small factor (their Alg. 5.1):
///
///     Omega: n x l Gaussian,      Q = orth(A Omega)
///     repeat q times:             Z = orth(A^T Q),  Q = orth(A Z)
///     B^T = A^T Q  (n x l),       B^T = W S X^T  (thin SVD)
///
/// with l = min(k + p, min(m, n)). Then \f$ Q Q^T A = Q B = (Q X) S W^T \f$, so the estimate is
/// \f$ \sigma = s_1 \f$, \f$ v = W e_1 \f$ (the first left singular vector of \f$ B^T \f$) and
/// \f$ u = Q X e_1 \f$ (Q times its first right singular vector); \f$ u^T A v = e_1^T X^T B W e_1
/// = s_1 \f$. Re-orthonormalizing after every product (HMT Alg. 4.4 rather than 4.3 with
/// \f$ (A A^T)^q A \Omega \f$) keeps the singular values below \f$ \epsilon^{1/(2q+1)} \sigma_1 \f$
/// from being lost to rounding. The cost is l (2 + 2q) products, taken as blocks of l columns.
///
/// The estimate never exceeds \f$ \sigma_1 \f$ (it is \f$ \|Q^T A\|_2 \f$), it is exact when
/// rank(A) <= l, and its expected error falls like \f$ (\sigma_{l+1}/\sigma_1)^{2q+1} \f$ (HMT
/// Cor. 10.10). Being a direct method it has no tolerance: status is always Converged.

#include <algorithm>
#include <span>
#include <vector>

#include "algorithms/blas.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/lapack.hpp"
#include "algorithms/operator.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/random.hpp"

namespace specbench {

struct RsvdOptions {
  int rank = 1;           ///< target rank k (only the top singular triplet is returned)
  int oversampling = 10;  ///< extra samples p; the sample size is l = min(k + p, min(m, n))
  int power_iters = 2;    ///< q, passes of subspace iteration (each is 2 l products)
};

/// Randomized SVD (HMT Alg. 4.4 + 5.1) with a Gaussian test matrix drawn from `rng`.
/// `iterations` in the result is power_iters; the history has one record.
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> randomized_svd(
    const Op& op, const RsvdOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control = {}) {
  using T = typename Op::Scalar;
  SPECBENCH_REQUIRE(options.rank >= 1, "rsvd: rank must be >= 1, got ", options.rank);
  SPECBENCH_REQUIRE(options.oversampling >= 0, "rsvd: oversampling must be >= 0, got ",
                    options.oversampling);
  SPECBENCH_REQUIRE(options.power_iters >= 0, "rsvd: power_iters must be >= 0, got ",
                    options.power_iters);
  SPECBENCH_REQUIRE(op.rows() > 0 && op.cols() > 0, "rsvd: the matrix is empty (", op.rows(), " x ",
                    op.cols(), ")");

  const CountingOperator<Op> a(op);
  const Index m = a.rows(), n = a.cols();
  const Index l = std::min(Index(options.rank) + Index(options.oversampling), std::min(m, n));
  const auto ul = std::size_t(l);
  require_workspace(detail::concat("rsvd: rank=", options.rank,
                                   ", oversampling=", options.oversampling, " on ", m, " x ", n),
                    (4.0 * double(n) + double(m) + double(l)) * double(l) * sizeof(T));
  IterationMonitor<T> monitor(control);

  // Omega: n x l Gaussian. Y = A Omega; Q = orth(Y)   (HMT Alg. 4.1, steps 1-3)
  std::vector<T> omega(std::size_t(n) * ul), q(std::size_t(m) * ul), z(std::size_t(n) * ul);
  fill_gaussian<T>(rng, omega);
  specbench::apply_block(a, l, omega.data(), q.data());
  lapack::orthonormalize_columns(q.data(), m, l);
  // Householder QR returns orthonormal columns even for a rank-deficient (or zero) block, so Q
  // stays orthonormal when rank(A) < l.

  // Subspace iteration: Z = orth(A^T Q); Q = orth(A Z)   (HMT Alg. 4.4)
  for (int i = 0; i < options.power_iters; ++i) {
    specbench::apply_transpose_block(a, l, q.data(), z.data());
    lapack::orthonormalize_columns(z.data(), n, l);
    specbench::apply_block(a, l, z.data(), q.data());
    lapack::orthonormalize_columns(q.data(), m, l);
  }

  // B^T = A^T Q (n x l, in z); B^T = W S X^T   (HMT Alg. 5.1 on B = Q^T A)
  specbench::apply_transpose_block(a, l, q.data(), z.data());
  std::vector<T> s(ul), w(std::size_t(n) * ul), xt(ul * ul);
  lapack::check(lapack::gesvd(n, l, z.data(), n, s.data(), w.data(), n, xt.data(), l), "gesvd");

  EstimateResult<T> r;
  r.sigma = s[0];
  // v = W e_1
  r.v.assign(w.begin(), w.begin() + n);
  // u = Q X e_1, where X e_1 is the first row of X^T (stride l)
  std::vector<T> x1(ul);
  for (std::size_t i = 0; i < ul; ++i) x1[i] = xt[i * ul];
  r.u.resize(std::size_t(m));
  blas::gemv(CblasColMajor, CblasNoTrans, m, l, T(1), q.data(), m, x1.data(), T(0), r.u.data());

  r.iterations = options.power_iters;
  r.products = a.products();
  r.status = Status::Converged;
  monitor.iteration(r.iterations, r.sigma, r.products, [&] {
    return Iterate<T>{r.sigma, r.u, r.v, r.status};
  });
  return monitor.finish(std::move(r));
}

}  // namespace specbench
