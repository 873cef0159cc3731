#pragma once
/// \file
/// The linear-operator concept: everything an estimator may do with a matrix A (m x n).
///
///     rows(), cols()              m, n
///     apply(x, y)                 y = A x          (x: n, y: m)
///     apply_transpose(x, y)       y = A^T x        (x: m, y: n)
///     apply_gram(x, y)            y = A^T A x      (optional; one pass over A where possible)
///     apply_gram_with(x, y, ax)   y = A^T A x and ax = A x          (optional, one pass where
///     apply_cogram_with(z, w, atz) w = A A^T z and atz = A^T z       possible: see gram_side)
///     gram_side()                 which of the two one read of A gives (optional; default Right)
///     apply_block(k, X, Y)        Y = A X          (X: n x k, Y: m x k, column-major; optional)
///     apply_transpose_block(...)  Y = A^T X        (X: m x k, Y: n x k; optional)
///
/// Estimators are templates over any type that models LinearOperator (Spectra's MatOp classes,
/// RandLAPACK's linops). The optional products have free-function fallbacks below, so an operator
/// need only provide the four required members. Operator<T> is the run-time polymorphic base the
/// harness hands to registered estimators; it models the concept too.

#include <concepts>
#include <span>
#include <vector>

#include "algorithms/blas.hpp"

namespace specbench {

/// The Gram matrix whose product (together with the half-product) an operator computes in ONE
/// read of A: Right = A^T A (row-major dense, A x and A^T A x), Left = A A^T (column-major dense,
/// A^T z and A A^T z). Estimators that iterate on a Gram matrix iterate on this side; either is
/// right for sigma_1, which both share. Operators without a fused product say Right.
enum class GramSide { Right, Left };

template <class Op>
concept LinearOperator = requires(const Op& a, std::span<const typename Op::Scalar> x,
                                  std::span<typename Op::Scalar> y) {
  typename Op::Scalar;
  { a.rows() } -> std::convertible_to<Index>;
  { a.cols() } -> std::convertible_to<Index>;
  a.apply(x, y);
  a.apply_transpose(x, y);
};

template <class Op>
concept HasGram = LinearOperator<Op> &&
    requires(const Op& a, std::span<const typename Op::Scalar> x,
             std::span<typename Op::Scalar> y) {
  a.apply_gram(x, y);
};

template <class Op>
concept HasBlock = LinearOperator<Op> &&
    requires(const Op& a, Index k, const typename Op::Scalar* x, typename Op::Scalar* y) {
  a.apply_block(k, x, y);
  a.apply_transpose_block(k, x, y);
};

/// y = A^T A x: the operator's own Gram product if it has one, else A x then A^T (A x).
template <LinearOperator Op>
void gram(const Op& a, std::span<const typename Op::Scalar> x, std::span<typename Op::Scalar> y) {
  if constexpr (HasGram<Op>) {
    a.apply_gram(x, y);
  } else {
    std::vector<typename Op::Scalar> t(static_cast<std::size_t>(a.rows()));
    a.apply(x, t);
    a.apply_transpose(std::span<const typename Op::Scalar>(t), y);
  }
}

/// Y = A X for a column-major n x k block X: the operator's block product (gemm) if it has one,
/// else one apply per column.
template <LinearOperator Op>
void apply_block(const Op& a, Index k, const typename Op::Scalar* x, typename Op::Scalar* y) {
  if constexpr (HasBlock<Op>) {
    a.apply_block(k, x, y);
  } else {
    const Index m = a.rows(), n = a.cols();
    for (Index j = 0; j < k; ++j) a.apply({x + j * n, std::size_t(n)}, {y + j * m, std::size_t(m)});
  }
}

/// Y = A^T X for a column-major m x k block X.
template <LinearOperator Op>
void apply_transpose_block(const Op& a, Index k, const typename Op::Scalar* x,
                           typename Op::Scalar* y) {
  if constexpr (HasBlock<Op>) {
    a.apply_transpose_block(k, x, y);
  } else {
    const Index m = a.rows(), n = a.cols();
    for (Index j = 0; j < k; ++j)
      a.apply_transpose({x + j * m, std::size_t(m)}, {y + j * n, std::size_t(n)});
  }
}

/// Run-time polymorphic operator: what the registry's type-erased estimators receive. A virtual
/// call per product is negligible next to the O(nnz) product itself.
template <class T>
class Operator {
 public:
  using Scalar = T;
  virtual ~Operator() = default;
  virtual Index rows() const = 0;
  virtual Index cols() const = 0;
  virtual void apply(std::span<const T> x, std::span<T> y) const = 0;
  virtual void apply_transpose(std::span<const T> x, std::span<T> y) const = 0;
  /// y = A^T A x; the default forms A x in a temporary.
  virtual void apply_gram(std::span<const T> x, std::span<T> y) const {
    std::vector<T> t(static_cast<std::size_t>(rows()));
    apply_gram_with(x, y, t);
  }
  /// y = A^T A x and ax = A x together: the default is two products; dense storage overrides it
  /// with the fused one-read kernel (algorithms/gram.hpp).
  virtual void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const {
    apply(x, ax);
    apply_transpose(std::span<const T>(ax), y);
  }
  /// w = A A^T z and atz = A^T z together: the default is two products. An empty w asks for atz
  /// alone, rounded exactly as in the full call.
  virtual void apply_cogram_with(std::span<const T> z, std::span<T> w, std::span<T> atz) const {
    apply_transpose(z, atz);
    if (!w.empty()) apply(std::span<const T>(atz), w);
  }
  /// The side whose Gram product is one read of A (see GramSide).
  virtual GramSide gram_side() const { return GramSide::Right; }
  /// Y = A X, X column-major n x k; the default applies column by column.
  virtual void apply_block(Index k, const T* x, T* y) const {
    const Index m = rows(), n = cols();
    for (Index j = 0; j < k; ++j) apply({x + j * n, std::size_t(n)}, {y + j * m, std::size_t(m)});
  }
  /// Y = A^T X, X column-major m x k.
  virtual void apply_transpose_block(Index k, const T* x, T* y) const {
    const Index m = rows(), n = cols();
    for (Index j = 0; j < k; ++j)
      apply_transpose({x + j * m, std::size_t(m)}, {y + j * n, std::size_t(n)});
  }
};

/// Counts the products an estimator performs, so that no estimator counts by hand. A product
/// with A or A^T counts 1, a Gram product A^T A x counts 2, a block of k columns counts k.
template <LinearOperator Op>
class CountingOperator {
 public:
  using Scalar = typename Op::Scalar;
  explicit CountingOperator(const Op& op) : op_(op) {}

