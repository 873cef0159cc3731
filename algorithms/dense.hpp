#pragma once
/// \file
/// Dense matrices and the dense operator (BLAS gemv / gemm), in row- or column-major storage.

#include <algorithm>
#include <boost/align/aligned_allocator.hpp>
#include <span>
#include <vector>

#include "algorithms/operator.hpp"
#include "core/error.hpp"

namespace specbench {

enum class Layout { ColMajor, RowMajor };

/// An owning dense m x n matrix. Column-major by default (LAPACK's order). The storage is 64-byte
/// aligned (a cache line and an AVX-512 register), so that vector loads of a row or column that
/// starts on a line boundary never straddle two lines.
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
  std::vector<T, boost::alignment::aligned_allocator<T, 64>> data_;
};

/// y = A x and y = A^T x by BLAS gemv, Y = A X by gemm, on a DenseMatrix it does not own.
template <class T>
class DenseOperator final : public Operator<T> {
 public:
  /// `threads` workers for the fused Gram products (results do not depend on it; BLAS products
  /// use BLAS's own thread setting).
  explicit DenseOperator(const DenseMatrix<T>& a, int threads = 1) : a_(a), threads_(threads) {}
  Index rows() const override { return a_.rows(); }
  Index cols() const override { return a_.cols(); }
  /// The matrix the operator reads (for plug-ins that take the matrix itself).
  const DenseMatrix<T>& matrix() const { return a_; }

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
  /// y = A^T A x and ax = A x: one read of a row-major A (algorithms/gram.hpp), two gemv on a
  /// column-major one.
  void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const override;
  /// w = A A^T z and atz = A^T z: one read of a column-major A, two gemv on a row-major one; an
  /// empty w gives atz alone with the rounding of the full call.
  void apply_cogram_with(std::span<const T> z, std::span<T> w, std::span<T> atz) const override;
  void apply_gram(std::span<const T> x, std::span<T> y) const override {
    apply_gram_with(x, y, {});
  }
  GramSide gram_side() const override {
    return a_.layout() == Layout::RowMajor ? GramSide::Right : GramSide::Left;
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

  /// Threads worth starting: at least 2^18 entries (a few hundred microseconds) per worker.
  int workers() const {
    const double per = double(a_.rows()) * double(a_.cols()) / double(1 << 18);
    return std::max(1, std::min(threads_, int(std::min(per, 1024.0))));
  }

  const DenseMatrix<T>& a_;
  int threads_ = 1;
};

}  // namespace specbench

#include "algorithms/gram.hpp"

namespace specbench {

template <class T>
void DenseOperator<T>::apply_gram_with(std::span<const T> x, std::span<T> y,
                                       std::span<T> ax) const {
  if (a_.layout() == Layout::RowMajor && a_.rows() > 0 && a_.cols() > 0) {
    fused_gram(a_, x, y, ax, workers());
    return;
  }
  std::vector<T> own;
  if (ax.empty()) own.resize(static_cast<std::size_t>(a_.rows())), ax = own;
  apply(x, ax);
  apply_transpose(std::span<const T>(ax), y);
}

template <class T>
void DenseOperator<T>::apply_cogram_with(std::span<const T> z, std::span<T> w,
                                         std::span<T> atz) const {
  if (a_.layout() == Layout::ColMajor && a_.rows() > 0 && a_.cols() > 0) {
    fused_cogram(a_, z, w, atz, workers());
    return;
  }
  std::vector<T> own;
  if (atz.empty()) own.resize(static_cast<std::size_t>(a_.cols())), atz = own;
  apply_transpose(z, atz);
  if (!w.empty()) apply(std::span<const T>(atz), w);
}

}  // namespace specbench
