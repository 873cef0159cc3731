#pragma once
/// \file
/// Dense matrices and the dense operator (BLAS gemv / gemm), in row- or column-major storage.

#include <algorithm>
#include <span>
#include <vector>

#include "algorithms/error.hpp"
#include "algorithms/operator.hpp"

namespace specbench {

enum class Layout { ColMajor, RowMajor };

/// An owning dense m x n matrix. Column-major by default (LAPACK's order).
template <class T>
class DenseMatrix {
 public:
  using Scalar = T;
  DenseMatrix() = default;
  DenseMatrix(Index m, Index n, Layout layout = Layout::ColMajor)
      : m_(m), n_(n), layout_(layout), data_(checked_size(m, n), T(0)) {}

  Index rows() const { return m_; }
  Index cols() const { return n_; }
  Layout layout() const { return layout_; }
  /// Leading dimension: m for column-major, n for row-major.
  Index ld() const {
    return layout_ == Layout::ColMajor ? std::max<Index>(m_, 1) : std::max<Index>(n_, 1);
  }
  T* data() { return data_.data(); }
  const T* data() const { return data_.data(); }
  std::span<T> values() { return data_; }
  std::span<const T> values() const { return data_; }

  T& operator()(Index i, Index j) { return data_[std::size_t(offset(i, j))]; }
  const T& operator()(Index i, Index j) const { return data_[std::size_t(offset(i, j))]; }

  /// Entry-wise conversion (rounding to nearest when narrowing double to float) and re-layout.
  template <class U>
  DenseMatrix<U> convert(Layout layout) const {
    DenseMatrix<U> out(m_, n_, layout);
    for (Index j = 0; j < n_; ++j)
      for (Index i = 0; i < m_; ++i) out(i, j) = static_cast<U>((*this)(i, j));
    return out;
  }

 private:
  static std::size_t checked_size(Index m, Index n) {
    SPECBENCH_REQUIRE(m >= 0 && n >= 0, "matrix dimensions must be non-negative, got ", m, " x ",
                      n);
    // BLAS and LAPACK take 32-bit ints: each dimension and the leading dimension must fit.
    SPECBENCH_REQUIRE(m < (Index(1) << 31) && n < (Index(1) << 31), "matrix dimensions ", m, " x ",
                      n, " exceed the 32-bit BLAS index range");
    return std::size_t(m) * std::size_t(n);
  }
  Index offset(Index i, Index j) const {
    return layout_ == Layout::ColMajor ? i + j * m_ : i * n_ + j;
  }

  Index m_ = 0, n_ = 0;
  Layout layout_ = Layout::ColMajor;
  std::vector<T> data_;
};

/// y = A x and y = A^T x by BLAS gemv, Y = A X by gemm, on a DenseMatrix it does not own.
template <class T>
class DenseOperator final : public Operator<T> {
 public:
  explicit DenseOperator(const DenseMatrix<T>& a) : a_(a) {}
  Index rows() const override { return a_.rows(); }
  Index cols() const override { return a_.cols(); }

  void apply(std::span<const T> x, std::span<T> y) const override {
    if (empty(y)) return;
    blas::gemv(order(), CblasNoTrans, blas_rows(), blas_cols(), T(1), a_.data(), a_.ld(), x.data(),
               T(0), y.data());
  }
  void apply_transpose(std::span<const T> x, std::span<T> y) const override {
    if (empty(y)) return;
    blas::gemv(order(), CblasTrans, blas_rows(), blas_cols(), T(1), a_.data(), a_.ld(), x.data(),
               T(0), y.data());
  }
  /// y = A^T A x and ax = A x in one read of A (algorithms/gram.hpp).
  void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const override;
  void apply_gram(std::span<const T> x, std::span<T> y) const override {
    apply_gram_with(x, y, {});
  }
  void apply_block(Index k, const T* x, T* y) const override {
    if (k == 0 || empty({y, std::size_t(a_.rows() * k)})) return;
    // Column-major Y (m x k) = op(A) (m x n) X (n x k); a row-major A is A^T in column-major.
    const bool row = a_.layout() == Layout::RowMajor;
    blas::gemm(CblasColMajor, row ? CblasTrans : CblasNoTrans, CblasNoTrans, a_.rows(), k,
               a_.cols(), T(1), a_.data(), a_.ld(), x, std::max<Index>(a_.cols(), 1), T(0), y,
               std::max<Index>(a_.rows(), 1));
  }
  void apply_transpose_block(Index k, const T* x, T* y) const override {
    if (k == 0 || empty({y, std::size_t(a_.cols() * k)})) return;
    const bool row = a_.layout() == Layout::RowMajor;
    blas::gemm(CblasColMajor, row ? CblasNoTrans : CblasTrans, CblasNoTrans, a_.cols(), k,
               a_.rows(), T(1), a_.data(), a_.ld(), x, std::max<Index>(a_.rows(), 1), T(0), y,
               std::max<Index>(a_.cols(), 1));
  }

 private:
  // A product with an empty dimension: the output is all zeros (BLAS may not touch it).
  bool empty(std::span<T> y) const {
    if (a_.rows() > 0 && a_.cols() > 0) return false;
    std::fill(y.begin(), y.end(), T(0));
    return true;
  }
  CBLAS_ORDER order() const {
    return a_.layout() == Layout::ColMajor ? CblasColMajor : CblasRowMajor;
  }
  Index blas_rows() const { return a_.rows(); }
  Index blas_cols() const { return a_.cols(); }

  const DenseMatrix<T>& a_;
};

}  // namespace specbench

#include "algorithms/gram.hpp"

namespace specbench {

template <class T>
void DenseOperator<T>::apply_gram_with(std::span<const T> x, std::span<T> y,
                                       std::span<T> ax) const {
  // Two BLAS gemv for now: the fused one-read kernel (algorithms/gram.hpp, fused_gram) is
  // correct and tested, but not yet faster than OpenBLAS's two passes on this machine (4096^2
  // double: 8.9 ms row-major, 22 ms column-major, against 8.8 ms for two gemv); see the README.
  std::vector<T> own;
  if (ax.empty()) {
    own.resize(static_cast<std::size_t>(a_.rows()));
    ax = own;
  }
  apply(x, ax);
  apply_transpose(std::span<const T>(ax), y);
}

}  // namespace specbench
