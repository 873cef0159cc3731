#pragma once
/// \file
/// The certified reference top singular triplet of a dense double matrix. reference/ knows
/// LAPACK and Boost.Multiprecision only: it never includes algorithms/ or harness/.

#include <cstdint>
#include <string>
#include <vector>

namespace specbench {

/// sigma1 as a high-precision value plus a certified absolute error bound.
struct Reference {
  double sigma1 = 0;        ///< sigma1 rounded to double
  double sigma1_lo = 0;     ///< sigma1 - sigma1 (double), so that sigma1 + sigma1_lo has ~32 digits
  std::string sigma1_text;  ///< the certified value: digits + 2 significant digits (scientific)
  /// Second largest singular value (0 if min(m, n) == 1): Lanczos' second Ritz value when a gap
  /// is proven (then also below the proven bound g), else LAPACK's.
  double sigma2 = 0;
  double bound = 0;  ///< certified: |sigma1_exact - sigma1_text| <= bound (rounded up)
  int digits = 0;    ///< certified correct significant digits, floor(-log10(bound / sigma1))
  /// 1 when a gap after sigma1 is proven (sigma1 is simple); otherwise the number of LAPACK
  /// singular values within LAPACK's error of sigma1.
  int cluster_size = 1;
  /// Certified: u1 and v1 (as stored, rounded to double) are within this angle (sine) of exact
  /// top singular vectors, by Davis-Kahan on H = [0 A; A^T 0] with the proven gap (Kato-Temple
  /// certificates); 1 when no gap is proven (the vectors are then not determined by a proof).
  double vector_radius = 1;
  std::vector<double> u1;  ///< unit left singular vector (m), rounded to double; e_1 for zero
  std::vector<double> v1;  ///< unit right singular vector (n), rounded to double; e_1 for zero
  std::string method;      ///< how it was computed and certified, e.g.
                           ///< "lanczos+refine+kato-temple+cholesky-gap"
  /// For a cluster (cluster_size = c > 1): orthonormal bases of the left and right singular
  /// subspaces of the c clustered singular values, column-major m x c and n x c (LAPACK dgesdd
  /// with vectors, computed only then). Empty otherwise.
  std::vector<double> u_cluster, v_cluster;
  int lanczos_steps = 0;      ///< double Lanczos steps for the starting triplet
  int refine_iterations = 0;  ///< high-precision refinement steps
};

/// Top singular triplet, sigma2 and a certificate of the m x n column-major matrix `a`
/// (leading dimension m). Throws std::invalid_argument for an empty matrix or non-finite
/// entries or a sigma1 above the largest double, std::runtime_error if LAPACK or the
/// refinement fails.
Reference compute_reference(const double* a, std::int64_t m, std::int64_t n);

/// Identifies the algorithm: results computed by another version are never reused (the
/// reference cache keys on it).
inline constexpr const char* kReferenceVersion = "specbench-reference-5";

}  // namespace specbench
