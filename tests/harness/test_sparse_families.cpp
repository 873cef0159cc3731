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
#include "reference/reference.hpp"

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

BOOST_AUTO_TEST_CASE(random_sparse_families_are_deterministic_and_as_declared) {
  // sprand: the entry count is Binomial(m n, density): within 6 standard deviations (a failure
  // probability below 1e-8 for this fixed seed's draw, so a real change of the generator).
  const CsrMatrix<double> s =
      make_sparse_matrix(parse_matrix_spec("sprand:m=3000,n=2000,density=0.002,seed=4"));
  const double mean = 3000.0 * 2000 * 0.002, sd = std::sqrt(mean * (1 - 0.002));
  BOOST_TEST(std::abs(double(s.nonZeros()) - mean) <= 6 * sd, s.nonZeros());
  const CsrMatrix<double> s2 =
      make_sparse_matrix(parse_matrix_spec("sprand:m=3000,n=2000,density=0.002,seed=4"));
  BOOST_TEST((CsrMatrix<double>(s - s2)).norm() == 0.0);  // same seed, same matrix
  const CsrMatrix<double> s3 =
      make_sparse_matrix(parse_matrix_spec("sprand:m=3000,n=2000,density=0.002,seed=5"));
  BOOST_TEST((CsrMatrix<double>(s - s3)).norm() > 0.0);
  // banded: exactly the band, n (2b + 1) - b (b + 1) entries
  const CsrMatrix<double> b =
      make_sparse_matrix(parse_matrix_spec("banded:n=500,bandwidth=3,seed=1"));
  BOOST_TEST(b.nonZeros() == 500 * 7 - 3 * 4);
  for (Eigen::Index i = 0; i < b.rows(); ++i)
    for (CsrMatrix<double>::InnerIterator it(b, i); it; ++it)
      BOOST_TEST(std::abs(it.col() - i) <= 3);
  // beyond the dense limit is fine for a sparse family; beyond its own limits is not
  BOOST_TEST(is_sparse_only(parse_matrix_spec("sprand:m=100000,n=100000,density=1e-5")));
  BOOST_CHECK_THROW(parse_matrix_spec("sprand:m=100000,n=100000,density=0.5"), InvalidArgument);
  BOOST_CHECK_THROW(parse_matrix_spec("banded:n=10,bandwidth=10"), InvalidArgument);
}

BOOST_AUTO_TEST_CASE(sparse_reference_of_random_families_matches_the_dense_one) {
  for (const char* text :
       {"sprand:m=300,n=200,density=0.03,seed=2", "banded:n=400,bandwidth=2,seed=3"}) {
    const Problem p = make_problem(parse_matrix_spec(text), Precision::F64);
    DenseMatrix<double> d(p.s64.rows(), p.s64.cols());
    for (Eigen::Index i = 0; i < p.s64.rows(); ++i)
      for (CsrMatrix<double>::InnerIterator it(p.s64, i); it; ++it) d(i, it.col()) = it.value();
    const Reference dense = compute_reference(d.data(), d.rows(), d.cols());
    const double err = static_cast<double>(abs(HP(p.ref.sigma1_text) - HP(dense.sigma1_text)));
    BOOST_TEST(err <= p.ref.bound + dense.bound,
               text << ": " << p.ref.sigma1_text << " vs " << dense.sigma1_text);
    BOOST_TEST(p.ref.digits >= 11, text << ": " << p.ref.digits);
  }
}

}  // namespace
}  // namespace specbench
