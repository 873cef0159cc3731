// Metrics computed by the harness: definitions, accuracy far below 1e-16, and the zero-matrix
// conventions (no NaN).
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "harness/experiment/metrics.hpp"
#include "harness/workloads/mtx.hpp"

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
    ref.vector_radius = 0;  // exact vectors: no floor
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

// n3c4-b4 (data/matrices/README.md): sigma1 = sqrt(6) repeated five times. Any unit vector of
// the 5-dimensional singular subspace is exact, so the cosine errors become the sine-squared of
// the angle to the subspace: ~0 for another basis vector of it (rounding, ~eps^2), and exactly the
// sin^2 for a vector tilted out of it by a known angle.
BOOST_AUTO_TEST_CASE(clustered_sigma1_uses_the_singular_subspace) {
  const auto a = read_matrix_market(std::string(SPECBENCH_MATRICES_DIR) + "/n3c4-b4.mtx");
  const Reference ref = compute_reference(a.data(), a.rows(), a.cols());
  BOOST_REQUIRE_EQUAL(ref.cluster_size, 5);
  const std::size_t m = std::size_t(a.rows()), n = std::size_t(a.cols());
  BOOST_REQUIRE_EQUAL(ref.u_cluster.size(), m * 5);
  BOOST_REQUIRE_EQUAL(ref.v_cluster.size(), n * 5);
  // The last basis pair (u, v) of the cluster: exact singular vectors, other than (u1, v1).
  const std::vector<double> u(ref.u_cluster.begin() + 4 * m, ref.u_cluster.end());
  const std::vector<double> v(ref.v_cluster.begin() + 4 * n, ref.v_cluster.end());
  const Metrics exact = compute_metrics<double>(a, ref, ref.sigma1, u, v);
  // The widened cluster's proven radius (a few 1e-14: the bases' rounding and the Gram matrix's
  // error bound) is the floor: an exact vector scores it.
  const double floor = ref.vector_radius * ref.vector_radius;
  BOOST_TEST(ref.vector_radius < 1e-12);
  BOOST_TEST(exact.u_cos_err == floor);
  BOOST_TEST(exact.v_cos_err == floor);
  BOOST_TEST(exact.residual <= 16 * kEps);  // LAPACK vectors: backward error ~ n eps
  // v tilted by theta towards a unit vector w orthogonal to the subspace: sin^2 = sin(theta)^2.
  // w: the residual of e_1 after projecting out the subspace, normalized.
  std::vector<double> w(n, 0.0);
  w[0] = 1;
  for (std::size_t c = 0; c < 5; ++c) {
    double d = 0;
    for (std::size_t j = 0; j < n; ++j) d += ref.v_cluster[j + c * n] * w[j];
    for (std::size_t j = 0; j < n; ++j) w[j] -= d * ref.v_cluster[j + c * n];
  }
  double norm = 0;
  for (double x : w) norm += x * x;
  BOOST_REQUIRE(norm > 0.01);
  const double theta = 1e-3;
  std::vector<double> tilted(n);
  for (std::size_t j = 0; j < n; ++j)
    tilted[j] = std::cos(theta) * v[j] + std::sin(theta) * w[j] / std::sqrt(norm);
  const Metrics off = compute_metrics<double>(a, ref, ref.sigma1, u, tilted);
  // sin^2(1e-3) = 1e-6 - ...; the computation is accurate to a few eps relative to 1.
  BOOST_TEST(std::abs(off.v_cos_err - std::sin(theta) * std::sin(theta)) <=
             1e-6 * 1e-6 + 50 * kEps);
  BOOST_TEST(off.u_cos_err == floor);
}

// Where the reference proves nothing about its vectors (vector_radius 1), every vector scores
// the floor 1/2: not determined, never a small error.
BOOST_AUTO_TEST_CASE(undetermined_vectors_score_one_half) {
  Diag d;
  d.ref.vector_radius = 1;
  const std::vector<double> u{1, 0, 0}, v{1, 0};
  const Metrics m = compute_metrics<double>(d.a, d.ref, 3.0, u, v);
  BOOST_TEST(m.u_cos_err == 0.5);
  BOOST_TEST(m.v_cos_err == 0.5);
  BOOST_TEST(m.rel_err == 0.0);
}

BOOST_AUTO_TEST_SUITE_END()
