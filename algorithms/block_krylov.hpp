#pragma once
/// \file
/// Randomized block Krylov iteration (Musco & Musco, "Randomized Block Krylov Methods for
/// Stronger and Faster Approximate Singular Value Decomposition", NeurIPS 2015, Alg. 2), built
/// as a block Golub-Kahan process with full reorthogonalization:
///
///     V_1 = orth(Omega),  Omega n x b Gaussian
///     step j:  U_j = orth(A V_j - U_{<j} (...)),   V_{j+1} = orth(A^T U_j - V_{<=j} (...))
///
/// so that span(V_1..V_j) = K_j(A^T A, Omega) = span{Omega, A^T A Omega, ..., (A^T A)^{j-1}
/// Omega} and span(U_1..U_j) = A K_j. Each step is one block product with A and one with A^T
/// (operator block products: one pass over A for b columns, gemm on dense storage). sigma is the
/// largest singular value of the projected matrix B_j = U^T A V (jb x jb, formed as U^T (A V_j)
/// column block by column block), and u = U x, v = V y from B's top singular pair (x, y), so
/// that u^T A v = sigma in exact arithmetic. Since span(V) is the Krylov space of A^T A, sigma^2
/// is its Ritz value and obeys the same bounds as Lanczos from each column of Omega
/// (Kaniel-Paige-Saad with the first column's angle; Musco & Musco Thm 1 for gaps-free rates).
///
/// Orthogonalization is block classical Gram-Schmidt run twice with a Householder QR after each
/// pass (BCGS2; Barlow & Smoktunowicz, Numer. Math. 2013): the basis stays orthonormal to
/// working precision even when a block is rank-deficient, where the second pass turns the
/// QR's arbitrary columns into new directions orthogonal to the basis (the projection B = U^T
/// A V remains exact for whatever U and V are). Blocks shrink at the end of the space; when no
/// new V direction exists (V spans R^n, or U spans R^m so that V already contains range(A^T)),
/// sigma is exact up to rounding and the status is Breakdown.
///
/// Cost per step j (k = jb columns so far): 2b products, BCGS2 4 (m + n) k b flops, and the
/// projected SVD O(k^3) (values every step for the history; vectors only at checkpoints).

#include <lapacke.h>

#include <algorithm>
#include <cmath>
#include <limits>
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

struct BlockKrylovOptions {
  int steps = 10;    ///< block steps (each is b products with A and b with A^T)
  int block = 4;     ///< block size b (the number of Gaussian start vectors)
  double tol = 0.0;  ///< stop when |sigma_j - sigma_{j-1}| <= tol sigma_j; 0 runs all steps
};

namespace block_krylov_detail {

/// x <- (I - Q Q^T)^2 x for the rows x k column-major Q: classical Gram-Schmidt twice.
template <class T>
void cgs2(const T* q, Index rows, Index k, std::span<T> x, std::vector<T>& c) {
  if (k == 0) return;
  c.resize(std::size_t(k));
  for (int pass = 0; pass < 2; ++pass) {
    blas::gemv(CblasColMajor, CblasTrans, rows, k, T(1), q, rows, x.data(), T(0), c.data());
    blas::gemv(CblasColMajor, CblasNoTrans, rows, k, T(-1), q, rows, c.data(), T(1), x.data());
  }
}

/// Columns k..k+w-1 of the rows x (k + w) column-major `basis` (the new block X) <- the Q
/// factor of BCGS2 against its first k orthonormal columns Q: twice X <- X - Q (Q^T X) followed
/// by a Householder QR (Barlow & Smoktunowicz 2013). `h` is workspace.
///
/// When X is (numerically) inside span(Q) -- a rank-deficient A, or a Krylov space that closed --
/// the first QR returns arbitrary orthonormal columns for noise, and if one of those lies in
/// span(Q) too, the second QR again returns an arbitrary column, not orthogonal to Q. The check
/// [Q X]^T X = [0; I] catches this; then each column is orthogonalized by CGS2 against
/// everything before it, and one that loses more than half of its norm (it was mostly inside
/// the span) is replaced by the first unit vector e_r that keeps a component of at least
/// 1/sqrt(rows) outside (one exists while k + j < rows, since sum_r ||(I - P) e_r||^2 =
/// rows - k - j). Such a column extends the space by a direction orthogonal to it: the
/// projected problem U^T A V stays exact and sigma can only gain.
template <class T>
void orthonormalize_new(T* basis, Index rows, Index k, Index w, std::vector<T>& h) {
  if (w == 0) return;
  T* x = basis + rows * k;
  h.resize(std::size_t((k + w) * w));
  for (int pass = 0; pass < 2; ++pass) {
    if (k > 0) {
      // H = Q^T X; X = X - Q H
      blas::gemm(CblasColMajor, CblasTrans, CblasNoTrans, k, w, rows, T(1), basis, rows, x, rows,
                 T(0), h.data(), k);
      blas::gemm(CblasColMajor, CblasNoTrans, CblasNoTrans, rows, w, k, T(-1), basis, rows,
                 h.data(), k, T(1), x, rows);
    }
    lapack::orthonormalize_columns(x, rows, w);
  }
  // [Q X]^T X = [0; I] up to O(rows eps) when BCGS2 worked; a failure leaves an O(1) entry.
  // sqrt(eps) lies many orders of magnitude from both at every size specbench handles.
  blas::gemm(CblasColMajor, CblasTrans, CblasNoTrans, k + w, w, rows, T(1), basis, rows, x, rows,
             T(0), h.data(), k + w);
  const T limit = std::sqrt(std::numeric_limits<T>::epsilon());
  bool orthonormal = true;
  for (Index j = 0; j < w; ++j)
    for (Index i = 0; i < k + w; ++i)
      orthonormal =
          orthonormal && std::abs(h[std::size_t(i + j * (k + w))] - T(i == k + j ? 1 : 0)) <= limit;
  if (orthonormal) return;
  std::vector<T> c;
  for (Index j = 0; j < w; ++j) {
    const std::span<T> col(x + rows * j, std::size_t(rows));
    cgs2(basis, rows, k + j, col, c);  // columns 0..k+j-1 are orthonormal by now
    T norm = blas::nrm2(std::span<const T>(col));
    for (Index r = 0; norm < T(0.5) && r < rows; ++r) {
      std::fill(col.begin(), col.end(), T(0));
      col[std::size_t(r)] = T(1);
      cgs2(basis, rows, k + j, col, c);
      norm = blas::nrm2(std::span<const T>(col));
      if (norm >= T(1) / std::sqrt(T(rows))) break;
    }
    blas::scal(T(1) / norm, col);
  }
}

inline lapack_int gesdd_values(Index m, Index n, float* a, Index lda, float* s) {
  float dummy = 0;
  return LAPACKE_sgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(m), lapack_int(n), a, lapack_int(lda), s,
                        &dummy, 1, &dummy, 1);
}
inline lapack_int gesdd_values(Index m, Index n, double* a, Index lda, double* s) {
  double dummy = 0;
  return LAPACKE_dgesdd(LAPACK_COL_MAJOR, 'N', lapack_int(m), lapack_int(n), a, lapack_int(lda), s,
                        &dummy, 1, &dummy, 1);
}