  Index rows() const { return op_.rows(); }
  Index cols() const { return op_.cols(); }
  void apply(std::span<const Scalar> x, std::span<Scalar> y) const {
    op_.apply(x, y);
    ++products_;
  }
  void apply_transpose(std::span<const Scalar> x, std::span<Scalar> y) const {
    op_.apply_transpose(x, y);
    ++products_;
  }
  /// y = A^T A x and ax = A x: the operator's own (fused) version if it has one (two products).
  void apply_gram_with(std::span<const Scalar> x, std::span<Scalar> y, std::span<Scalar> ax) const {
    if constexpr (requires { op_.apply_gram_with(x, y, ax); }) {
      op_.apply_gram_with(x, y, ax);
    } else {
      op_.apply(x, ax);
      op_.apply_transpose(std::span<const Scalar>(ax), y);
    }
    products_ += 2;
  }
  /// w = A A^T z and atz = A^T z: the operator's own (fused) version if it has one (two products;
  /// one when w is empty: atz alone).
  void apply_cogram_with(std::span<const Scalar> z, std::span<Scalar> w,
                         std::span<Scalar> atz) const {
    if constexpr (requires { op_.apply_cogram_with(z, w, atz); }) {
      op_.apply_cogram_with(z, w, atz);
    } else {
      op_.apply_transpose(z, atz);
      if (!w.empty()) op_.apply(std::span<const Scalar>(atz), w);
    }
    products_ += w.empty() ? 1 : 2;
  }
  GramSide gram_side() const {
    if constexpr (requires { op_.gram_side(); })
      return op_.gram_side();
    else
      return GramSide::Right;
  }
  void apply_gram(std::span<const Scalar> x, std::span<Scalar> y) const {
    specbench::gram(op_, x, y);
    products_ += 2;
  }
  void apply_block(Index k, const Scalar* x, Scalar* y) const {
    specbench::apply_block(op_, k, x, y);
    products_ += k;
  }
  void apply_transpose_block(Index k, const Scalar* x, Scalar* y) const {
    specbench::apply_transpose_block(op_, k, x, y);
    products_ += k;
  }

  /// Products with A or A^T so far (matrix-vector products; Gram = 2, a block of k = k).
  long long products() const { return products_; }

 private:
  const Op& op_;
  mutable long long products_ = 0;
};

}  // namespace specbench
