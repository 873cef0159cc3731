#pragma once
/// \file
/// Certified radii of approximate top singular subspaces: where sigma1 is repeated or nearly so,
/// a single singular vector is not determined, but the subspace of the top c singular values is,
/// once a gap after sigma_c is PROVEN (GramProver::proves_below with a rank-c deflation). Given
/// bases V (n x c) and U (m x c) of approximations to the right and left subspaces (LAPACK's
/// singular vectors, say), this bounds the largest principal angle (its sine, ||P - P_exact||_2)
/// between span(V) and the exact right subspace and between span(U) and the exact left one, every
/// rounding error of computing the bound included (derivation in subspace.cpp).

#include <cstdint>

#include "reference/gram_bound.hpp"

namespace specbench::reference_detail {

struct SubspaceRadii {
  bool proven = false;  ///< false: nothing is claimed (u and v stay 1)
  double u = 1, v = 1;  ///< sines of the largest principal angles, plus the bases' departure
                        ///< from orthonormality (which the metrics' projections assume)
};

/// A is m x n column-major with m >= n, `prover` its Gram prover (G = A^T A). `v` (n x c) and
/// `u` (m x c) column-major. `t2` must be a PROVEN bound lambda_{c+1}(G) < t2 (unused when
/// c == n: the right subspace is then all of R^n).
SubspaceRadii subspace_radii(const double* a, std::int64_t m, std::int64_t n,
                             const GramProver& prover, const double* v, const double* u, int c,
                             double t2);

}  // namespace specbench::reference_detail
