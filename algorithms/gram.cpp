#include "algorithms/gram.hpp"

namespace specbench::gram_detail {
namespace {

/// The chunk [r0, r1) of rows: its contribution to y (into `part`, length n) and t[r0..r1).
template <class T>
inline void chunk_body(const DenseMatrix<T>& a, const T* x, Index r0, Index r1, T* part, T* t) {
  const Index n = a.cols();
  std::fill(part, part + n, T(0));
  if (a.layout() == Layout::RowMajor) {
    // Groups of kGroup rows: their dot products first (the rows stay in L2), then one pass over
    // the partial y adding all of them, so that y is read and written once per group, not per row.
    constexpr Index kGroup = 8;
    for (Index i0 = r0; i0 < r1; i0 += kGroup) {
      const Index g = std::min(kGroup, r1 - i0);
      T tg[kGroup] = {};
      const T* rows[kGroup];
      for (Index k = 0; k < g; ++k) {
        rows[k] = a.data() + (i0 + k) * n;
        tg[k] = dot8(rows[k], x, n);
        t[i0 + k] = tg[k];
      }
      if (g == kGroup) {
        for (Index j = 0; j < n; ++j)
          part[j] += ((tg[0] * rows[0][j] + tg[1] * rows[1][j]) +
                      (tg[2] * rows[2][j] + tg[3] * rows[3][j])) +
                     ((tg[4] * rows[4][j] + tg[5] * rows[5][j]) +
                      (tg[6] * rows[6][j] + tg[7] * rows[7][j]));
      } else {
        for (Index k = 0; k < g; ++k)
          for (Index j = 0; j < n; ++j) part[j] += tg[k] * rows[k][j];
      }
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
