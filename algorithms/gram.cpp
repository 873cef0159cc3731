#include "algorithms/gram.hpp"

namespace specbench::gram_detail {
namespace {

/// The chunk [r0, r1) of rows: its contribution to y (into `part`, length n) and t[r0..r1).
template <class T>
inline void chunk_body(const DenseMatrix<T>& a, const T* x, Index r0, Index r1, T* part, T* t) {
  const Index n = a.cols();
  std::fill(part, part + n, T(0));
  if (a.layout() == Layout::RowMajor) {
    for (Index i = r0; i < r1; ++i) {
      const T* row = a.data() + i * n;
      const T ti = dot8(row, x, n);
      t[i] = ti;
      for (Index j = 0; j < n; ++j) part[j] += ti * row[j];
    }
    return;
  }
  const Index m = a.rows();
  for (Index b0 = r0; b0 < r1; b0 += kBlockRows) {
    const Index len = std::min(kBlockRows, r1 - b0);
    alignas(64) T tb[kBlockRows] = {};
    for (Index j = 0; j < n; ++j) {  // t_R = A_R x
      const T* col = a.data() + b0 + j * m;
      const T xj = x[j];
      for (Index k = 0; k < len; ++k) tb[k] += col[k] * xj;
    }
    for (Index k = 0; k < len; ++k) t[b0 + k] = tb[k];
    for (Index j = 0; j < n; ++j) {  // y += A_R^T t_R, A_R from cache
      part[j] += dot8(a.data() + b0 + j * m, tb, len);
    }
  }
}

}  // namespace

__attribute__((target_clones("arch=x86-64-v3", "default"))) void chunk(const DenseMatrix<float>& a,
                                                                       const float* x, Index r0,
                                                                       Index r1, float* part,
                                                                       float* t) {
  chunk_body(a, x, r0, r1, part, t);
}

__attribute__((target_clones("arch=x86-64-v3", "default"))) void chunk(const DenseMatrix<double>& a,
                                                                       const double* x, Index r0,
                                                                       Index r1, double* part,
                                                                       double* t) {
  chunk_body(a, x, r0, r1, part, t);
}

}  // namespace specbench::gram_detail
