// Metrics computed by the harness: definitions, accuracy far below 1e-16, and the zero-matrix
// conventions (no NaN).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/metrics.hpp"

using namespace specbench;

namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// diag(3, 1) as a 3 x 2 matrix, with its exact reference.
struct Diag {
  DenseMatrix<double> a{3, 2};
  Reference ref;
  Diag() {
    a(0, 0) = 3;
    a(1, 1) = 1;
    ref.sigma1 = 3;
    ref.sigma2 = 1;
    ref.u1 = {1, 0, 0};
    ref.v1 = {1, 0};
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(exact_triplet_scores_zero_and_sign_does_not_matter) {
  Diag d;
  const std::vector<double> u{-1, 0, 0}, v{-1, 0};
  const Metrics m = compute_metrics<double>(d.a, d.ref, 3.0, u, v);
  BOOST_TEST(m.rel_err == 0.0);
  BOOST_TEST(m.u_cos_err == 0.0);
  BOOST_TEST(m.v_cos_err == 0.0);
  BOOST_TEST(m.residual == 0.0);
  BOOST_TEST(m.normalized_norm == 1.0);
}

BOOST_AUTO_TEST_CASE(definitions_on_a_wrong_estimate) {
  Diag d;
  // u = e2, v = e2, sigma_hat = 1: the second singular triplet.
  const std::vector<double> u{0, 1, 0}, v{0, 1};
  const Metrics m = compute_metrics<double>(d.a, d.ref, 1.0, u, v);
  BOOST_TEST(m.rel_err == 2.0 / 3.0, boost::test_tools::tolerance(4 * kEps));
  BOOST_TEST(m.u_cos_err == 1.0);  // orthogonal: 1 - |cos| = 1
  BOOST_TEST(m.v_cos_err == 1.0);
  BOOST_TEST(m.residual == 0.0);  // (e2, e2, 1) is an exact singular triplet
  BOOST_TEST(m.normalized_norm == 3.0);
}

BOOST_AUTO_TEST_CASE(cosine_error_resolves_tiny_angles) {
  Diag d;
  // v at angle theta from v1: 1 - cos(theta) = theta^2/2 - theta^4/24 + ...; 1 - |cos| evaluated
  // naively would be 0 below theta ~ 1e-8. The computed value must match theta^2/2 to a few ulps
  // of itself (normalizing and the squared difference each cost O(eps) relative).
  for (double theta : {1e-3, 1e-9, 1e-12}) {
    const std::vector<double> v{std::cos(theta), std::sin(theta)};
    const std::vector<double> u{1, 0, 0};
    const Metrics m = compute_metrics<double>(d.a, d.ref, 3.0, u, v);
    const double expected = 2 * std::pow(std::sin(theta / 2), 2);  // = 1 - cos(theta), exactly
    BOOST_TEST(m.v_cos_err == expected, boost::test_tools::tolerance(1e-12));
    BOOST_TEST(m.v_cos_err > 0.0);
  }
}

BOOST_AUTO_TEST_CASE(residual_matches_its_definition) {
  Diag d;
  const std::vector<double> u{1, 0, 0}, v{1, 0};
  // sigma_hat = 2.5: A v - s u = 0.5 e1, A^T u - s v = 0.5 e1 -> sqrt(0.5) * 0.5 / 3.
  const Metrics m = compute_metrics<double>(d.a, d.ref, 2.5, u, v);
  BOOST_TEST(m.residual == std::sqrt(0.5) / 3, boost::test_tools::tolerance(8 * kEps));
  BOOST_TEST(m.normalized_norm == 3.0 / 2.5, boost::test_tools::tolerance(2 * kEps));
}

BOOST_AUTO_TEST_CASE(zero_matrix_conventions_have_no_nan) {
  DenseMatrix<double> a(2, 3);
  Reference ref;
  ref.u1 = {1, 0};
  ref.v1 = {1, 0, 0};
  const std::vector<float> u{0, 1}, v{0, 0, 1};
  const Metrics exact = compute_metrics<float>(a, ref, 0.0, u, v);
  BOOST_TEST(exact.rel_err == 0.0);
  BOOST_TEST(exact.u_cos_err == 0.0);
  BOOST_TEST(exact.v_cos_err == 0.0);
  BOOST_TEST(exact.residual == 0.0);
  BOOST_TEST(exact.normalized_norm == 1.0);
  const Metrics off = compute_metrics<float>(a, ref, 0.5, u, v);
  BOOST_TEST(off.rel_err == 0.5);  // absolute when sigma1 = 0
  BOOST_TEST(std::isfinite(off.residual));
}

BOOST_AUTO_TEST_SUITE_END()
