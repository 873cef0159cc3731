#pragma once
/// \file
/// Overloads of the LAPACKE routines the estimators use, for float and double. A non-zero LAPACK
/// `info` is a failure of the library call (exit code 1), never bad input, so it throws
/// std::runtime_error naming the routine.

#include <lapacke.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "algorithms/blas.hpp"

namespace specbench::lapack {

inline void check(lapack_int info, const char* routine) {
  if (info != 0) {
    throw std::runtime_error(std::string("LAPACK ") + routine +
                             " failed with info = " + std::to_string(info));
  }
}

inline lapack_int geqrf(Index m, Index n, float* a, Index lda, float* tau) {
  return LAPACKE_sgeqrf(LAPACK_COL_MAJOR, lapack_int(m), lapack_int(n), a, lapack_int(lda), tau);
}
inline lapack_int geqrf(Index m, Index n, double* a, Index lda, double* tau) {
  return LAPACKE_dgeqrf(LAPACK_COL_MAJOR, lapack_int(m), lapack_int(n), a, lapack_int(lda), tau);
}
inline lapack_int orgqr(Index m, Index n, Index k, float* a, Index lda, const float* tau) {
  return LAPACKE_sorgqr(LAPACK_COL_MAJOR, lapack_int(m), lapack_int(n), lapack_int(k), a,
                        lapack_int(lda), tau);
}
inline lapack_int orgqr(Index m, Index n, Index k, double* a, Index lda, const double* tau) {
  return LAPACKE_dorgqr(LAPACK_COL_MAJOR, lapack_int(m), lapack_int(n), lapack_int(k), a,
                        lapack_int(lda), tau);
}

/// Replaces the m x k column-major block `a` (k <= m) by the Q factor of its Householder QR,
/// an m x k matrix with orthonormal columns spanning the same space when `a` has full rank.
template <class T>
void orthonormalize_columns(T* a, Index m, Index k) {
  if (k == 0) return;
  std::vector<T> tau(std::size_t(std::min(m, k)));
  check(geqrf(m, k, a, m, tau.data()), "geqrf");
  check(orgqr(m, k, k, a, m, tau.data()), "orgqr");
}

/// SVD of an n x n upper bidiagonal matrix (d: diagonal, e: superdiagonal, both overwritten):
/// on return d holds the singular values in decreasing order; if `ncvt`/`nru` are non-zero,
/// vt (n x ncvt) and u (nru x n) are post-multiplied as in LAPACK ?bdsqr.
inline lapack_int bdsqr(char uplo, Index n, Index ncvt, Index nru, float* d, float* e, float* vt,
                        Index ldvt, float* u, Index ldu) {
  return LAPACKE_sbdsqr(LAPACK_COL_MAJOR, uplo, lapack_int(n), lapack_int(ncvt), lapack_int(nru), 0,
                        d, e, vt, lapack_int(std::max<Index>(ldvt, 1)), u,
                        lapack_int(std::max<Index>(ldu, 1)), nullptr, 1);
}
inline lapack_int bdsqr(char uplo, Index n, Index ncvt, Index nru, double* d, double* e, double* vt,
                        Index ldvt, double* u, Index ldu) {
  return LAPACKE_dbdsqr(LAPACK_COL_MAJOR, uplo, lapack_int(n), lapack_int(ncvt), lapack_int(nru), 0,
                        d, e, vt, lapack_int(std::max<Index>(ldvt, 1)), u,
                        lapack_int(std::max<Index>(ldu, 1)), nullptr, 1);
}

/// Eigenvalues (ascending, in d) and, with jobz = 'V', eigenvectors (z, n x n) of the symmetric
/// tridiagonal matrix with diagonal d and off-diagonal e (both overwritten).
inline lapack_int stev(char jobz, Index n, float* d, float* e, float* z, Index ldz) {
  return LAPACKE_sstev(LAPACK_COL_MAJOR, jobz, lapack_int(n), d, e, z,
                       lapack_int(std::max<Index>(ldz, 1)));
}
inline lapack_int stev(char jobz, Index n, double* d, double* e, double* z, Index ldz) {
  return LAPACKE_dstev(LAPACK_COL_MAJOR, jobz, lapack_int(n), d, e, z,
                       lapack_int(std::max<Index>(ldz, 1)));
}

/// Thin SVD of an m x n column-major matrix (overwritten): s (min(m,n)), u (m x min), vt (min x n).
inline lapack_int gesvd(Index m, Index n, float* a, Index lda, float* s, float* u, Index ldu,
                        float* vt, Index ldvt) {
  std::vector<float> superb(std::size_t(std::max<Index>(std::min(m, n), 2)));
  return LAPACKE_sgesvd(LAPACK_COL_MAJOR, 'S', 'S', lapack_int(m), lapack_int(n), a,
                        lapack_int(lda), s, u, lapack_int(ldu), vt, lapack_int(ldvt),
                        superb.data());
}
inline lapack_int gesvd(Index m, Index n, double* a, Index lda, double* s, double* u, Index ldu,
                        double* vt, Index ldvt) {
  std::vector<double> superb(std::size_t(std::max<Index>(std::min(m, n), 2)));
  return LAPACKE_dgesvd(LAPACK_COL_MAJOR, 'S', 'S', lapack_int(m), lapack_int(n), a,
                        lapack_int(lda), s, u, lapack_int(ldu), vt, lapack_int(ldvt),
                        superb.data());
}

}  // namespace specbench::lapack
