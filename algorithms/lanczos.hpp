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
///
/// `process = gram` runs instead the symmetric Lanczos process (Golub & Van Loan, Alg. 10.1.1,
/// with the same CGS2 reorthogonalization) on the Gram matrix G whose product the storage gives in
/// one read of A (Operator::gram_side): G = A^T A from v_1 (row-major dense), or G = A A^T from
/// u_1 = A v_1 / ||A v_1|| (column-major dense; one extra product). Each step is ONE read of a
/// dense A instead of two. Both give the Krylov spaces of the bidiagonalization:
/// K_k(A^T A, v_1) on the right, A K_k(A^T A, v_1) = K_k(A A^T, A v_1) on the left (half a step
/// further, so its Ritz value is never worse: x^T G^2 x / x^T G x >= x^T G x / x^T x). The one
/// read also returns the half-product A q_j (right) or A^T q_j (left), stored, which gives the
/// other singular vector of the Ritz pair without another read.
///
/// Accuracy of sigma_1: the estimate is sqrt(theta), theta the largest eigenvalue of the
/// tridiagonal T_k. With full reorthogonalization the computed T_k is the exact projection of
/// G + E with ||E|| = O(k max(m, n) eps ||A||^2) (Paige 1976; the products themselves carry
/// gamma_{m+n} |A|^T |A| error, Higham 3.5), so theta errs by O(eps) relative to ||A||^2 =
/// sigma_1^2, and sqrt(theta) by half that relative to sigma_1: the same order as
/// bidiagonalization. Squaring loses accuracy only for the SMALL singular values (relative error
/// eps sigma_1^2 / sigma_i^2), which this estimator does not report. The vectors: sin of the Ritz
/// vector's angle errs by O(eps sigma_1^2 / (sigma_1^2 - sigma_2^2)) = O(eps sigma_1 / (2 (sigma_1
/// - sigma_2))), again the bidiagonalization's order.

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string_view>
#include <vector>

#include "algorithms/blas.hpp"
#include "algorithms/estimator.hpp"
#include "algorithms/lapack.hpp"
#include "algorithms/operator.hpp"
#include "core/error.hpp"
#include "core/memory.hpp"
#include "core/random.hpp"

