#pragma once
/// \file
/// The fused Gram product: y = A^T (A x), and A x, in ONE streaming read of a dense A.
///
/// Two BLAS gemv calls read A twice; a power-iteration step on A^T A is bound by memory
/// bandwidth, so the second read is the whole cost of a second product. Here A is traversed in
/// blocks of rows small enough to stay in cache between the two uses:
///   row-major:    for each row a_i: t_i = <a_i, x>, then y += t_i a_i (a_i is in L1);
///   column-major: for each block R of kBlockRows rows: t_R = A_R x (column by column), then
///                 y_j += <A_R(:, j), t_R> for every j (A_R, kBlockRows x n, is in L2).
/// Determinism: rows are grouped in fixed chunks of kChunkRows (independent of the thread count);
/// each chunk accumulates its own partial y in a fixed order, and the partials are summed in
/// chunk order, so the result is bit-identical for any number of threads. Dot products use
/// eight independent accumulators combined in a fixed tree (vectorizable without reassociation).

#include <algorithm>
#include <span>
#include <thread>
#include <vector>

#include "algorithms/dense.hpp"

namespace specbench {

namespace gram_detail {

inline constexpr Index kChunkRows = 256;  ///< rows per deterministic partial sum
inline constexpr Index kBlockRows = 256;  ///< column-major: rows per cache block

/// <a, b> over n entries with 8 accumulators, combined as ((0+4)+(2+6))+((1+5)+(3+7)).
template <class T>
T dot8(const T* a, const T* b, Index n) {
  T s[8] = {};
  Index j = 0;
  for (; j + 8 <= n; j += 8)
    for (int k = 0; k < 8; ++k) s[k] += a[j + k] * b[j + k];
  for (; j < n; ++j) s[j % 8] += a[j] * b[j];
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

/// The chunk [r0, r1) of rows: its contribution to y (into `part`, length n) and t[r0..r1).
/// Defined in gram.cpp, compiled for AVX2 and for the baseline (target clones; no FMA
/// contraction, so both clones round identically).
void chunk(const DenseMatrix<float>& a, const float* x, Index r0, Index r1, float* part, float* t);
void chunk(const DenseMatrix<double>& a, const double* x, Index r0, Index r1, double* part,
           double* t);

}  // namespace gram_detail

/// y = A^T (A x) (length n) and ax = A x (length m, may be empty) in one read of A; `threads`
/// workers (>= 1) share the chunks; the result does not depend on `threads`.
template <class T>
void fused_gram(const DenseMatrix<T>& a, std::span<const T> x, std::span<T> y, std::span<T> ax,
                int threads = 1) {
  using namespace gram_detail;
  const Index m = a.rows(), n = a.cols();
  const Index chunks = (m + kChunkRows - 1) / kChunkRows;
  std::vector<T> t_own;
  T* t = ax.empty() ? (t_own.resize(std::size_t(m)), t_own.data()) : ax.data();
  if (chunks <= 1) {
    chunk(a, x.data(), 0, m, y.data(), t);
    return;
  }
  std::vector<T> parts(std::size_t(chunks) * std::size_t(n));
  auto work = [&](Index c) {
    chunk(a, x.data(), c * kChunkRows, std::min(m, (c + 1) * kChunkRows), parts.data() + c * n, t);
  };
  const int workers = std::max(1, std::min<int>(threads, int(chunks)));
  if (workers == 1) {
    for (Index c = 0; c < chunks; ++c) work(c);
  } else {
    std::vector<std::thread> pool;
    for (int w = 0; w < workers; ++w)
      pool.emplace_back([&, w] {
        for (Index c = w; c < chunks; c += workers) work(c);
      });
    for (auto& th : pool) th.join();
  }
  // Fixed-order reduction of the partials.
  std::copy(parts.begin(), parts.begin() + n, y.begin());
  for (Index c = 1; c < chunks; ++c) {
    const T* p = parts.data() + c * n;
    for (Index j = 0; j < n; ++j) y[std::size_t(j)] += p[j];
  }
}

}  // namespace specbench
