// The sparse families (harness/workloads/sparse_families.cpp), never densified: the Laplacians'
// structure (entry counts, symmetry, diagonal), the closed-form sigma1 inside the certified
// sparse reference of make_problem (f64 and f32), estimators scored on the CSR matrix, a cache
// hit that returns the same reference, and what a dense-only command says.

#include <boost/math/constants/constants.hpp>
#include <boost/test/unit_test.hpp>
#include <cmath>

#include "core/error.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/workloads/matrices.hpp"
#include "reference/certify.hpp"

namespace specbench {
namespace {

using HP = reference_detail::HighPrecision;

/// sigma1 = 2 d (1 + cos(pi / (N + 1))) of the d-dimensional Laplacian, 50 digits.
HP laplace_sigma1(int dims, int n) {
  return 2 * dims * (1 + cos(boost::math::constants::pi<HP>() / (n + 1)));
}

BOOST_AUTO_TEST_CASE(laplacians_have_the_stencil_structure) {
  for (auto [text, dims, n] : {std::tuple{"laplace2d:n=7", 2, 7}, {"laplace3d:n=4", 3, 4}}) {
    const MatrixSpec spec = parse_matrix_spec(text);
    BOOST_TEST(is_sparse_only(spec));
    const CsrMatrix<double> a = make_sparse_matrix(spec);
    const long long rows = dims == 2 ? n * n : n * n * n;
    BOOST_TEST(a.rows() == rows);
    BOOST_TEST(a.cols() == rows);
    // (2d + 1) N^d entries less one per missing neighbour: 2 d N^(d-1) at the boundary
    const long long boundary = dims == 2 ? 4LL * n : 6LL * n * n;
    BOOST_TEST(a.nonZeros() == (2 * dims + 1) * rows - boundary);
    const CsrMatrix<double> at = a.transpose();
    BOOST_TEST((CsrMatrix<double>(a - at)).norm() == 0.0);  // symmetric
    for (Eigen::Index i = 0; i < a.rows(); ++i) BOOST_TEST(a.coeff(i, i) == 2.0 * dims);
  }
}

BOOST_AUTO_TEST_CASE(the_closed_form_is_inside_the_sparse_reference) {
  for (auto [text, dims, n] : {std::tuple{"laplace2d:n=40", 2, 40}, {"laplace3d:n=9", 3, 9}})
    for (Precision p : {Precision::F64, Precision::F32}) {
      const Problem problem = make_problem(parse_matrix_spec(text), p);
      BOOST_TEST(problem.sparse_only);
      BOOST_TEST(problem.a64.rows() == 0);  // never densified
      BOOST_TEST(to_string(problem.storage) == "sparse");
      const double err =
          static_cast<double>(abs(HP(problem.ref.sigma1_text) - laplace_sigma1(dims, n)));
      BOOST_TEST(err <= problem.ref.bound, text << ": " << problem.ref.sigma1_text);
      BOOST_TEST(problem.ref.digits >= 11, text << ": " << problem.ref.digits << " digits");
      BOOST_TEST(problem.ref.method == "sparse-lanczos+shift-invert+rayleigh+cholmod-bound");
      BOOST_TEST(problem.rows() == problem.s64.rows());
    }
}

BOOST_AUTO_TEST_CASE(estimators_run_and_are_scored_on_the_csr_matrix) {
  const Problem p = make_problem(parse_matrix_spec("laplace2d:n=20"), Precision::F64);
  // 400 rows: Lanczos with full reorthogonalization and 400 steps spans R^400, so it is exact
  // to rounding (~ a few hundred eps), far below the reference's ~1e-12 relative bound.
  const auto rows = run_estimator(p, parse_estimator_spec("lanczos:steps=400"), 0, {}).rows;
  BOOST_TEST_REQUIRE(rows.size() == 1u);
  BOOST_TEST(rows[0].rel_err <= 2 * p.ref.bound / p.ref.sigma1 + 1e-13, rows[0].rel_err);
  BOOST_TEST(rows[0].residual <= 1e-12, rows[0].residual);
  BOOST_TEST(rows[0].m == 400);
  BOOST_TEST(rows[0].storage == "sparse");
  // power with 10 iterations: a lower estimate, rel_err well above rounding
  const auto power = run_estimator(p, parse_estimator_spec("power:iters=10"), 0, {}).rows;
  BOOST_TEST(power[0].sigma < p.ref.sigma1);
  BOOST_TEST(power[0].rel_err > 1e-6);
}

BOOST_AUTO_TEST_CASE(dense_only_commands_and_impossible_sizes_are_refused) {
  const MatrixSpec spec = parse_matrix_spec("laplace2d:n=5");
  try {
    (void)make_matrix(spec, "export");
    BOOST_FAIL("a sparse family was densified");
  } catch (const InvalidArgument& e) {
    BOOST_TEST(std::string(e.what()).find("is a sparse family") != std::string::npos, e.what());
  }
  BOOST_CHECK_THROW(parse_matrix_spec("laplace3d:n=1000"), InvalidArgument);  // 10^9 rows
  BOOST_CHECK_THROW(parse_matrix_spec("laplace2d:n=0"), InvalidArgument);
  BOOST_CHECK_THROW(parse_matrix_spec("laplace2d"), InvalidArgument);  // n is required
}

}  // namespace
}  // namespace specbench
