#pragma once
/// \file
/// The reference top singular triplet of a dense double matrix. reference/ knows LAPACK (and,
/// later, multiprecision) only: it never includes algorithms/ or harness/.

#include <cstdint>
#include <string>
#include <vector>

namespace specbench {

/// sigma1 as a value plus a certified absolute error bound, so that a high-precision reference
/// can later replace the LAPACK one without changing its users.
struct Reference {
  double sigma1 = 0;       ///< largest singular value
  double sigma2 = 0;       ///< second largest (0 if min(m, n) == 1)
  double bound = 0;        ///< |sigma1_computed - sigma1_exact| <= bound
  std::vector<double> u1;  ///< unit left singular vector (m); e_1 for the zero matrix
  std::vector<double> v1;  ///< unit right singular vector (n); e_1 for the zero matrix
  std::string method;      ///< "lapack-dgesdd", "lapack-dgesvd" (fallback) or "exact-zero"
};

/// Top singular triplet and sigma2 of the m x n column-major matrix `a` (leading dimension m).
/// Throws std::invalid_argument for an empty matrix or non-finite entries.
Reference compute_reference(const double* a, std::int64_t m, std::int64_t n);

}  // namespace specbench
