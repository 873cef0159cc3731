/// \file
/// The sparse Cholesky upper bound of sigma1 (see sparse_bound.hpp).
///
/// Notation: u = 2^-53, eta = 2^-1074, gamma_p = p u / (1 - p u); K the order of the matrix
/// factored; L the computed factor of P M~ P^T (P CHOLMOD's fill-reducing permutation, which
/// changes no eigenvalue), R = L^T; t_j the number of entries CHOLMOD stores left of the
/// diagonal in row j of L (its supernodal pattern, explicit zeros included: at least the number
/// of terms of every inner product that forms an entry of row j).
///
/// The matrix factored, M~, is M(t) exactly (the augmented matrix: its entries are t and those
/// of A) or, for t I -+ A, with every diagonal entry fl(t -+ a_jj) stepped down by one ulp, so
/// that M~ <= M(t) entrywise on the diagonal and equal elsewhere: lambda_min(M(t)) >=
/// lambda_min(M~).
///
/// If the floating-point Cholesky factorization of a symmetric K x K matrix D runs to
/// completion (every pivot positive), R^T R = D + Delta with, for ANY order of summation,
/// blocking (CHOLMOD's supernodes, BLAS dsyrk/dgemm/dtrsm, LAPACK dpotrf) or FMA, two bounds:
///  (a) componentwise, |Delta| <= gamma_{k+5} |R^T| |R| + underflow, k = max_j t_j (Demmel
///      1989; Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Thm 10.3 with
///      Lemma 8.4: each entry is c - sum of at most t_j products, then a division or a square
///      root; gamma_{k+1} there, two roundings more for implementations that divide by
///      multiplying with a computed reciprocal, two more for safety), so for the symmetric Delta
///          ||Delta||_2 <= ||Delta||_inf <= gamma_{k+5} max_i (|L| |L^T| 1)_i;
///  (b) Rump, "Verification of positive definiteness", BIT 46 (2006), Thm 2.3 and Cor. 2.4 with
///      the sparse row counts (as INTLAB's isspd counts them from the symbolic factorization):
///          ||Delta||_2 <= sum_j (t_j + 5) u d_jj + 6 K (2 K + max_j d_jj) eta
///      (reference/gram_bound.cpp takes the same alpha_j for the dense case).
/// The underflow term of (b) is added to (a) too. Then M~ = R^T R - Delta >= -||Delta||_2 I:
/// lambda_min(M~) >= -beta with beta the smaller bound, and t - sigma1 = lambda_min(M(t)) >=
/// -beta (augmented: eigenvalues t +- sigma_i and t; symmetric: t - lambda_max(A) and t +
/// lambda_min(A), both factored). So sigma1 <= t + beta.
/// Rounding of beta itself: (b) is a sum of K + 1 non-negative terms, (a) a row sum of column
/// sums of non-negative terms; each is multiplied by (1 + 4 gamma_{p + 2}) for the p terms it
/// adds, and t + beta is rounded up by one ulp.

#include "reference/sparse_bound.hpp"

#include <cholmod.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>