/// The projected matrix B = U^T A V (ku x kv, column-major, leading dimension ld), and its top
/// singular value and vectors.
template <class T>
class Projection {
 public:
  Projection(Index max_rows, Index max_cols)
      : ld_(std::max<Index>(max_rows, 1)), b_(std::size_t(ld_ * std::max<Index>(max_cols, 1))) {}
  T* column(Index j) { return b_.data() + j * ld_; }
  Index ld() const { return ld_; }
  /// sigma_max of the leading ku x kv block (values only).
  T sigma(Index ku, Index kv) {
    copy(ku, kv);
    s_.resize(std::size_t(std::min(ku, kv)));
    lapack::check(gesdd_values(ku, kv, work_.data(), ku, s_.data()), "gesdd");
    return s_[0];
  }
  /// x (length ku) and y (length kv): the top left and right singular vectors of the block.
  void top_vectors(Index ku, Index kv, std::vector<T>& x, std::vector<T>& y) {
    copy(ku, kv);
    const Index r = std::min(ku, kv);
    s_.resize(std::size_t(r));
    left_.resize(std::size_t(ku * r));
    right_t_.resize(std::size_t(r * kv));
    lapack::check(
        lapack::gesvd(ku, kv, work_.data(), ku, s_.data(), left_.data(), ku, right_t_.data(), r),
        "gesvd");
    x.assign(left_.begin(), left_.begin() + ku);  // U_B e_1
    y.resize(std::size_t(kv));
    for (Index i = 0; i < kv; ++i) y[std::size_t(i)] = right_t_[std::size_t(i * r)];  // V_B e_1
  }

 private:
  void copy(Index ku, Index kv) {
    work_.resize(std::size_t(ku * kv));
    for (Index j = 0; j < kv; ++j)
      std::copy(b_.data() + j * ld_, b_.data() + j * ld_ + ku, work_.data() + j * ku);
  }
  Index ld_;
  std::vector<T> b_, work_, s_, left_, right_t_;
};

}  // namespace block_krylov_detail

