#pragma once
/// \file
/// Overloads of the few CBLAS routines specbench uses, for float and double, so that templated
/// code can call `blas::gemv(...)` for either scalar. Column-major unless a layout is passed.

#include <cblas.h>

#include <cstdint>
#include <span>

#include "core/types.hpp"  // Index (BLAS takes int; sizes are checked)

namespace specbench {

namespace blas {

// y = alpha op(A) x + beta y
inline void gemv(CBLAS_ORDER order, CBLAS_TRANSPOSE trans, Index m, Index n, float alpha,
                 const float* a, Index lda, const float* x, float beta, float* y) {
  cblas_sgemv(order, trans, int(m), int(n), alpha, a, int(lda), x, 1, beta, y, 1);
}
inline void gemv(CBLAS_ORDER order, CBLAS_TRANSPOSE trans, Index m, Index n, double alpha,
                 const double* a, Index lda, const double* x, double beta, double* y) {
  cblas_dgemv(order, trans, int(m), int(n), alpha, a, int(lda), x, 1, beta, y, 1);
}

// C = alpha op(A) op(B) + beta C
inline void gemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, Index m, Index n,
                 Index k, float alpha, const float* a, Index lda, const float* b, Index ldb,
                 float beta, float* c, Index ldc) {
  cblas_sgemm(order, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c,
              int(ldc));
}
inline void gemm(CBLAS_ORDER order, CBLAS_TRANSPOSE ta, CBLAS_TRANSPOSE tb, Index m, Index n,
                 Index k, double alpha, const double* a, Index lda, const double* b, Index ldb,
                 double beta, double* c, Index ldc) {
  cblas_dgemm(order, ta, tb, int(m), int(n), int(k), alpha, a, int(lda), b, int(ldb), beta, c,
              int(ldc));
}

inline float dot(std::span<const float> x, std::span<const float> y) {
  return cblas_sdot(int(x.size()), x.data(), 1, y.data(), 1);
}
inline double dot(std::span<const double> x, std::span<const double> y) {
  return cblas_ddot(int(x.size()), x.data(), 1, y.data(), 1);
}

/// Euclidean norm, computed by BLAS with scaling (no overflow for large entries).
inline float nrm2(std::span<const float> x) {
  return cblas_snrm2(int(x.size()), x.data(), 1);
}
inline double nrm2(std::span<const double> x) {
  return cblas_dnrm2(int(x.size()), x.data(), 1);
}

inline void scal(float alpha, std::span<float> x) {
  cblas_sscal(int(x.size()), alpha, x.data(), 1);
}
inline void scal(double alpha, std::span<double> x) {
  cblas_dscal(int(x.size()), alpha, x.data(), 1);
}

// y += alpha x
inline void axpy(float alpha, std::span<const float> x, std::span<float> y) {
  cblas_saxpy(int(x.size()), alpha, x.data(), 1, y.data(), 1);
}
inline void axpy(double alpha, std::span<const double> x, std::span<double> y) {
  cblas_daxpy(int(x.size()), alpha, x.data(), 1, y.data(), 1);
}

}  // namespace blas
}  // namespace specbench
