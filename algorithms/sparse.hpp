#pragma once
/// \file
/// Sparse matrices (CSR) and the sparse operator, on Eigen's SparseMatrix. The operator keeps A
/// and A^T both row-major, so both products are row-by-row dot products in a fixed order:
/// deterministic, single-threaded, and the same work for A and A^T. The Gram product A^T A x
/// (power iteration, Lanczos process=gram) is fused into ONE pass over the CSR arrays of A:
/// row by row, t_i = <a_i, x> and then y += t_i a_i while the row's values and column indices
/// are still in L1, instead of A x then A^T (A x) over both stored matrices (two passes).

#include <Eigen/SparseCore>
#include <algorithm>
#include <span>
#include <vector>

#include "algorithms/dense.hpp"
#include "algorithms/operator.hpp"

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
  explicit SparseOperator(const CsrMatrix<T>& a) : a_(a), at_(a.transpose()) {}
  Index rows() const override { return a_.rows(); }
  Index cols() const override { return a_.cols(); }
  void apply(std::span<const T> x, std::span<T> y) const override { product(a_, x, y); }
  void apply_transpose(std::span<const T> x, std::span<T> y) const override { product(at_, x, y); }
  /// y = A^T A x and ax = A x (may be empty) in one pass over A's CSR arrays, rows in order.
  void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const override {
    std::fill(y.begin(), y.end(), T(0));
    for (Index i = 0; i < a_.rows(); ++i) {
      T t = T(0);
      for (typename CsrMatrix<T>::InnerIterator it(a_, i); it; ++it)
        t += it.value() * x[std::size_t(it.index())];
      if (!ax.empty()) ax[std::size_t(i)] = t;
      for (typename CsrMatrix<T>::InnerIterator it(a_, i); it; ++it)
        y[std::size_t(it.index())] += t * it.value();
    }
  }
  void apply_gram(std::span<const T> x, std::span<T> y) const override {
    apply_gram_with(x, y, {});
  }
  std::int64_t nonzeros() const { return a_.nonZeros(); }

 private:
  static void product(const CsrMatrix<T>& a, std::span<const T> x, std::span<T> y) {
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    const Eigen::Map<const Vector> xv(x.data(), Eigen::Index(x.size()));
    Eigen::Map<Vector> yv(y.data(), Eigen::Index(y.size()));
    yv.noalias() = a * xv;
  }
  const CsrMatrix<T>& a_;
  CsrMatrix<T> at_;
};

}  // namespace specbench
