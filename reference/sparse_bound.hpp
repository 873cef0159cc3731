#pragma once
/// \file
/// A gap-free upper bound of sigma1 for a sparse matrix that is never densified: a sparse
/// Cholesky factorization (CHOLMOD, supernodal LL^T, fill-reducing ordering) of a shifted
/// matrix that is positive definite exactly when t > sigma1, with a rigorous bound of the
/// factorization's rounding error (derived in sparse_bound.cpp). Only IEEE double arithmetic
/// with rounding to nearest is assumed: not CHOLMOD's or BLAS's accuracy, not a gap.
///
///   general A (m x n):   M(t) = [t I  A; A^T  t I]    (eigenvalues t +- sigma_i, and t),
///   symmetric A (n x n): M(t) = t I - A and t I + A   (sigma1 = max(lambda_max, -lambda_min));
///
/// if the factorization of M(t) runs to completion, lambda_min(M(t)) >= -beta with the proven
/// beta, so sigma1 <= t + beta. This is the upper half of the sparse certified reference; the
/// lower half is a Rayleigh quotient (any unit u, v give u^T A v <= sigma1).

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace specbench::reference_detail {

/// A sparse matrix in compressed sparse row form, 0-based: row i holds the entries
/// col[row_ptr[i] .. row_ptr[i+1]-1] (strictly increasing within a row) with values val[...].
/// Non-owning.
struct CsrView {
  std::int64_t m = 0, n = 0;
  const std::int64_t* row_ptr = nullptr;
  const std::int64_t* col = nullptr;
  const double* val = nullptr;
  std::int64_t nnz() const { return row_ptr[m]; }
};

/// True if A equals its transpose exactly (square, same pattern, same values).
bool is_symmetric(const CsrView& a);

struct SparseUpperBound {
  bool proven = false;     ///< sigma1 <= bound is proven (false: the factorization failed or was
                           ///< not attempted; `why` says which)
  double bound = 0;        ///< t + beta, rounded up
  double t = 0;            ///< the shift factored
  double beta = 0;         ///< the proven bound of the factorization's backward error (2-norm)
  bool symmetric = false;  ///< factored t I - A and t I + A instead of the augmented one
  std::int64_t order = 0;  ///< order of the matrix factored (n, or m + n)
  std::int64_t factor_entries = 0;  ///< entries stored in the factor(s), explicit zeros included
  std::int64_t max_row_count = 0;   ///< most entries left of the diagonal in a row of L
  double factor_bytes = 0;          ///< predicted (before factoring) bytes of the largest factor
  std::string why;                  ///< when not proven: "not positive definite at column k of
                                    ///< t I - A", "the factor would need N GB (budget M GB)"
};

/// One Cholesky factorization of M~(t) (sparse_bound.cpp): sign 0 the augmented matrix
/// [t I A; A^T t I], +1 t I - A, -1 t I + A (A symmetric). If it completes, ok() and `out`
/// gets its beta (the larger of out.beta and this one), entries and row counts; otherwise `out.why`
/// says why. A completed factor also solves M~ x = b (inverse iteration with the shift t).
class ShiftedCholesky {
 public:
  ShiftedCholesky(const CsrView& a, double t, int sign, double max_factor_bytes,
                  SparseUpperBound& out);
  ~ShiftedCholesky();
  ShiftedCholesky(ShiftedCholesky&&) noexcept;
  ShiftedCholesky& operator=(ShiftedCholesky&&) noexcept;
  ShiftedCholesky(const ShiftedCholesky&) = delete;
  ShiftedCholesky& operator=(const ShiftedCholesky&) = delete;
  bool ok() const { return ok_; }
  std::int64_t order() const { return order_; }
  /// x <- M~^{-1} x (x of length order()).
  void solve(std::vector<double>& x) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
  std::int64_t order_ = 0;
  bool ok_ = false;
};

/// Tries to prove sigma1(A) <= t + beta by a Cholesky factorization of M(t) (see the file
/// comment); refuses, before factoring, when CHOLMOD's analysis predicts a factor larger than
/// `max_factor_bytes`. t must be finite and positive; A's entries finite.
SparseUpperBound prove_sparse_upper_bound(const CsrView& a, double t, double max_factor_bytes);

}  // namespace specbench::reference_detail
