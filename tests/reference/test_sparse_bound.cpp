// The sparse Cholesky upper bound of sigma1 (reference/sparse_bound.hpp), never densified:
// whenever it claims a bound, the bound is above the exact sigma1 (closed forms of the 2-D
// Laplacian, positive and negated, in high precision; the dense certified reference, 30+ digits,
// for random rectangular sparse matrices), for shifts t on both sides of sigma1; it proves
// shifts a little above sigma1; it refuses before factoring what the budget cannot hold, and
// refuses bad input.

#include <boost/math/constants/constants.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "reference/reference.hpp"
#include "reference/sparse_bound.hpp"
#include "support/sparse_matrices.hpp"

namespace specbench {
namespace {

using reference_detail::prove_sparse_upper_bound;
using HP = boost::multiprecision::cpp_bin_float_50;

using test::Csr;
using test::dense;
using test::laplace2d;
using test::random_sparse;

/// sigma1 of laplace2d(N): lambda_max = 4 + 4 cos(pi / (N + 1)), in 50 digits.
HP laplace2d_sigma1(int n_grid) {
  return 4 + 4 * cos(boost::math::constants::pi<HP>() / (n_grid + 1));
}

/// For t = sigma (1 + delta) over deltas on both sides: a claimed bound is never below the
/// exact sigma1, and the shifts at least `proven_from` above sigma1 are proven.
void check_around(const Csr& a, const HP& exact, double proven_from, const char* what) {
  const double sigma = static_cast<double>(exact);
  for (double delta : {-1e-3, -1e-8, -1e-12, -1e-14, 0.0, 1e-14, 1e-12, 1e-10, 1e-8, 1e-3}) {
    const double t = sigma * (1 + delta);
    const auto r = prove_sparse_upper_bound(a.view(), t, 1e9);
    BOOST_TEST_MESSAGE(what << " delta " << delta << ": proven " << r.proven << " beta " << r.beta
                            << " k " << r.max_row_count << " entries " << r.factor_entries << " "
                            << r.why);
    if (r.proven)
      BOOST_TEST(HP(r.bound) >= exact, what << ": delta " << delta << ": bound " << r.bound
                                            << " below sigma1 (beta " << r.beta << ")");
    if (delta >= proven_from) BOOST_TEST(r.proven, what << ": delta " << delta << ": " << r.why);
    if (delta <= -1e-8) BOOST_TEST(!r.proven, what << ": a shift 1e-8 below sigma1 proven");
  }
}

BOOST_AUTO_TEST_CASE(laplace2d_closed_form_is_inside_every_proven_bound) {
  // N = 40: 1600 rows. Its margin beta is (k + 5) u times a row sum of |L| |L^T| (k ~ 100
  // entries in a row of the factor, entries of L at most sqrt(t) = 2.8): a few 1e-13 at most,
  // so shifts 1e-10 sigma1 above are proven (and 1e-12 typically).
  const Csr a = laplace2d(40);
  check_around(a, laplace2d_sigma1(40), 1e-10, "laplace2d:40");
  const auto r = prove_sparse_upper_bound(a.view(), 8, 1e9);
  BOOST_TEST(r.proven);
  BOOST_TEST(r.symmetric);
  BOOST_TEST(r.order == 1600);
  BOOST_TEST(r.beta <= 1e-11 * 8, "beta " << r.beta);
  BOOST_TEST(r.max_row_count >= 40);  // a nested-dissection separator is at least a grid line
}

BOOST_AUTO_TEST_CASE(negated_laplacian_takes_sigma1_from_t_plus_a) {
  // -L has lambda_min = -sigma1: only the factorization of t I + A can fail below sigma1.
  const Csr a = laplace2d(25, -1);
  check_around(a, laplace2d_sigma1(25), 1e-10, "-laplace2d:25");
}

BOOST_AUTO_TEST_CASE(random_rectangular_matches_the_dense_certified_reference) {
  for (auto [m, n, seed] : {std::tuple{200, 150, 1}, {90, 260, 2}, {300, 40, 3}}) {
    const Csr a = random_sparse(m, n, 0.05, std::uint64_t(seed));
    const std::vector<double> d = dense(a);
    const Reference ref = compute_reference(d.data(), m, n);
    BOOST_TEST_REQUIRE(ref.bound < 1e-25 * ref.sigma1);
    const HP exact(ref.sigma1_text);  // within 1e-25 relative: far inside every delta below
    check_around(a, exact, 1e-10, "random sparse");
    const auto r = prove_sparse_upper_bound(a.view(), ref.sigma1 * (1 + 1e-10), 1e9);
    BOOST_TEST(!r.symmetric);
    BOOST_TEST(r.order == m + n);
  }
}

BOOST_AUTO_TEST_CASE(zero_and_diagonal_matrices) {
  Csr z;  // 3 x 2, no entries: sigma1 = 0
  z.m = 3;
  z.n = 2;
  for (int i = 0; i < 3; ++i) z.end_row();
  const auto r = prove_sparse_upper_bound(z.view(), 1e-300, 1e9);
  BOOST_TEST(r.proven);
  BOOST_TEST(r.bound >= 0);
  Csr d;  // diag(1, -3, 2): sigma1 = 3 exactly, from t I + A
  d.m = d.n = 3;
  for (double v : {1.0, -3.0, 2.0}) {
    d.add(std::int64_t(d.row_ptr.size() - 1), v);
    d.end_row();
  }
  check_around(d, HP(3), 1e-14, "diag(1,-3,2)");
}

BOOST_AUTO_TEST_CASE(a_factor_over_the_budget_is_refused_before_factoring) {
  const Csr a = laplace2d(30);
  const auto r = prove_sparse_upper_bound(a.view(), 9, 1000);  // 1 kB
  BOOST_TEST(!r.proven);
  BOOST_TEST(r.factor_bytes > 1000);
  BOOST_TEST(r.why.find("would need") != std::string::npos, r.why);
}

BOOST_AUTO_TEST_CASE(bad_input_is_refused) {
  Csr a = laplace2d(4);
  for (double t : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                   std::numeric_limits<double>::infinity()})
    BOOST_CHECK_THROW(prove_sparse_upper_bound(a.view(), t, 1e9), std::invalid_argument);
  a.val[3] = std::numeric_limits<double>::quiet_NaN();
  BOOST_CHECK_THROW(prove_sparse_upper_bound(a.view(), 9, 1e9), std::invalid_argument);
}

}  // namespace
}  // namespace specbench
