#pragma once
/// \file
/// Golub-Kahan-Lanczos bidiagonalization (Golub & Kahan 1965; Golub & Van Loan, 4th ed.,
/// Sec. 10.4.1; Paige 1974). From a unit start vector \f$ v_1 \f$ it builds orthonormal
/// \f$ U_k = [u_1 \dots u_k] \f$, \f$ V_k = [v_1 \dots v_k] \f$ and the k x k upper bidiagonal
/// \f$ B_k \f$ (alpha_1..alpha_k on the diagonal, beta_1..beta_{k-1} above it) with
///
///     A V_k = U_k B_k,      A^T U_k = V_k B_k^T + beta_k v_{k+1} e_k^T,
///
/// by the two coupled three-term recurrences
///
///     alpha_j u_j     = A v_j   - beta_{j-1} u_{j-1}
///     beta_j  v_{j+1} = A^T u_j - alpha_j v_j
///
/// (two products per step). The estimate is the largest singular value of \f$ B_k \f$ with the
/// Ritz vectors \f$ u = U_k p_1 \f$, \f$ v = V_k q_1 \f$ (\f$ B_k q_1 = \sigma p_1 \f$), so that
/// \f$ A v = \sigma u \f$ and \f$ u^T A v = \sigma \f$. Since \f$ B_k^T B_k = V_k^T A^T A V_k \f$
/// is the Lanczos tridiagonal of \f$ A^T A \f$ started at \f$ v_1 \f$, the error of \f$ \sigma^2
/// \f$ obeys the Kaniel-Paige-Saad bound (Golub & Van Loan, Thm. 10.1.2): it falls like \f$
/// T_{k-1}(1 + 2\gamma)^{-2} \f$, \f$ \gamma = (\sigma_1^2 - \sigma_2^2)/(\sigma_2^2 - \sigma_n^2)
/// \f$, much faster than power iteration's \f$ (\sigma_2/\sigma_1)^{4k} \f$.
///
/// In floating point the plain recurrence loses orthogonality as Ritz values converge (Paige's
/// theorem), which produces spurious copies of converged singular values; full
/// reorthogonalization (classical Gram-Schmidt applied twice against the stored basis, "CGS2",
/// Giraud, Langou & Rozloznik 2005) keeps the bases orthonormal to working precision.

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "algorithms/blas.hpp"
#include "algorithms/error.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/lapack.hpp"
#include "algorithms/operator.hpp"
#include "algorithms/random.hpp"

