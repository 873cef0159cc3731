#pragma once
/// \file
/// High-precision refinement of a top singular triplet and its certificate.
///
/// Arithmetic: every O(m n) operation is a certified product of reference/accurate.hpp (double
/// arithmetic, error-free transformations); every O(m + n) operation is done in
/// boost::multiprecision::cpp_bin_float_50 (166-bit significand, header-only, no extra package,
/// deterministic on every platform). Vectors are double-double (hi + lo): 106 bits, exact inputs
/// for the certificate.
///
/// Certificate (Kato-Temple on the augmented matrix H = [0 A; A^T 0], whose eigenvalues are
/// +-sigma_i and zeros): for x = [u; v], rho = x^T H x / x^T x = 2 u^T A v / (|u|^2 + |v|^2) and
/// r = ||H x - rho x|| / ||x||. Then rho <= sigma1 (Rayleigh) and, if an upper bound g of sigma2
/// satisfies g < rho, sigma1 <= rho + r^2 / (rho - g) (Kato 1949, Temple 1928; Parlett, The
/// Symmetric Eigenvalue Problem, Thm. 10.7.1). g must be PROVEN (reference/gram_bound.hpp does
/// it); without one, only rho <= sigma1 holds: "some eigenvalue within r of rho" (Parlett Thm.
/// 4.5.1) need not be sigma1, so it is never used as a certificate. Every rounding error of
/// computing rho and r is bounded and added, so the interval is rigorous given g. Inside the
/// refinement, the (unproven) guide g only ranks candidate pairs.

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cstdint>
#include <vector>

namespace specbench::reference_detail {

using HighPrecision = boost::multiprecision::cpp_bin_float_50;

struct Certificate {
  HighPrecision sigma = 0;   ///< the Rayleigh quotient rho of the certified pair
  double rho_error = 0;      ///< |rho - x^T H x / x^T x| <= rho_error: sigma1 >= rho - rho_error
  double bound = 0;          ///< Kato-Temple with the g given (inf if rho is not above g)
  bool kato_temple = false;  ///< rho - rho_error > g
  double residual = 0;       ///< r (an upper bound of it)
  int iterations = 0;        ///< refinement steps (two certified products each)
  std::vector<double> u_hi, u_lo, v_hi, v_lo;  ///< the certified pair, not normalized exactly
};

/// Refinement in two stages, then the certificate of the best pair seen:
///  1. Rayleigh-Ritz in high precision on span(W), W the n x k double Ritz vectors of the top
///     Ritz values (column 0 the approximation of v1): the best v in that span, which removes
///     the error components along sigma_2..sigma_k that a double-precision v carries
///     (~ eps sigma1 / (sigma1 - sigma_j)) and that power steps would remove only slowly.
///  2. Chebyshev iteration on A^T A with certified products, which removes the rounding noise
///     spread over all other directions at the optimal polynomial rate, until the residual stops
///     falling (no 10% improvement in two certified steps; steps are certified every other
///     time), the bound is below 1e-32 sigma1, or
///     `max_iterations`.
/// `a` is m x n column-major, `at` its transpose (n x m column-major); `theta` is the top double
/// Ritz value; `damp` the top of the interval [0, damp^2] the Chebyshev stage damps (the largest
/// singular value whose direction W does not hold: stage 1 removed the others); `sigma2_guide`
/// the g of the stopping rule's Kato-Temple estimate (unproven; the certificate is made later).
/// The eigenvector of the largest eigenvalue of the k x k pencil (G, S), S symmetric positive
/// definite, in high precision (Cholesky of S, cyclic Jacobi; certify.cpp).
std::vector<HighPrecision> top_eigenvector(const std::vector<HighPrecision>& gm,
                                           const std::vector<HighPrecision>& sm, int k);

/// Kato-Temple for a certified pair and an upper bound g of the second largest eigenvalue of
/// H (sigma2, or 0 if min(m, n) = 1): sigma1 <= rho + bound, with bound = rho_error +
/// r^2 / (rho - rho_error - g); +inf if rho - rho_error <= g. Rigorous when g is.
double kato_temple_bound(const Certificate& c, double g);

/// The certificate of the unit vector v (hi + lo, normalized here), u = A v / ||A v||.
Certificate certify_vector(const double* a, const double* at, std::int64_t m, std::int64_t n,
                           const std::vector<double>& v_hi, const std::vector<double>& v_lo,
                           double g);

Certificate refine_and_certify(const double* a, const double* at, std::int64_t m, std::int64_t n,
                               const std::vector<double>& w, int k, double theta, double damp,
                               double sigma2_guide, int max_iterations = 100);

}  // namespace specbench::reference_detail