/// Randomized block Krylov from an n x b Gaussian block drawn from `rng` (column by column, so
/// its first column is the start vector power iteration and Lanczos draw from the same seed).
template <LinearOperator Op>
EstimateResult<typename Op::Scalar> block_krylov(
    const Op& op, const BlockKrylovOptions& options, Rng& rng,
    const RunControl<typename Op::Scalar>& control = {}) {
  using T = typename Op::Scalar;
  SPECBENCH_REQUIRE(options.steps >= 1, "block_krylov: steps must be >= 1, got ", options.steps);
  SPECBENCH_REQUIRE(options.block >= 1, "block_krylov: block must be >= 1, got ", options.block);
  SPECBENCH_REQUIRE(options.tol >= 0 && std::isfinite(options.tol),
                    "block_krylov: tol must be finite and >= 0, got ", options.tol);
  SPECBENCH_REQUIRE(op.rows() > 0 && op.cols() > 0, "block_krylov: the matrix is empty (",
                    op.rows(), " x ", op.cols(), ")");

  const CountingOperator<Op> a(op);
  const Index m = a.rows(), n = a.cols();
  // The bases never hold more than min(steps b, dimension) columns: reserve no more.
  const Index want = Index(options.steps) * Index(options.block);
  const Index max_u = std::min(want, m), max_v = std::min(want, n);
  // the bases, the projection B and its SVD's copy and factors
  require_workspace(detail::concat("block_krylov: steps=", options.steps, ", block=", options.block,
                                   " on ", m, " x ", n),
                    (double(m) * double(max_u) + double(n) * double(max_v) +
                     4.0 * double(max_u) * double(max_v)) *
                        sizeof(T));
  std::vector<T> ubasis, vbasis, p, h, x, y;
  ubasis.reserve(std::size_t(m * max_u));
  vbasis.reserve(std::size_t(n * max_v));
  block_krylov_detail::Projection<T> b(max_u, max_v);
  IterationMonitor<T> monitor(control);

  // V_1 = orth(Omega)
  Index ku = 0, kv = 0, wv = std::min<Index>(options.block, n);
  vbasis.resize(std::size_t(n * wv));
  fill_gaussian<T>(rng, std::span<T>(vbasis));
  block_krylov_detail::orthonormalize_new<T>(vbasis.data(), n, 0, wv, h);

  EstimateResult<T> r;
  r.u.resize(std::size_t(m));
  r.v.resize(std::size_t(n));
  r.status = Status::MaxIterations;
  // u = U x, v = V y from the projected problem's top singular pair
  auto ritz = [&] {
    b.top_vectors(ku, kv, x, y);
    blas::gemv(CblasColMajor, CblasNoTrans, m, ku, T(1), ubasis.data(), m, x.data(), T(0),
               r.u.data());
    blas::gemv(CblasColMajor, CblasNoTrans, n, kv, T(1), vbasis.data(), n, y.data(), T(0),
               r.v.data());
    blas::scal(T(1) / blas::nrm2(std::span<const T>(r.u)), std::span<T>(r.u));
    blas::scal(T(1) / blas::nrm2(std::span<const T>(r.v)), std::span<T>(r.v));
  };
  Index ritz_at = -1;
  auto iterate = [&] {
    if (ritz_at != r.iterations) ritz();
    ritz_at = r.iterations;
    return Iterate<T>{r.sigma, r.u, r.v, r.status};
  };

  for (int j = 1; j <= options.steps; ++j) {
    // P = A V_j; U_j = orth(P against U); B(:, V_j) = U^T P
    p.resize(std::size_t(m * wv));
    specbench::apply_block(a, wv, vbasis.data() + kv * n, p.data());
    const Index wu = std::min(wv, m - ku);  // once U spans R^m, P lies in it
    ubasis.resize(std::size_t(m * (ku + wu)));
    std::copy(p.begin(), p.begin() + m * wu, ubasis.begin() + m * ku);
    block_krylov_detail::orthonormalize_new<T>(ubasis.data(), m, ku, wu, h);
    blas::gemm(CblasColMajor, CblasTrans, CblasNoTrans, ku + wu, wv, m, T(1), ubasis.data(), m,
               p.data(), m, T(0), b.column(kv), b.ld());
    for (Index c = 0; c < kv; ++c)  // U_j^T A V_i = 0 for i < j (A V_i lies in span U_{<=i})
      std::fill(b.column(c) + ku, b.column(c) + ku + wu, T(0));
    ku += wu;
    kv += wv;

    r.iterations = j;
    // The next block of V: as wide as U_j, and only within R^n. None: V spans R^n, or U spanned
    // R^m before this step so V contains A^T U = range(A^T); either way sigma is exact.
    const Index next = std::min(wu, n - kv);
    const bool exact = next == 0;
    // sigma = sigma_max(B_j): an SVD of the (jb) x (jb) projection, formed only where it is used
    // (the stopping test, the history or a checkpoint: IterationMonitor::records, the end)
    bool converged = false;
    if (options.tol > 0 || exact || j == options.steps || monitor.records(j)) {
      const T previous = r.sigma;
      r.sigma = b.sigma(ku, kv);
      converged =
          options.tol > 0 && j > 1 && std::abs(r.sigma - previous) <= T(options.tol) * r.sigma;
      if (exact)
        r.status = Status::Breakdown;
      else if (converged)
        r.status = Status::Converged;
      monitor.iteration(j, r.sigma, a.products(), iterate);
    }
    if (exact || converged || j == options.steps) break;

    // V_{j+1} = orth(A^T U_j against V)
    vbasis.resize(std::size_t(n * (kv + next)));
    p.resize(std::size_t(n * wu));
    specbench::apply_transpose_block(a, wu, ubasis.data() + (ku - wu) * m, p.data());
    std::copy(p.begin(), p.begin() + n * next, vbasis.begin() + n * kv);
    block_krylov_detail::orthonormalize_new<T>(vbasis.data(), n, kv, next, h);
    wv = next;
  }
  if (ritz_at != r.iterations) ritz();
  r.products = a.products();
  return monitor.finish(std::move(r));
}

}  // namespace specbench
