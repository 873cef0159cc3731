// The certified sparse reference (reference/sparse_reference.hpp), never densified: its
// interval contains the exact sigma1 (closed forms of the 2-D Laplacian and of its negation; the
// dense certified reference, 30+ digits, for random rectangular sparse matrices and a wide one),
// with the digits the Cholesky margin allows (>= 11 at these sizes: beta ~ (k + 5) u || |L| |L^T|
// ||_inf with k a few hundred, see test_sparse_bound.cpp), its vectors agree with the dense
// reference's, the zero matrix is exact, and a factor over the budget is refused.

#include <boost/math/constants/constants.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <stdexcept>
#include <vector>

#include "reference/certify.hpp"
#include "reference/reference.hpp"
#include "reference/sparse_reference.hpp"
#include "support/sparse_matrices.hpp"

namespace specbench {
namespace {

using HP = reference_detail::HighPrecision;
using reference_detail::compute_sparse_reference;

using test::Csr;
using test::laplace2d;
using test::random_sparse;

void check_contains(const Reference& r, const HP& exact, int digits, const char* what) {
  const double err = static_cast<double>(abs(HP(r.sigma1_text) - exact));
  BOOST_TEST(err <= r.bound, what << ": |" << r.sigma1_text << " - exact| = " << err << " > bound "
                                  << r.bound << " (" << r.method << ")");
  BOOST_TEST(r.digits >= digits, what << ": " << r.digits << " digits (" << r.method << ")");
}

BOOST_AUTO_TEST_CASE(laplace2d_closed_form_inside_with_eleven_digits) {
  for (int g : {20, 60}) {
    const Reference r = compute_sparse_reference(laplace2d(g).view(), 1e9);
    const HP exact = 4 + 4 * cos(boost::math::constants::pi<HP>() / (g + 1));
    check_contains(r, exact, 11, "laplace2d");
    BOOST_TEST(r.method == "sparse-lanczos+shift-invert+rayleigh+cholmod-bound");
    // -L: sigma1 = -lambda_min, found through t I + A
    check_contains(compute_sparse_reference(laplace2d(g, -1).view(), 1e9), exact, 11, "-laplace");
  }
}

BOOST_AUTO_TEST_CASE(random_sparse_agrees_with_the_dense_certified_reference) {
  for (auto [m, n, seed] : {std::tuple{200, 150, 1}, {90, 260, 2}, {400, 30, 3}}) {
    const Csr a = random_sparse(m, n, 0.05, std::uint64_t(seed));
    const std::vector<double> d = test::dense(a);
    const Reference dense = compute_reference(d.data(), m, n);
    const Reference r = compute_sparse_reference(a.view(), 1e9);
    check_contains(r, HP(dense.sigma1_text), 11, "random sparse");  // dense: 30 digits
    // The vectors: inverse iteration at a shift ~1e-13 sigma1 above sigma1 leaves an angle of
    // about eps sigma1 / gap to the dense certified ones (gaps here are a few percent).
    double cu = 0, cv = 0;
    for (std::int64_t i = 0; i < m; ++i) cu += r.u1[std::size_t(i)] * dense.u1[std::size_t(i)];
    for (std::int64_t j = 0; j < n; ++j) cv += r.v1[std::size_t(j)] * dense.v1[std::size_t(j)];
    BOOST_TEST(1 - std::abs(cu) <= 1e-12, "u angle: 1 - |cos| = " << 1 - std::abs(cu));
    BOOST_TEST(1 - std::abs(cv) <= 1e-12, "v angle: 1 - |cos| = " << 1 - std::abs(cv));
  }
}

BOOST_AUTO_TEST_CASE(zero_matrix_is_exact_and_budget_is_enforced) {
  Csr z;
  z.m = 4;
  z.n = 3;
  for (int i = 0; i < 4; ++i) z.end_row();
  const Reference r = compute_sparse_reference(z.view(), 1e9);
  BOOST_TEST(r.sigma1 == 0);
  BOOST_TEST(r.bound == 0);
  BOOST_CHECK_THROW(compute_sparse_reference(laplace2d(30).view(), 1000), std::runtime_error);
}

}  // namespace
}  // namespace specbench
