#pragma once
/// \file
/// The certified sigma1 of a sparse matrix without densifying it (issue 18; not yet used by
/// the harness, which still densifies):
///  1. a guide: Golub-Kahan-Lanczos with full reorthogonalization in double on CSR products
///     (at most kSparseLanczosSteps steps), the top Ritz value theta and its vectors;
///  2. the upper bound: t above theta, raised tenfold in relative distance until the Cholesky
///     factorization of M(t) completes (reference/sparse_bound.hpp: sigma1 <= t + beta proven);
///  3. the vectors: inverse iteration with that factor (the shift t sits just above sigma1, so
///     one or two solves separate u1, v1 from even nearly equal sigma2 by the ratio (t - sigma1)
///     / (t - sigma2));
///  4. the lower bound: the Rayleigh quotient u^T A v / (||u|| ||v||) <= sigma1, summed in
///     cpp_bin_float_50 (every product of three doubles is exact there) with its rounding bound;
///  5. a second factorization just above that lower bound, for the tightest upper bound.
/// The bracket [lower, upper] is a proof (no gap, no library accuracy assumed); its width is
/// about the Cholesky margin beta (a few u times k, the largest row count of the factor).

#include "reference/reference.hpp"
#include "reference/sparse_bound.hpp"

namespace specbench::reference_detail {

inline constexpr int kSparseLanczosSteps = 60;

/// The certified top triplet of the sparse A (CSR, finite entries, max |a_ij| within
/// [2^-500, 2^500]). `max_factor_bytes` bounds the factor CHOLMOD may build; when even the first
/// factorization would exceed it, throws std::runtime_error saying so (the caller decides what
/// an uncertified value is worth). Reference::method names the steps ("sparse-lanczos+shift-
/// invert+rayleigh+cholmod-bound"); vector_radius is 1 (no gap is proven); sigma2 is the second
/// Ritz value (a guide).
Reference compute_sparse_reference(const CsrView& a, double max_factor_bytes);

}  // namespace specbench::reference_detail