namespace specbench {

/// Reorthogonalization of the Lanczos vectors.
enum class Reorth {
  Full,  ///< CGS2 of every new u_j against U_{j-1} and every new v_{j+1} against V_j
  None,  ///< the plain three-term recurrence (vectors are still stored, for the Ritz vectors)
};

inline std::string_view to_string(Reorth r) {
  return r == Reorth::Full ? "full" : "none";
}

/// "full" or "none"; anything else is InvalidArgument.
inline Reorth parse_reorth(std::string_view text) {
  if (text == "full") return Reorth::Full;
  if (text == "none") return Reorth::None;
  throw InvalidArgument(
      detail::concat("lanczos: reorth must be 'full' or 'none', got '", text, "'"));
}

struct LanczosOptions {
  int steps = 30;                ///< bidiagonalization steps (each step is two products)
  Reorth reorth = Reorth::Full;  ///< reorthogonalization of the Lanczos vectors
  bool warm = false;             ///< v_1 = RunControl::start_v when given (drift runs)
};

namespace lanczos_detail {

/// x <- (I - Q Q^T)^2 x for the rows x k column-major Q: classical Gram-Schmidt twice (CGS2),
/// two gemv per pass. The second pass makes x orthogonal to working precision ("twice is
/// enough", Giraud, Langou & Rozloznik 2005). `h` is workspace.
template <class T>
void cgs2(const T* q, Index rows, Index k, std::span<T> x, std::vector<T>& h) {
  if (k == 0) return;
  h.resize(std::size_t(k));
  for (int pass = 0; pass < 2; ++pass) {
    // h = Q^T x; x = x - Q h
    blas::gemv(CblasColMajor, CblasTrans, rows, k, T(1), q, rows, x.data(), T(0), h.data());
    blas::gemv(CblasColMajor, CblasNoTrans, rows, k, T(-1), q, rows, h.data(), T(1), x.data());
  }
}

/// Largest singular value of the k x k upper bidiagonal (d, e): ?bdsqr without vectors, which
/// uses dqds and gets every singular value to high relative accuracy.
template <class T>
T bidiagonal_sigma_max(const std::vector<T>& d, const std::vector<T>& e, Index k) {
  std::vector<T> dd(d.begin(), d.begin() + k), ee(std::size_t(std::max<Index>(k, 1)), T(0));
  std::copy(e.begin(), e.begin() + (k - 1), ee.begin());
  lapack::check(lapack::bdsqr('U', k, 0, 0, dd.data(), ee.data(), nullptr, 1, nullptr, 1), "bdsqr");
  return dd[0];
}

/// The dominant singular vectors of the k x k upper bidiagonal B = P S Q^T: p = P e_1 (left),
/// q = Q e_1 (right). ?bdsqr post-multiplies identities: U <- U P, VT <- Q^T VT.
template <class T>
void bidiagonal_top_vectors(const std::vector<T>& d, const std::vector<T>& e, Index k,
                            std::vector<T>& p, std::vector<T>& q) {
  const auto kk = std::size_t(k);
  std::vector<T> dd(d.begin(), d.begin() + k), ee(std::max<std::size_t>(kk, 1), T(0));
  std::copy(e.begin(), e.begin() + (k - 1), ee.begin());
  std::vector<T> left(kk * kk, T(0)), right_t(kk * kk, T(0));
  for (std::size_t i = 0; i < kk; ++i) left[i + i * kk] = right_t[i + i * kk] = T(1);
  lapack::check(
      lapack::bdsqr('U', k, k, k, dd.data(), ee.data(), right_t.data(), k, left.data(), k),
      "bdsqr");
  p.assign(left.begin(), left.begin() + k);  // column 0 of P
  q.resize(kk);
  for (std::size_t i = 0; i < kk; ++i) q[i] = right_t[0 + i * kk];  // row 0 of Q^T
}

/// x <- x / ||x||, or e_1 if x is zero (any unit vector is a singular vector for sigma = 0).
template <class T>
void normalize_or_e1(std::span<T> x) {
  const T norm = blas::nrm2(std::span<const T>(x));
  if (norm > T(0) && std::isfinite(norm)) {
    blas::scal(T(1) / norm, x);
  } else {
    std::fill(x.begin(), x.end(), T(0));
    x[0] = T(1);
  }
}

}  // namespace lanczos_detail

/// Golub-Kahan-Lanczos bidiagonalization from a Gaussian start vector drawn from `rng`.
///
/// Status: MaxIterations after `steps` steps, or Breakdown when an invariant subspace is found
/// (alpha_j or beta_j at rounding level, see below), in which case sigma is the exact largest
/// singular value up to rounding. With full reorthogonalization breakdown happens by step
/// min(m, n) + 1 at the latest, so more steps than that are never taken.
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> lanczos_bidiagonalization(
    const Op& op, const LanczosOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control = {}) {
  using T = typename Op::Scalar;
  SPECBENCH_REQUIRE(options.steps >= 1, "lanczos: steps must be >= 1, got ", options.steps);
  SPECBENCH_REQUIRE(options.reorth == Reorth::Full || options.reorth == Reorth::None,
                    "lanczos: unknown reorthogonalization ", int(options.reorth));
  SPECBENCH_REQUIRE(op.rows() > 0 && op.cols() > 0, "lanczos: the matrix is empty (", op.rows(),
                    " x ", op.cols(), ")");

  const CountingOperator<Op> a(op);
  const Index m = a.rows(), n = a.cols();
  const bool full = options.reorth == Reorth::Full;
  // Breakdown threshold (rounding level). A computed product y = fl(A x) satisfies
  // |y - A x| <= gamma_n |A| |x| entry-wise, gamma_n = n eps / (1 - n eps) (Higham, Accuracy and
  // Stability of Numerical Algorithms, 2nd ed., Sec. 3.5), so a residual alpha_j u_j or
  // beta_j v_{j+1} that vanishes in exact arithmetic is computed as noise of order
  // max(m, n) eps ||A||. Anything at or below tau = max(m, n) eps ||A|| is treated as an exact
  // zero: that perturbs B by at most tau and so sigma by at most tau (Weyl). ||A|| is estimated
  // by the largest product norm seen so far, max_i ||A v_i||, ||A^T u_i|| <= ||A||_2: a lower
  // bound, so tau errs on the side of continuing rather than stopping early.
  const T tau_factor = T(std::max(m, n)) * std::numeric_limits<T>::epsilon();
  T anorm = T(0);

  // Bases, column-major and grown one column per step. With full reorthogonalization at most
  // min(m, n) + 1 columns are ever stored; reserve no more than needed.
  const auto cap = std::size_t(std::min<Index>(options.steps, std::min(m, n) + 1));
  std::vector<T> ubasis, vbasis, alpha, beta, h;
  ubasis.reserve(cap * std::size_t(m));
  vbasis.reserve((cap + 1) * std::size_t(n));
  alpha.reserve(cap);
  beta.reserve(cap);
  auto ucol = [&](Index j) { return std::span<T>(ubasis.data() + j * m, std::size_t(m)); };
  auto vcol = [&](Index j) { return std::span<T>(vbasis.data() + j * n, std::size_t(n)); };

  EstimateResult<T> r;
  r.u.resize(std::size_t(m));
  r.v.resize(std::size_t(n));
  CheckpointReporter<T> reporter(control);

  // v_1: the previous v (warm) or Gaussian, normalized
  vbasis.resize(std::size_t(n));
  warm_or_draw<T>(options.warm, control.start_v, vcol(0), [&] { fill_gaussian<T>(rng, vcol(0)); });

  // Ritz vectors of B_k: u = U_k p_1, v = V_k q_1, normalized. A zero last diagonal entry
  // (breakdown at alpha_k) comes with a zero column u_k, which p_1 weights by zero anyway.
  std::vector<T> p, q;
  int ritz_k = 0;
  auto ritz = [&](int k) {
    if (ritz_k == k) return;
    lanczos_detail::bidiagonal_top_vectors(alpha, beta, k, p, q);
    blas::gemv(CblasColMajor, CblasNoTrans, m, k, T(1), ubasis.data(), m, p.data(), T(0),
               r.u.data());
    blas::gemv(CblasColMajor, CblasNoTrans, n, k, T(1), vbasis.data(), n, q.data(), T(0),
               r.v.data());
    lanczos_detail::normalize_or_e1(std::span<T>(r.u));
    lanczos_detail::normalize_or_e1(std::span<T>(r.v));
    ritz_k = k;
  };
  auto record = [&](int k) {
    r.sigma = lanczos_detail::bidiagonal_sigma_max(alpha, beta, k);
    r.iterations = k;
    r.history.push_back({k, r.sigma, a.products()});
  };
  auto snapshot = [&]() {
    return Snapshot<T>{0, r.iterations, r.sigma, r.u, r.v, a.products(), r.status};
  };

  r.status = Status::MaxIterations;
  for (int j = 1; j <= options.steps; ++j) {
    const Index c = j - 1;  // 0-based column of u_j and v_j

    // u_j = A v_j - beta_{j-1} u_{j-1}
    ubasis.resize(std::size_t(j * m));
    a.apply(std::span<const T>(vcol(c)), ucol(c));
    anorm = std::max(anorm, blas::nrm2(std::span<const T>(ucol(c))));
    if (j > 1) blas::axpy(-beta[std::size_t(c - 1)], std::span<const T>(ucol(c - 1)), ucol(c));
    if (full) lanczos_detail::cgs2(ubasis.data(), m, c, ucol(c), h);
    // alpha_j = ||u_j||. Once U_{j-1} spans R^m (j - 1 = m), u_j is zero in exact arithmetic.
    alpha.push_back(blas::nrm2(std::span<const T>(ucol(c))));
    if (alpha.back() <= tau_factor * anorm || (full && c == m)) {
      // A v_j lies in span(U_{j-1}): A V_j = U_{j-1} [B_{j-1}, beta_{j-1} e_{j-1}] exactly, so
      // the singular values of B_j with alpha_j = 0 (an extra zero row) are singular values of A,
      // and its left singular vectors for nonzero sigma end in 0: u_j may be the zero vector.
      // For the zero matrix this is alpha_1 = 0: sigma = 0, u = e_1, v = v_1.
      alpha.back() = T(0);
      std::fill(ucol(c).begin(), ucol(c).end(), T(0));
      beta.push_back(T(0));  // beta_j is not part of B_j; keeps the arrays aligned
      r.status = Status::Breakdown;
      record(j);
      break;
    }
    blas::scal(T(1) / alpha.back(), ucol(c));

    // r = A^T u_j - alpha_j v_j  (stored as the next column of V)
    vbasis.resize(std::size_t((j + 1) * n));
    a.apply_transpose(std::span<const T>(ucol(c)), vcol(c + 1));
    anorm = std::max(anorm, blas::nrm2(std::span<const T>(vcol(c + 1))));
    blas::axpy(-alpha.back(), std::span<const T>(vcol(c)), vcol(c + 1));
    if (full) lanczos_detail::cgs2(vbasis.data(), n, j, vcol(c + 1), h);
    // beta_j = ||r||. Once V_j spans R^n (j = n), r is zero in exact arithmetic.
    beta.push_back(blas::nrm2(std::span<const T>(vcol(c + 1))));
    record(j);
    if (beta.back() <= tau_factor * anorm || (full && j == n)) {
      // A^T U_j = V_j B_j^T exactly: span(V_j) is invariant under A^T A and the singular
      // values of B_j are singular values of A.
      beta.back() = T(0);
      vbasis.resize(std::size_t(j * n));
      r.status = Status::Breakdown;
      break;
    }
    // v_{j+1} = r / beta_j
    blas::scal(T(1) / beta.back(), vcol(c + 1));

    if (reporter.due(j)) {
      ritz(j);
      reporter.report(snapshot());
    }
  }
  ritz(r.iterations);
  r.products = a.products();
  reporter.finish(snapshot());
  return r;
}

}  // namespace specbench
