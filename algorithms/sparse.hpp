#pragma once
/// \file
/// Sparse matrices (CSR) and the sparse operator, on Eigen's SparseMatrix. The operator keeps A
/// and A^T both row-major, so both products are row-by-row dot products (gathers) in a fixed
/// order: deterministic for any thread count, and the same work for A and A^T. The Gram product
/// A^T A x takes one pass over A where that is faster (see apply_gram_with).

#include <Eigen/SparseCore>
#include <algorithm>
#include <cstdlib>
#include <span>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/operator.hpp"
#include "core/parallel.hpp"

namespace specbench {

template <class T>
using CsrMatrix = Eigen::SparseMatrix<T, Eigen::RowMajor, std::int64_t>;

/// The nonzero entries of a dense matrix as CSR (explicit zeros are dropped: they contribute
/// nothing to a product), converted to U.
template <class U, class T>
CsrMatrix<U> to_csr(const DenseMatrix<T>& a) {
  std::vector<Eigen::Triplet<U, std::int64_t>> entries;
  for (Index j = 0; j < a.cols(); ++j)
    for (Index i = 0; i < a.rows(); ++i)
      if (a(i, j) != T(0)) entries.emplace_back(i, j, static_cast<U>(a(i, j)));
  CsrMatrix<U> out(a.rows(), a.cols());
  out.setFromTriplets(entries.begin(), entries.end());
  out.makeCompressed();
  return out;
}

/// y = A x and y = A^T x on a CSR matrix (the transpose is built once, at construction).
template <class T>
class SparseOperator final : public Operator<T> {
 public:
  /// `threads` workers for the products (results do not depend on it).
  explicit SparseOperator(const CsrMatrix<T>& a, int threads = 1)
      : a_(a), at_(a.transpose()), threads_(threads), local_(scatter_is_local(a)) {
    SPECBENCH_REQUIRE(threads >= 1, "SparseOperator: threads must be >= 1, got ", threads);
  }
  Index rows() const override { return a_.rows(); }
  Index cols() const override { return a_.cols(); }
  /// The matrix the operator reads (for plug-ins that take the matrix itself).
  const CsrMatrix<T>& matrix() const { return a_; }
  void apply(std::span<const T> x, std::span<T> y) const override { product(a_, x, y); }
  void apply_transpose(std::span<const T> x, std::span<T> y) const override { product(at_, x, y); }
  /// y = A^T A x and ax = A x (may be empty). On one worker, when the columns a row block touches
  /// stay in cache (see scatter_is_local), in ONE pass over A's CSR arrays: t_i = <a_i, x>, then
  /// y += t_i a_i while the row is in L1. Otherwise A x, then A^T (A x) from the stored transpose
  /// (two gathers, parallel): scattered read-modify-writes into a y larger than the cache cost
  /// more than the second pass (README, Benchmarks). Both orders compute
  /// y_j = (((0 + a_{i1 j} t_{i1}) + a_{i2 j} t_{i2}) + ...) over the rows i1 < i2 < ... of
  /// column j, the same operations in the same order, so the choice never changes a bit (tested).
  void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const override {
    std::vector<T> own;
    if (ax.empty()) own.resize(static_cast<std::size_t>(a_.rows())), ax = own;
    if (local_ && workers(a_) == 1) {
      std::fill(y.begin(), y.end(), T(0));
      for (Index i = 0; i < a_.rows(); ++i) {
        T t = T(0);
        for (typename CsrMatrix<T>::InnerIterator it(a_, i); it; ++it)
          t += it.value() * x[std::size_t(it.index())];
        ax[std::size_t(i)] = t;
        for (typename CsrMatrix<T>::InnerIterator it(a_, i); it; ++it)
          y[std::size_t(it.index())] += it.value() * t;
      }
      return;
    }
    apply(x, ax);
    apply_transpose(std::span<const T>(ax), y);
  }
  /// Whether apply_gram_with takes the one-pass route on one worker.
  bool one_pass_gram() const { return local_; }
  std::int64_t nonzeros() const { return a_.nonZeros(); }

 private:
  /// The one-pass scatter stays in cache when the columns touched by nearby rows fit in 512 KiB
  /// (a conservative L2): all of y, or a band |j - i n / m| <= d around the diagonal. Measured
  /// (README, Benchmarks): 1.3-1.6x faster than two passes then, 1.8x slower for random columns
  /// over an 8 MiB y.
  static bool scatter_is_local(const CsrMatrix<T>& a) {
    constexpr Index kCache = Index(512) << 10;
    const Index m = a.rows(), n = a.cols();
    if (n * Index(sizeof(T)) <= kCache) return true;
    Index d = 0;
    for (Index i = 0; i < m; ++i)
      for (typename CsrMatrix<T>::InnerIterator it(a, i); it; ++it)
        d = std::max(d, std::abs(Index(it.index()) - i * n / std::max<Index>(m, 1)));
    return (2 * d + 1) * Index(sizeof(T)) <= kCache;
  }
  /// Workers worth starting: at least 2^16 nonzeros (tens of microseconds) each.
  int workers(const CsrMatrix<T>& a) const {
    return int(std::max<Index>(1, std::min<Index>(threads_, a.nonZeros() / (Index(1) << 16))));
  }
  /// y = M x, row by row: y_i = sum over row i's nonzeros in stored (column) order, whichever
  /// thread computes it, so the result does not depend on the thread count. Rows are split into
  /// contiguous ranges of about equal nonzeros, one per worker.
  void product(const CsrMatrix<T>& a, std::span<const T> x, std::span<T> y) const {
    const Index rows = a.rows(), nnz = a.nonZeros();
    const int workers = this->workers(a);
    auto range = [&](Index r0, Index r1) {
      for (Index i = r0; i < r1; ++i) {
        T s = T(0);
        for (typename CsrMatrix<T>::InnerIterator it(a, i); it; ++it)
          s += it.value() * x[std::size_t(it.index())];
        y[std::size_t(i)] = s;
      }
    };
    if (workers == 1) return range(0, rows);
    // Row boundaries at multiples of nnz / workers in the cumulative nonzero count.
    std::vector<Index> bounds(std::size_t(workers) + 1, rows);
    bounds[0] = 0;
    Index i = 0;
    for (int w = 1; w < workers; ++w) {
      const Index want = nnz * w / workers;
      while (i < rows && a.outerIndexPtr()[i] < want) ++i;
      bounds[std::size_t(w)] = i;
    }
    run_parallel(workers, workers,
                 [&](Index w) { range(bounds[std::size_t(w)], bounds[std::size_t(w) + 1]); });
  }
  const CsrMatrix<T>& a_;
  CsrMatrix<T> at_;
  int threads_ = 1;
  bool local_ = false;  ///< scatter_is_local(a_)
};

}  // namespace specbench
