#pragma once
/// \file
/// The top singular triplet in double by Golub-Kahan-Lanczos bidiagonalization with full
/// reorthogonalization: the starting point of the high-precision refinement. reference/ has its
/// own implementation, independent of algorithms/, so that a bug in an estimator can never also
/// be a bug in the reference it is measured against.

#include <cstdint>
#include <vector>

namespace specbench::reference_detail {

struct DoubleTriplet {
  double sigma = 0;     ///< largest Ritz value
  int steps = 0;        ///< bidiagonalization steps taken
  double residual = 0;  ///< ||A^T u - sigma v|| of the top Ritz pair, estimated by the recurrence
  /// The right Ritz vectors of the largest Ritz values, column-major n x ritz_count: column 0 is
  /// the top one, v; the others belong to the Ritz values theta_j >= kRitzFraction * sigma (at most
  /// kMaxRitz). They span the directions along which a double-precision v is least accurate
  /// (its error there is ~ eps sigma1 / (sigma1 - sigma_j), Davis & Kahan).
  std::vector<double> ritz_v;
  int ritz_count = 0;
  /// All Ritz values theta_1 >= ... >= theta_steps (singular values of the bidiagonal B_k =
  /// U_k^T A V_k, so theta_j <= sigma_j by interlacing, up to rounding): guides, never proofs.
  std::vector<double> ritz_values;
  /// ||A^T u - theta_2 v|| for the second Ritz pair (0 if steps < 2): some singular value of A
  /// lies within it of theta_2.
  double residual2 = 0;
};

inline constexpr double kRitzFraction = 0.8;
inline constexpr int kMaxRitz = 12;

/// Runs until the residual estimate of the top Ritz pair falls to 1e-4 eps theta_1 and that of
/// the second to 1e-8 theta_1 (sigma2 is reported from it), the recurrence breaks down
/// (invariant subspace) or min(m, n) steps. Thresholds scale with the largest Ritz value so
/// far. The start vector is Gaussian from a fixed seed: deterministic.
DoubleTriplet lanczos_top_triplet(const double* a, std::int64_t m, std::int64_t n);

}  // namespace specbench::reference_detail
