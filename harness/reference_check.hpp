#pragma once
/// \file
/// Checks of a certified reference read back from the cache (harness/reference_cache.hpp): the
/// fields must be what compute_reference can produce, and a cheap invariant must hold against
/// the matrix itself, so that neither a damaged nor a hand-edited entry (checksum recomputed)
/// can change a measured error. Each function returns "" if the reference passes, else the
/// reason (one line).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "algorithms/sparse.hpp"
#include "reference/reference.hpp"

namespace specbench {

/// The JSON `reference` object of a cache entry: exactly the fields of Reference, each of its
/// JSON type (numbers, not booleans or strings; integers within int), into `out`.
std::string reference_from_json(const nlohmann::json& j, Reference& out);

/// Every field of `r` for an m x n matrix: sizes (u1: m, v1: n, the cluster bases m c and n c),
/// finite values, unit vectors, cluster_size in [1, min(m, n)], vector_radius in [0, 1], a
/// known method, sigma1 > 0 finite with bound > 0 finite (exact 0 and 0 for "exact-zero"),
/// sigma1 within bound (plus its rounding to double) of sigma1_text, |sigma1_lo| below one ulp
/// of sigma1, digits consistent with bound / sigma1, 0 <= sigma2 <= sigma1 up to LAPACK's error.
std::string validate_reference(const Reference& r, std::int64_t m, std::int64_t n);

/// The invariants against the m x n column-major matrix `a`, one product A v1 and ||A||_F in
/// one pass: ||A v1|| / ||v1|| <= sigma1 + bound, sigma1 - bound <= ||A||_F and, with a
/// certified simple sigma1 (cluster_size 1, vector_radius r < 1),
/// ||A v1|| / ||v1|| >= (sigma1 - bound) sqrt(1 - r^2); each up to a rigorous rounding margin
/// (derived in the source). "exact-zero" needs A = 0.
std::string check_reference_against(const Reference& r, const double* a, std::int64_t m,
                                    std::int64_t n);

/// The checks of check_reference_against for the sparse reference of a CSR matrix (a sparse
/// family): "" if they hold, else why not.
std::string check_sparse_reference_against(const Reference& r, const CsrMatrix<double>& a);

}  // namespace specbench
