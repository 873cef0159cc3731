#pragma once
/// \file
/// Proofs that an eigenvalue bound holds for the Gram matrix of A, by a floating-point Cholesky
/// factorization with a rigorous rounding margin (Rump, "Verification of positive definiteness",
/// BIT 46 (2006) 433-452): no assumption on the gap, on LAPACK's accuracy, or on anything but
/// IEEE arithmetic with rounding to nearest.
///
/// G is the Gram matrix of the smaller side: A^T A (n x n) if m >= n, else A A^T (m x m); its
/// eigenvalues are the squared singular values of A (and zeros). For a double t > 0, a vector x
/// and rho >= 0,
///     t I - G + rho x x^T  positive definite   =>   lambda_1(G - rho x x^T) < t,
/// and since G = (G - rho x x^T) + rho x x^T is a rank-one positive update, the eigenvalues
/// interlace: lambda_2(G) <= lambda_1(G - rho x x^T) < t (for ANY x and rho >= 0; with x close
/// to the top vector and rho >= sigma1^2 the bound is close to sigma2^2). With rho = 0:
/// sigma1^2 = lambda_1(G) < t.
///
/// Margin (derived in gram_bound.cpp): the matrix actually factored is
///     D = fl(t I - G~ + rho x x^T) - c I,  diagonal rounded down,
/// with G~ the dsyrk Gram matrix and c covering (i) ||G~ - G||_2, (ii) the rounding of forming
/// the shifted matrix, (iii) Rump's bound of the Cholesky backward error, underflow included.
/// If LAPACK's dpotrf factors D without a non-positive pivot, the implication above is proven.
/// The same proof runs in cpp_bin_float_50 (own Cholesky, unit roundoff taken as 2^-150 where
/// the type has 2^-166) for small matrices, where it resolves gaps down to ~1e-40.

#include <cstdint>
#include <memory>
#include <vector>

#include "reference/certify.hpp"

namespace specbench::reference_detail {

/// Rigorous: true only if the exact symmetric matrix C is positive definite, given its
/// floating-point version C~ (k x k column-major, lower triangle used) and a bound
/// error >= ||C - C~||_2: LAPACK dpotrf on C~ shifted down by Rump's margin plus `error`.
bool proves_positive_definite(std::vector<double> c, std::int64_t k, double error);

class GramProver {
 public:
  /// A is m x n column-major (leading dimension m), scaled so that its entries are at most 2 in
  /// magnitude (compute_reference's power-of-two scaling). Computes the double Gram matrix.
  GramProver(const double* a, std::int64_t m, std::int64_t n);
  ~GramProver();
  GramProver(const GramProver&) = delete;
  GramProver& operator=(const GramProver&) = delete;

  std::int64_t size() const { return k_; }
  /// True if G = A^T A (vectors x are right singular vectors), false if G = A A^T.
  bool right_side() const { return right_; }
  /// The relative size of the double margin: c / t is about this (for choosing t).
  double relative_margin() const;

  /// Rigorous: true only if lambda_1(G - rho x x^T) < t is proven (x of length size(), or
  /// nullptr with rho = 0). False says nothing. Double precision: dsyrk + dpotrf.
  bool proves_below(double t, const double* x, double rho);
  /// The same with a rank-`cols` deflation: true only if lambda_1(G - rho X X^T) < t is proven,
  /// X of size() x cols column-major; then lambda_{cols+1}(G) < t (Weyl: G - rho X X^T plus a
  /// positive semidefinite matrix of rank cols).
  bool proves_below(double t, const double* x, int cols, double rho);

  /// G~ (the dsyrk Gram matrix, lower triangle, size() x size() column-major) and the bounds
  /// ||G~ - G||_2 <= gram_error(), ||G~||_F <= gram_frob(), ||A||_F^2 <= frob2().
  const std::vector<double>& gram() const { return g_; }
  double gram_error() const;
  double gram_frob() const { return g_frob_; }
  double frob2() const { return frob2_; }

  /// Whether the high-precision proof is affordable here (size and m * size^2 limits).
  bool high_precision_available() const;
  /// The same proof in cpp_bin_float_50 (builds the high-precision Gram matrix once).
  bool proves_below_hp(const HighPrecision& t, const std::vector<HighPrecision>* x,
                       const HighPrecision& rho);
  /// The top eigenvector of G (high precision) by Rayleigh-Ritz on the Krylov space
  /// span{x, G x, ..., G^(dim-1) x}: when x is a mix of v1 and nearly equal v2 (whose gap double
  /// precision cannot resolve) and little else, this space holds both to high precision and the
  /// small eigenproblem (Jacobi, high precision) separates them. Returns a unit vector.
  std::vector<HighPrecision> krylov_top_vector(const std::vector<HighPrecision>& x, int dim);
  /// The relative size of the high-precision margin.
  double relative_margin_hp() const;

 private:
  struct HighPrecisionGram;
  const double* a_;
  std::int64_t m_, n_, k_;
  bool right_;
  std::vector<double> g_;  ///< lower triangle used, k x k column-major
  double frob2_ = 0;       ///< >= ||A||_F^2
  double g_frob_ = 0;      ///< >= ||G~||_F
  std::unique_ptr<HighPrecisionGram> hp_;
};

}  // namespace specbench::reference_detail