namespace specbench::reference_detail {
namespace {

constexpr double kU = std::numeric_limits<double>::epsilon() / 2;
constexpr double kEta = std::numeric_limits<double>::denorm_min();
constexpr double kInf = std::numeric_limits<double>::infinity();

double gamma(double p) {
  return p * kU < 0.5 ? p * kU / (1 - p * kU) : kInf;
}

/// CHOLMOD's workspace, set for a supernodal LL^T factorization (Rump's and Demmel's analyses
/// are of LL^T; a simplicial LDL^T would need another one) and silent.
struct Cholmod {
  cholmod_common c;
  Cholmod() {
    cholmod_l_start(&c);
    c.supernodal = CHOLMOD_SUPERNODAL;
    c.final_ll = 1;
    c.print = 0;
    c.error_handler = nullptr;
  }
  ~Cholmod() { cholmod_l_finish(&c); }
  Cholmod(const Cholmod&) = delete;
  Cholmod& operator=(const Cholmod&) = delete;
};

struct SparseDeleter {
  cholmod_common* c;
  void operator()(cholmod_sparse* s) const { cholmod_l_free_sparse(&s, c); }
};
struct FactorDeleter {
  cholmod_common* c;
  void operator()(cholmod_factor* f) const { cholmod_l_free_factor(&f, c); }
};
using SparsePtr = std::unique_ptr<cholmod_sparse, SparseDeleter>;
using FactorPtr = std::unique_ptr<cholmod_factor, FactorDeleter>;

/// The lower triangle of M~ (file comment) in CHOLMOD's compressed-column form, stype -1.
/// sign = 0: the augmented [t I A; A^T t I]; sign = +1: t I - A; sign = -1: t I + A.
SparsePtr lower_triangle(const CsrView& a, double t, int sign, Cholmod& ch) {
  const std::int64_t order = sign == 0 ? a.m + a.n : a.n;
  std::int64_t entries = order;  // the diagonal
  if (sign == 0) {
    entries += a.nnz();
  } else {
    for (std::int64_t i = 0; i < a.m; ++i)
      for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) entries += a.col[p] > i;
  }
  SparsePtr s(cholmod_l_allocate_sparse(std::size_t(order), std::size_t(order),
                                        std::size_t(entries), 1, 1, -1, CHOLMOD_REAL, &ch.c),
              SparseDeleter{&ch.c});
  if (!s) throw std::runtime_error("CHOLMOD could not allocate the shifted matrix");
  auto* cp = static_cast<std::int64_t*>(s->p);
  auto* ri = static_cast<std::int64_t*>(s->i);
  auto* x = static_cast<double*>(s->x);
  std::int64_t q = 0;
  for (std::int64_t j = 0; j < order; ++j) {
    cp[j] = q;
    ri[q] = j;
    x[q++] = t;
    if (sign == 0) {
      // column j < m: row m + k holds a_jk (the block A^T below the diagonal)
      if (j < a.m)
        for (std::int64_t p = a.row_ptr[j]; p < a.row_ptr[j + 1]; ++p) {
          ri[q] = a.m + a.col[p];
          x[q++] = a.val[p];
        }
      continue;
    }
    // column j of t I - sign A below the diagonal: row j's entries right of it (A = A^T)
    const std::int64_t diag = q - 1;
    for (std::int64_t p = a.row_ptr[j]; p < a.row_ptr[j + 1]; ++p) {
      const std::int64_t i = a.col[p];
      if (i == j) {
        x[diag] = std::nextafter(t - double(sign) * a.val[p], -kInf);
      } else if (i > j) {
        ri[q] = i;
        x[q++] = -double(sign) * a.val[p];
      }
    }
  }
  cp[order] = q;
  return s;
}

/// beta for a completed supernodal factor (file comment, bounds (a) and (b)), and the counts.
void backward_error(const cholmod_factor& f, const cholmod_sparse& m, SparseUpperBound& out) {
  const auto order = std::int64_t(f.n);
  const auto* super = static_cast<const std::int64_t*>(f.super);
  const auto* pi = static_cast<const std::int64_t*>(f.pi);
  const auto* px = static_cast<const std::int64_t*>(f.px);
  const auto* rows = static_cast<const std::int64_t*>(f.s);
  const auto* perm = static_cast<const std::int64_t*>(f.Perm);
  const auto* x = static_cast<const double*>(f.x);
  std::vector<std::int64_t> left(std::size_t(order), 0);  // t_j
  std::vector<double> colsum(std::size_t(order), 0.0), z(std::size_t(order), 0.0);
  std::int64_t stored = 0, longest = 0;
  // y = |L^T| 1 (column sums of |L|), then z = |L| y, over the lower part of each supernode
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t sn = 0; sn < f.nsuper; ++sn) {
      const std::int64_t first = super[sn], cols = super[sn + 1] - first;
      const std::int64_t nrow = pi[sn + 1] - pi[sn];
      for (std::int64_t k = 0; k < cols; ++k) {
        const std::int64_t j = first + k;
        const double* column = x + px[sn] + k * nrow;
        for (std::int64_t r = k; r < nrow; ++r) {
          const std::int64_t i = rows[pi[sn] + r];
          const double v = std::abs(column[r]);
          if (pass == 0) {
            colsum[std::size_t(j)] += v;
            if (i != j) ++left[std::size_t(i)];
            ++stored;
          } else {
            z[std::size_t(i)] += v * colsum[std::size_t(j)];
          }
        }
        if (pass == 0) longest = std::max(longest, nrow - k);
      }
    }
  const std::int64_t k = *std::max_element(left.begin(), left.end());
  // d_jj: the diagonal of P M~ P^T (row perm[j] of M~; the diagonal leads each column of m)
  const auto* mp = static_cast<const std::int64_t*>(m.p);
  const auto* mx = static_cast<const double*>(m.x);
  double rump = 0, max_diag = 0;
  for (std::int64_t j = 0; j < order; ++j) {
    const double d = mx[mp[perm[j]]];
    rump += double(left[std::size_t(j)] + 5) * kU * d;
    max_diag = std::max(max_diag, d);
  }
  const double kk = double(order);
  const double underflow = 6 * kk * (2 * kk + max_diag) * kEta;
  rump = rump * (1 + 4 * gamma(kk + 2)) + underflow;
  const double zmax = *std::max_element(z.begin(), z.end());
  const double demmel =
      gamma(double(k) + 5) * zmax * (1 + 4 * gamma(double(std::max(k, longest)) + 2)) + underflow;
  out.beta = std::max(out.beta, std::min(rump, demmel) * (1 + 4 * kU));
  out.factor_entries += stored;
  out.max_row_count = std::max(out.max_row_count, k);
}

}  // namespace

/// CHOLMOD's state of one factorization: its workspace, the matrix and the factor.
struct ShiftedCholesky::State {
  Cholmod ch;
  SparsePtr m{nullptr, SparseDeleter{&ch.c}};
  FactorPtr f{nullptr, FactorDeleter{&ch.c}};
};