namespace specbench {

/// Reorthogonalization of the Lanczos vectors.
enum class Reorth {
  Full,  ///< CGS2 of every new u_j against U_{j-1} and every new v_{j+1} against V_j
  None,  ///< the plain three-term recurrence (vectors are still stored, for the Ritz vectors)
};

inline std::string_view to_string(Reorth r) {
  return r == Reorth::Full ? "full" : "none";
}

/// Which Lanczos process (see the file comment).
enum class Process {
  Bidiagonal,  ///< "gkl": Golub-Kahan-Lanczos bidiagonalization, two reads of A per step
  Gram,        ///< "gram": symmetric Lanczos on the one-read Gram matrix, one read per step
};

inline std::string_view to_string(Process p) {
  return p == Process::Gram ? "gram" : "gkl";
}

struct LanczosOptions {
  int steps = 30;                         ///< Lanczos steps (each step is two products)
  Reorth reorth = Reorth::Full;           ///< reorthogonalization of the Lanczos vectors
  bool warm = false;                      ///< v_1 = RunControl::start_v when given (drift runs)
  Process process = Process::Bidiagonal;  ///< bidiagonalization or Lanczos on the Gram matrix
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

/// The Golub-Kahan form of the k x k upper bidiagonal B (d, e): the 2k x 2k symmetric tridiagonal
/// with zero diagonal and off-diagonal (d_1, e_1, d_2, ..., e_{k-1}, d_k), whose eigenvalues are
/// +-sigma_i(B) and whose eigenvector for sigma is (v_1, u_1, v_2, u_2, ..., v_k, u_k) / sqrt(2)
/// for B v = sigma u (Golub & Kahan 1965; Demmel & Kahan 1990 on its accuracy).
template <class T>
void golub_kahan_tridiagonal(const std::vector<T>& d, const std::vector<T>& e, Index k,
                             std::vector<T>& diag, std::vector<T>& off) {
  diag.assign(std::size_t(2 * k), T(0));
  off.assign(std::size_t(2 * k), T(0));  // off[2k-1] is ignored
  for (Index i = 0; i < k; ++i) {
    off[std::size_t(2 * i)] = d[std::size_t(i)];
    if (i + 1 < k) off[std::size_t(2 * i + 1)] = e[std::size_t(i)];
  }
}

/// Largest singular value of the k x k upper bidiagonal (d, e): the largest eigenvalue of its
/// Golub-Kahan tridiagonal by bisection for that one value (lapack::tridiagonal_top), O(k) per
/// bisection step rather than all k values, so a long run without reorthogonalization is not
/// cubic in its step count.
template <class T>
T bidiagonal_sigma_max(const std::vector<T>& d, const std::vector<T>& e, Index k) {
  std::vector<T> diag, off;
  golub_kahan_tridiagonal(d, e, k, diag, off);
  return lapack::tridiagonal_top(2 * k, diag.data(), off.data());
}

/// The dominant singular vectors of the k x k upper bidiagonal B = P S Q^T: p = P e_1 (left),
/// q = Q e_1 (right), from the top eigenvector of the Golub-Kahan tridiagonal by inverse
/// iteration (lapack::tridiagonal_top): O(k), so checkpoints of a long run are not cubic in its
/// step count either.
template <class T>
void bidiagonal_top_vectors(const std::vector<T>& d, const std::vector<T>& e, Index k,
                            std::vector<T>& p, std::vector<T>& q) {
  std::vector<T> diag, off, z(std::size_t(2 * k));
  golub_kahan_tridiagonal(d, e, k, diag, off);
  const T sigma = lapack::tridiagonal_top(2 * k, diag.data(), off.data(), z.data());
  p.assign(std::size_t(k), T(0));
  q.assign(std::size_t(k), T(0));
  if (!(sigma > T(0))) {  // B = 0: every unit pair is singular; e_1, e_1 as ?bdsqr would give
    p[0] = q[0] = T(1);
    return;
  }
  for (Index i = 0; i < k; ++i) {
    q[std::size_t(i)] = z[std::size_t(2 * i)];
    p[std::size_t(i)] = z[std::size_t(2 * i + 1)];
  }
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

namespace lanczos_detail {
/// options.process == Process::Gram, called by lanczos_bidiagonalization once it has checked the
/// arguments (defined below).
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> gram_process(const Op& op, const LanczosOptions& options,
                                                 Rng& rng,
                                                 const RunControl<typename Op::Scalar>& control);
}  // namespace lanczos_detail

/// Golub-Kahan-Lanczos bidiagonalization from a Gaussian start vector drawn from `rng`, or with
/// options.process == Process::Gram symmetric Lanczos on the one-read Gram matrix (see the file
/// comment).
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

  if (options.process == Process::Gram)
    return lanczos_detail::gram_process(op, options, rng, control);

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
  // Without reorthogonalization the bases grow by a column each step (for the Ritz vectors).
  const double columns = full ? double(cap) + 1 : double(options.steps) + 1;
  require_workspace(detail::concat("lanczos: steps=", options.steps, " on ", m, " x ", n),
                    columns * double(m + n) * sizeof(T));
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
  IterationMonitor<T> monitor(control);

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
  // sigma_max(B_k), an O(k) bisection, formed only where the history or a checkpoint uses it
  // (IterationMonitor::records) and at the end: a run keeping no per-step history is linear in
  // its step count, not quadratic. The Ritz vectors are formed only if the monitor asks.
  int sigma_k = 0;
  auto step_done = [&](int k) {
    r.iterations = k;
    if (!monitor.records(k)) return;
    r.sigma = lanczos_detail::bidiagonal_sigma_max(alpha, beta, k);
    sigma_k = k;
    monitor.iteration(k, r.sigma, a.products(), [&] {
      ritz(k);
      return Iterate<T>{r.sigma, r.u, r.v, r.status};
    });
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
      step_done(j);
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
    const bool invariant = beta.back() <= tau_factor * anorm || (full && j == n);
    if (invariant) {
      // A^T U_j = V_j B_j^T exactly: span(V_j) is invariant under A^T A and the singular
      // values of B_j are singular values of A.
      beta.back() = T(0);
      vbasis.resize(std::size_t(j * n));
      r.status = Status::Breakdown;
    }
    step_done(j);  // B_j does not involve beta_j
    if (invariant) break;
    // v_{j+1} = r / beta_j
    blas::scal(T(1) / beta.back(), vcol(c + 1));
  }
  if (sigma_k != r.iterations)
    r.sigma = lanczos_detail::bidiagonal_sigma_max(alpha, beta, r.iterations);
  ritz(r.iterations);
  r.products = a.products();
  return monitor.finish(std::move(r));
}

/// Symmetric Lanczos on the one-read Gram matrix (options.process == Process::Gram; see the file
/// comment); the arguments were checked by lanczos_bidiagonalization. Status: MaxIterations, or
/// Breakdown when beta_j is at rounding level (an invariant subspace of G: theta is then an exact
/// eigenvalue of G up to rounding) or the basis fills the space; the zero matrix breaks down at
/// once with sigma = 0.
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> lanczos_detail::gram_process(
    const Op& op, const LanczosOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control) {
  using T = typename Op::Scalar;
  const CountingOperator<Op> a(op);
  const Index m = a.rows(), n = a.cols();
  const bool full = options.reorth == Reorth::Full;
  const bool left = a.gram_side() == GramSide::Left;
  const Index dim = left ? m : n;   // the Lanczos vectors q_j
  const Index half = left ? n : m;  // their half-products A^T q_j (left) or A q_j (right)
  // Breakdown threshold: a computed Gram product carries gamma_{m+n} |A|^T |A| |x| error
  // (Higham 3.5), i.e. noise of order max(m, n) eps ||A||^2 on a residual that vanishes in exact
  // arithmetic; ||A||^2 is estimated from below by the largest ||G q_j|| seen so far.
  const T tau_factor = T(2 * std::max(m, n)) * std::numeric_limits<T>::epsilon();
  T gnorm = T(0);

  const auto cap = std::size_t(std::min<Index>(options.steps, dim + 1));
  const double columns = full ? double(cap) + 1 : double(options.steps) + 1;
  require_workspace(detail::concat("lanczos: steps=", options.steps, " on ", m, " x ", n),
                    columns * double(dim + half) * sizeof(T));
  std::vector<T> qbasis, pbasis, alpha, beta, h, y(static_cast<std::size_t>(dim));
  qbasis.reserve((cap + 1) * std::size_t(dim));
  pbasis.reserve(cap * std::size_t(half));
  auto qcol = [&](Index j) { return std::span<T>(qbasis.data() + j * dim, std::size_t(dim)); };
  auto pcol = [&](Index j) { return std::span<T>(pbasis.data() + j * half, std::size_t(half)); };

  EstimateResult<T> r;
  r.u.resize(std::size_t(m));
  r.v.resize(std::size_t(n));
  IterationMonitor<T> monitor(control);

  // v_1: the previous v (warm) or Gaussian; q_1 = v_1 (right) or A v_1 (left), normalized
  warm_or_draw<T>(options.warm, control.start_v, std::span<T>(r.v),
                  [&] { fill_gaussian<T>(rng, r.v); });
  qbasis.resize(std::size_t(dim));
  if (left) {
    a.apply(std::span<const T>(r.v), qcol(0));
    if (!(blas::nrm2(std::span<const T>(qcol(0))) > T(0))) {
      // A v_1 = 0: A is zero (or v_1 is in its null space, probability zero): sigma = 0 is
      // exact for the zero matrix, with u = e_1 and v = v_1.
      lanczos_detail::normalize_or_e1(std::span<T>(r.v));
      std::fill(r.u.begin(), r.u.end(), T(0));
      r.u[0] = T(1);
      r.sigma = T(0);
      r.iterations = 1;
      r.status = Status::Breakdown;
      r.products = a.products();
      monitor.iteration(1, r.sigma, r.products, [&] {
        return Iterate<T>{r.sigma, r.u, r.v, r.status};
      });
      return monitor.finish(std::move(r));
    }
  } else {
    std::copy(r.v.begin(), r.v.end(), qcol(0).begin());
  }
  lanczos_detail::normalize_or_e1(qcol(0));

  // Largest eigenvalue of T_k (values only), and the Ritz vectors of its eigenvector s:
  // x = Q_k s in the Lanczos space, hx = P_k s its half-product.
  std::vector<T> d, e, z;
  auto theta_max = [&](Index k) {  // by bisection for the one value: O(k) per step
    d.assign(alpha.begin(), alpha.begin() + k);
    e.assign(beta.begin(), beta.begin() + k);  // e[k-1] is ignored
    return lapack::tridiagonal_top(k, d.data(), e.data());
  };
  int ritz_k = 0;
  auto ritz = [&](int k) {
    if (ritz_k == k) return;
    d.assign(alpha.begin(), alpha.begin() + k);
    e.assign(beta.begin(), beta.begin() + k);
    z.assign(std::size_t(k), T(0));
    lapack::tridiagonal_top(k, d.data(), e.data(), z.data());  // s: the top eigenvector
    const T* s = z.data();
    std::span<T> x = left ? std::span<T>(r.u) : std::span<T>(r.v);
    std::span<T> hx = left ? std::span<T>(r.v) : std::span<T>(r.u);
    blas::gemv(CblasColMajor, CblasNoTrans, dim, k, T(1), qbasis.data(), dim, s, T(0), x.data());
    blas::gemv(CblasColMajor, CblasNoTrans, half, k, T(1), pbasis.data(), half, s, T(0), hx.data());
    lanczos_detail::normalize_or_e1(x);
    lanczos_detail::normalize_or_e1(hx);
    ritz_k = k;
  };
  // sqrt(theta_max(T_k)), formed only where the history or a checkpoint uses it and at the end
  // (as in the bidiagonalization); the Ritz vectors only if the monitor asks
  int sigma_k = 0;
  auto sigma_at = [&](Index k) { return std::sqrt(std::max(theta_max(k), T(0))); };
  auto step_done = [&](int k) {
    r.iterations = k;
    if (!monitor.records(k)) return;
    r.sigma = sigma_at(k);
    sigma_k = k;
    monitor.iteration(k, r.sigma, a.products(), [&] {
      ritz(k);
      return Iterate<T>{r.sigma, r.u, r.v, r.status};
    });
  };

  r.status = Status::MaxIterations;
  for (int j = 1; j <= options.steps; ++j) {
    const Index c = j - 1;  // 0-based column of q_j
    // y = G q_j and the half-product p_j, from one read
    pbasis.resize(std::size_t(j * half));
    if (left)
      a.apply_cogram_with(std::span<const T>(qcol(c)), std::span<T>(y), pcol(c));
    else
      a.apply_gram_with(std::span<const T>(qcol(c)), std::span<T>(y), pcol(c));
    gnorm = std::max(gnorm, blas::nrm2(std::span<const T>(y)));
    // alpha_j = q_j^T G q_j; y <- y - alpha_j q_j - beta_{j-1} q_{j-1}, reorthogonalized
    alpha.push_back(blas::dot(std::span<const T>(qcol(c)), std::span<const T>(y)));
    blas::axpy(-alpha.back(), std::span<const T>(qcol(c)), std::span<T>(y));
    if (j > 1)
      blas::axpy(-beta[std::size_t(c - 1)], std::span<const T>(qcol(c - 1)), std::span<T>(y));
    if (full) lanczos_detail::cgs2(qbasis.data(), dim, j, std::span<T>(y), h);
    beta.push_back(blas::nrm2(std::span<const T>(y)));
    const bool invariant = beta.back() <= tau_factor * gnorm || (full && j == dim);
    if (invariant) {
      // G Q_j = Q_j T_j up to rounding: span(Q_j) is invariant and theta is an eigenvalue of G.
      beta.back() = T(0);
      r.status = Status::Breakdown;
    }
    step_done(j);  // T_j does not involve beta_j
    if (invariant) break;
    // q_{j+1} = y / beta_j
    qbasis.resize(std::size_t((j + 1) * dim));
    std::copy(y.begin(), y.end(), qcol(c + 1).begin());
    blas::scal(T(1) / beta.back(), qcol(c + 1));
  }
  if (sigma_k != r.iterations) r.sigma = sigma_at(r.iterations);
  ritz(r.iterations);
  r.products = a.products();
  return monitor.finish(std::move(r));
}

}  // namespace specbench
