// The certified product kernel (reference/accurate.hpp): its error bound holds against an exact
// evaluation in cpp_bin_float_50, including under heavy cancellation and wide dynamic range, and
// the bound is far below what a 30-digit certificate needs.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "core/random.hpp"
#include "reference/accurate.hpp"
#include "reference/certify.hpp"

namespace specbench {
namespace {

using HP = reference_detail::HighPrecision;

/// Checks y = A (xh + xl) against a sum in cpp_bin_float_50. Each product a * x of two doubles
/// (106 bits) is exact in its 166-bit significand, and the sum of n of them rounds at most n
/// times by 2^-166 relative to the running magnitudes: far below the kernel's bound, so the
/// comparison tests the kernel's bound, not HP's rounding. Returns max |error| / bound.
double check(const std::vector<double>& a, std::int64_t m, std::int64_t n,
             const std::vector<double>& xh, const std::vector<double>& xl) {
  reference_detail::AccurateVector y;
  reference_detail::accurate_product(a.data(), m, n, xh.data(), xl.data(), y);
  double worst = 0;
  for (std::int64_t i = 0; i < m; ++i) {
    HP exact = 0, magnitude = 0;
    for (std::int64_t j = 0; j < n; ++j) {
      const HP t = HP(a[std::size_t(i + j * m)]) * (HP(xh[std::size_t(j)]) + xl[std::size_t(j)]);
      exact += t;
      magnitude += abs(t);
    }
    const auto iu = std::size_t(i);
    const HP got = HP(y.y1[iu]) + y.y2[iu] + y.y3[iu];
    const double err = static_cast<double>(abs(got - exact));
    BOOST_TEST(err <= y.err[iu], "row " << i << ": error " << err << " > bound " << y.err[iu]);
    // The bound itself: of order n^3 u^3 times the sum of |a_ij x_j| (accurate.hpp); 1e-40
    // relative to that sum for these sizes is the worst we accept (30 digits need ~1e-31).
    BOOST_TEST(y.err[iu] <= 1e-40 * static_cast<double>(magnitude) + 1e-300);
    worst = std::max(worst, y.err[iu] > 0 ? err / y.err[iu] : 0.0);
  }
  return worst;
}

BOOST_AUTO_TEST_SUITE(accurate_product)

BOOST_AUTO_TEST_CASE(random_double_double_vectors) {
  Rng rng(3);
  for (const auto& [m, n] : {std::pair<std::int64_t, std::int64_t>{1, 1}, {7, 5}, {64, 300}}) {
    std::vector<double> a(static_cast<std::size_t>(m * n)), xh(static_cast<std::size_t>(n)),
        xl(static_cast<std::size_t>(n));
    fill_gaussian<double>(rng, a);
    fill_gaussian<double>(rng, xh);
    fill_gaussian<double>(rng, xl);
    for (auto& x : xl) x *= 1e-17;  // a genuine double-double: lo ~ ulp(hi)
    BOOST_TEST_MESSAGE(m << " x " << n << ": worst error / bound " << check(a, m, n, xh, xl));
  }
}

BOOST_AUTO_TEST_CASE(cancellation_and_dynamic_range) {
  // Rows whose exact sum is tiny next to its terms (1e20 - 1e20 + small), and entries spanning
  // 1e-150 .. 1e150: the relative error of plain double would be total.
  const std::int64_t m = 3, n = 6;
  std::vector<double> a = {1e20, 1e-150, 3,  -1e20, 1e150, 1 / 3.0, 1,  -1e150, 2,
                           7e-5, 1e-150, -3, 1e-30, 1,     5,       -1, 2,      7};
  std::vector<double> xh = {1, 1, 1, 1, 1e-20, 1}, xl = {1e-17, 0, -1e-17, 1e-17, 0, 0};
  check(a, m, n, xh, xl);
  // The exact result of row 0 is far below its terms; the kernel still gets it to the bound.
  reference_detail::AccurateVector y;
  reference_detail::accurate_product(a.data(), m, n, xh.data(), xl.data(), y);
  BOOST_TEST(y.err[0] < 1e-20);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench
