#pragma once
/// \file
/// An exact power-of-two scaling of an operator, so that estimators work at any scale.
///
/// Gram products square the scale: entries near 1e300 (or 1e-300) make A^T A x overflow (or
/// underflow) although A and sigma1 are perfectly representable. ScaledOperator presents
/// B = 2^-e A; every product with it is the product with A scaled by 2^-e, exactly (a power of
/// two commutes with rounding, barring subnormal results), and its Gram product scales x by 2^-e
/// before the one read of A and the result after it, so that the intermediate A x stays near 1.
/// sigma(B) = 2^-e sigma(A); singular vectors are the same. scale_exponent() chooses e = 0 for
/// every matrix whose Gram products cannot leave the normal range (results then stay
/// bit-identical), and otherwise e with 2^e <= max |a_ij| < 2^(e + 1).

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "algorithms/operator.hpp"

namespace specbench {

/// The exponent e for ScaledOperator: 0 if max |a_ij| lies in [lo, hi], with lo = 2^(min_exp / 2
/// + digits) (so that a Gram product ~ sigma1^2 >= max^2 stays normal with full precision) and
/// hi = 2^(max_exp / 2 - 4) / sqrt(m n) (so that sigma1^2 <= max^2 m n stays 16x below
/// overflow); else ilogb(max |a_ij|). A zero matrix needs no scaling.
template <class T>
int scale_exponent(double max_abs, Index m, Index n) {
  using L = std::numeric_limits<T>;
  if (!(max_abs > 0) || !std::isfinite(max_abs)) return 0;
  const double lo = std::ldexp(1.0, L::min_exponent / 2 + L::digits);
  const double hi = std::ldexp(1.0, L::max_exponent / 2 - 4) / std::sqrt(double(m) * double(n));
  if (max_abs >= lo && max_abs <= hi) return 0;
  return std::ilogb(max_abs);
}

/// B = 2^-e A as an Operator<T>; `op` must outlive it.
template <class T>
class ScaledOperator final : public Operator<T> {
 public:
  ScaledOperator(const Operator<T>& op, int e) : op_(op), e_(e) {}
  Index rows() const override { return op_.rows(); }
  Index cols() const override { return op_.cols(); }
  void apply(std::span<const T> x, std::span<T> y) const override {
    op_.apply(x, y);
    scale(y);
  }
  void apply_transpose(std::span<const T> x, std::span<T> y) const override {
    op_.apply_transpose(x, y);
    scale(y);
  }
  /// y = B^T B x = 2^-e A^T (A (2^-e x)) and ax = B x = A (2^-e x).
  void apply_gram_with(std::span<const T> x, std::span<T> y, std::span<T> ax) const override {
    std::vector<T> xs(x.begin(), x.end());
    scale(std::span<T>(xs));
    op_.apply_gram_with(std::span<const T>(xs), y, ax);
    scale(y);
  }
  void apply_gram(std::span<const T> x, std::span<T> y) const override {
    std::vector<T> t(static_cast<std::size_t>(rows()));
    apply_gram_with(x, y, t);
  }
  /// w = B B^T z = 2^-e A (A^T (2^-e z)) and atz = B^T z = A^T (2^-e z).
  void apply_cogram_with(std::span<const T> z, std::span<T> w, std::span<T> atz) const override {
    std::vector<T> zs(z.begin(), z.end());
    scale(std::span<T>(zs));
    op_.apply_cogram_with(std::span<const T>(zs), w, atz);
    scale(w);
  }
  GramSide gram_side() const override { return op_.gram_side(); }
  void apply_block(Index k, const T* x, T* y) const override {
    op_.apply_block(k, x, y);
    scale(std::span<T>(y, std::size_t(k) * std::size_t(rows())));
  }
  void apply_transpose_block(Index k, const T* x, T* y) const override {
    op_.apply_transpose_block(k, x, y);
    scale(std::span<T>(y, std::size_t(k) * std::size_t(cols())));
  }
  int exponent() const { return e_; }

 private:
  /// y *= 2^-e, exactly, for any e (ldexp, where 2^-e itself may not be representable).
  void scale(std::span<T> y) const {
    for (T& v : y) v = std::ldexp(v, -e_);
  }
  const Operator<T>& op_;
  int e_;
};

}  // namespace specbench
