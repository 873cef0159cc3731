#pragma once
/// \file
/// Matrix-vector products with a certified error bound, in double arithmetic only.
///
/// y = A x for a double matrix A and a double-double vector x = x_hi + x_lo (two doubles per
/// entry), returned as an unevaluated sum y = y1 + y2 + y3 of three doubles per entry together
/// with a rigorous componentwise bound err on |y1 + y2 + y3 - A x|, whatever the data (barring
/// overflow, which the caller prevents by scaling A). The bound is of order
/// n^3 u^3 sum_j |a_ij x_j| with u = 2^-53: about 1e-38 relative for n = 2048, far below the
/// 1e-30 the reference certifies, at about five times the cost of a plain dgemv.
///
/// How: every product a * x_hi and a * x_lo is split exactly into two doubles by TwoProduct
/// (an FMA), and the 4 n pieces of each row are summed by a cascade of error-free TwoSum
/// transformations (Knuth; Ogita, Rump & Oishi, "Accurate sum and dot product", SIAM J. Sci.
/// Comput. 26, 2005): level 1 sums the a * x_hi products exactly up to its errors, level 2 sums
/// those errors, the TwoProduct errors and a * x_lo exactly up to its own errors, and only level
/// 3 rounds. The rounding of level 3 is bounded by gamma_{n+1} times the sum of the magnitudes it
/// received (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1 and
/// Sec. 4.2), which the kernel accumulates alongside. TwoSum is exact in any rounding-to-nearest
/// binary arithmetic, even with underflow; TwoProduct is exact unless a * x underflows, which adds
/// at most 2^-1075 per product to the bound.

#include <cstdint>
#include <vector>

namespace specbench::reference_detail {

/// y = y1 + y2 + y3 with |y - A x| <= err, componentwise.
struct AccurateVector {
  std::vector<double> y1, y2, y3, err;
  std::size_t size() const { return y1.size(); }
};

/// y = A (x_hi + x_lo) for the m x n column-major A (leading dimension m). Deterministic: the
/// result does not depend on the instruction set the kernel is dispatched to.
void accurate_product(const double* a, std::int64_t m, std::int64_t n, const double* x_hi,
                      const double* x_lo, AccurateVector& y);

}  // namespace specbench::reference_detail
