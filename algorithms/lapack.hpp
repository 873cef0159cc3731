#pragma once
/// \file
/// Overloads of the LAPACKE routines the estimators use, for float and double. A non-zero LAPACK
/// `info` is a failure of the library call (exit code 1), never bad input, so it throws
/// std::runtime_error naming the routine.

#include <lapacke.h>

#include <algorithm>
#include <limits>
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

/// The largest eigenvalue of the symmetric tridiagonal (d, e) by ?stevx for that one value
/// (bisection with abstol = 2 * underflow, LAPACK's most accurate setting; O(n) per bisection
/// step instead of all values). With `vector` (length n) also its eigenvector by inverse
/// iteration. d and e are overwritten.
template <class T>
T tridiagonal_top(Index n, T* d, T* e, T* vector = nullptr) {
  lapack_int found = 0, fail = 0;
  T dummy = 0;
  std::vector<T> w(static_cast<std::size_t>(n));  // LAPACK: "dimension (N)"
  const char jobz = vector ? 'V' : 'N';
  T* z = vector ? vector : &dummy;
  const auto ldz = lapack_int(vector ? n : 1);
  const T abstol = 2 * std::numeric_limits<T>::min();
  lapack_int info = 0;
  if constexpr (std::is_same_v<T, float>)
    info = LAPACKE_sstevx(LAPACK_COL_MAJOR, jobz, 'I', lapack_int(n), d, e, 0, 0, lapack_int(n),
                          lapack_int(n), abstol, &found, w.data(), z, ldz, &fail);
  else
    info = LAPACKE_dstevx(LAPACK_COL_MAJOR, jobz, 'I', lapack_int(n), d, e, 0, 0, lapack_int(n),
                          lapack_int(n), abstol, &found, w.data(), z, ldz, &fail);
  check(info, "stevx");
  return w[0];
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