ShiftedCholesky::ShiftedCholesky(const CsrView& a, double t, int sign, double budget,
                                 SparseUpperBound& out)
    : state_(std::make_unique<State>()), order_(sign == 0 ? a.m + a.n : a.n) {
  cholmod_common* c = &state_->ch.c;
  state_->m = lower_triangle(a, t, sign, state_->ch);
  state_->f.reset(cholmod_l_analyze(state_->m.get(), c));
  cholmod_factor* f = state_->f.get();
  if (!f) {
    out.why = "CHOLMOD's analysis failed (status " + std::to_string(c->status) + ")";
    return;
  }
  // Supernodal analysis sizes the factor: xsize doubles and ssize row indices.
  const double bytes = double(f->xsize) * 8 + double(f->ssize) * 8;
  out.factor_bytes = std::max(out.factor_bytes, bytes);
  if (bytes > budget) {
    out.why = "the factor would need " + std::to_string(bytes / 1e9) + " GB (budget " +
              std::to_string(budget / 1e9) + " GB)";
    return;
  }
  const int done = cholmod_l_factorize(state_->m.get(), f, c);
  const char* what = sign == 0 ? "[t I A; A^T t I]" : sign > 0 ? "t I - A" : "t I + A";
  if (!done || c->status == CHOLMOD_OUT_OF_MEMORY) {
    out.why = std::string("CHOLMOD could not factor ") + what + " (status " +
              std::to_string(c->status) + ")";
    return;
  }
  if (c->status == CHOLMOD_NOT_POSDEF || f->minor < f->n || !f->is_super || !f->is_ll) {
    out.why = std::string(what) + " is not positive definite as computed (column " +
              std::to_string(f->minor) + " of " + std::to_string(f->n) + ")";
    return;
  }
  backward_error(*f, *state_->m, out);
  ok_ = true;
}

ShiftedCholesky::~ShiftedCholesky() = default;
ShiftedCholesky::ShiftedCholesky(ShiftedCholesky&&) noexcept = default;
ShiftedCholesky& ShiftedCholesky::operator=(ShiftedCholesky&&) noexcept = default;

void ShiftedCholesky::solve(std::vector<double>& x) const {
  if (!ok_ || std::int64_t(x.size()) != order_)
    throw std::invalid_argument("ShiftedCholesky::solve: no factor, or a wrong length");
  cholmod_common* c = &state_->ch.c;
  cholmod_dense* b =
      cholmod_l_allocate_dense(std::size_t(order_), 1, std::size_t(order_), CHOLMOD_REAL, c);
  if (!b) throw std::runtime_error("CHOLMOD could not allocate a vector");
  std::copy(x.begin(), x.end(), static_cast<double*>(b->x));
  cholmod_dense* y = cholmod_l_solve(CHOLMOD_A, state_->f.get(), b, c);
  cholmod_l_free_dense(&b, c);
  if (!y) throw std::runtime_error("CHOLMOD's solve failed");
  const auto* v = static_cast<const double*>(y->x);
  std::copy(v, v + order_, x.begin());
  cholmod_l_free_dense(&y, c);
}

bool is_symmetric(const CsrView& a) {
  if (a.m != a.n) return false;
  // a_ij == a_ji for every stored entry, and equal counts: each entry finds its mirror by
  // binary search in the mirror row (columns are strictly increasing).
  for (std::int64_t i = 0; i < a.m; ++i)
    for (std::int64_t p = a.row_ptr[i]; p < a.row_ptr[i + 1]; ++p) {
      const std::int64_t j = a.col[p];
      const std::int64_t* begin = a.col + a.row_ptr[j];
      const std::int64_t* end = a.col + a.row_ptr[j + 1];
      const std::int64_t* hit = std::lower_bound(begin, end, i);
      if (hit == end || *hit != i || a.val[hit - a.col] != a.val[p]) return false;
    }
  return true;
}

SparseUpperBound prove_sparse_upper_bound(const CsrView& a, double t, double max_factor_bytes) {
  if (!(t > 0) || !std::isfinite(t))
    throw std::invalid_argument("prove_sparse_upper_bound: t must be finite and positive");
  if (a.m < 1 || a.n < 1) throw std::invalid_argument("prove_sparse_upper_bound: empty matrix");
  for (std::int64_t p = 0; p < a.nnz(); ++p)
    if (!std::isfinite(a.val[p]))
      throw std::invalid_argument("prove_sparse_upper_bound: non-finite entry");
  SparseUpperBound out;
  out.t = t;
  out.symmetric = is_symmetric(a);
  out.order = out.symmetric ? a.n : a.m + a.n;
  const bool ok = out.symmetric ? ShiftedCholesky(a, t, +1, max_factor_bytes, out).ok() &&
                                      ShiftedCholesky(a, t, -1, max_factor_bytes, out).ok()
                                : ShiftedCholesky(a, t, 0, max_factor_bytes, out).ok();
  if (!ok) return out;
  out.proven = std::isfinite(out.beta);
  out.bound = std::nextafter(t + out.beta, kInf);
  if (!out.proven) out.why = "the rounding bound overflowed";
  return out;
}

}  // namespace specbench::reference_detail
