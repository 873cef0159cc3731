// Certified subspace radii (reference/subspace.hpp) and the widened cluster they allow: on a
// diagonal matrix whose top singular subspaces are known exactly (spans of unit vectors), bases
// rotated out of them by a known angle theta must get a radius of at least sin(theta) (a radius
// below the true angle would be a false proof) and not much more (Davis-Kahan is tight up to
// the ratio of the gaps); the rank-c deflated Cholesky refuses a t2 below lambda_{c+1} and a
// deflation that leaves a cluster value behind.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "harness/experiment/metrics.hpp"
#include "harness/workloads/matrices.hpp"
#include "reference/gram_bound.hpp"
#include "reference/reference.hpp"
#include "reference/subspace.hpp"

namespace specbench {
namespace {

using reference_detail::GramProver;
using reference_detail::subspace_radii;

constexpr std::int64_t kM = 9, kN = 7;
// sigma = 1, 1, 1 (a cluster of three), then 0.5, 0.3, 0.2, 0.1: lambda_4(G) = 0.25.
const double kDiag[kN] = {1.0, 1.0, 1.0, 0.5, 0.3, 0.2, 0.1};

std::vector<double> diagonal() {
  std::vector<double> a(std::size_t(kM * kN), 0.0);
  for (std::int64_t j = 0; j < kN; ++j) a[std::size_t(j + j * kM)] = kDiag[j];
  return a;
}

/// rows x 3 basis e_0, e_1, e_2, its first column rotated by theta towards e_toward.
std::vector<double> basis(std::int64_t rows, double theta, std::int64_t toward) {
  std::vector<double> q(std::size_t(rows * 3), 0.0);
  for (std::int64_t c = 0; c < 3; ++c) q[std::size_t(c + c * rows)] = 1;
  q[0] = std::cos(theta);
  q[std::size_t(toward)] = std::sin(theta);
  return q;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(subspace)

BOOST_AUTO_TEST_CASE(radius_is_at_least_the_true_angle_and_not_vacuous) {
  const auto a = diagonal();
  GramProver prover(a.data(), kM, kN);
  for (double theta : {0.0, 1e-12, 1e-9, 1e-6, 1e-3}) {
    BOOST_TEST_CONTEXT("theta = " << theta) {
      // The right basis tilted towards e_3 (sigma 0.5), the left one towards e_8 (a direction
      // outside the range of A): the true sines of the largest principal angles are sin(theta).
      const auto v = basis(kN, theta, 3), u = basis(kM, theta, 8);
      BOOST_REQUIRE(prover.proves_below(0.5, v.data(), 3, 2.0));
      const auto radii = subspace_radii(a.data(), kM, kN, prover, v.data(), u.data(), 3, 0.5);
      BOOST_REQUIRE(radii.proven);
      const double truth = std::sin(theta);
      BOOST_TEST_MESSAGE("theta " << theta << ": radius v " << radii.v << ", u " << radii.u);
      BOOST_TEST(radii.v >= truth);
      BOOST_TEST(radii.u >= truth);
      // Davis-Kahan: r / (alpha - t2) with r ~ sin(theta) (1 - 0.25) and alpha - t2 ~ 0.5, plus
      // the rounding terms (~1e-14 here).
      BOOST_TEST(radii.v <= 4 * truth + 1e-13);
      BOOST_TEST(radii.u <= 8 * truth + 1e-13);
    }
  }
}

BOOST_AUTO_TEST_CASE(rank_c_deflation_refuses_what_is_false) {
  const auto a = diagonal();
  GramProver prover(a.data(), kM, kN);
  const auto v = basis(kN, 0.0, 3);
  BOOST_TEST(prover.proves_below(0.25 * (1 + 1e-9), v.data(), 3, 2.0));  // lambda_4 = 0.25
  BOOST_TEST(!prover.proves_below(0.25 * (1 - 1e-9), v.data(), 3, 2.0));
  // Deflating only two of the three values leaves lambda = 1 behind: no t2 < 1 is proven.
  BOOST_TEST(!prover.proves_below(0.9, v.data(), 2, 2.0));
  // A deflation weight below sigma1^2 leaves 1 - rho behind.
  BOOST_TEST(!prover.proves_below(0.4, v.data(), 3, 0.5));
}

// Through compute_reference: sigma1 repeated three times exactly. The widened cluster is the
// exact subspace span(e_0, e_1, e_2) (to the proven radius): any unit vector in it scores the
// floor radius^2, one tilted out of it by theta scores sin^2(theta).
BOOST_AUTO_TEST_CASE(widened_cluster_scores_the_subspace) {
  const auto a = diagonal();
  const Reference r = compute_reference(a.data(), kM, kN);
  BOOST_TEST(r.cluster_size == 3);
  BOOST_TEST(r.vector_radius < 1e-12);
  BOOST_TEST(r.vector_radius > 0.0);
  DenseMatrix<double> dm(kM, kN);
  for (std::int64_t j = 0; j < kN; ++j)
    for (std::int64_t i = 0; i < kM; ++i) dm(i, j) = a[std::size_t(i + j * kM)];
  std::vector<double> u(std::size_t(kM), 0.0), v(std::size_t(kN), 0.0);
  u[0] = u[1] = u[2] = v[0] = v[1] = v[2] = 1 / std::sqrt(3.0);
  const Metrics in = compute_metrics<double>(dm, r, 1.0, u, v);
  BOOST_TEST(in.u_cos_err == r.vector_radius * r.vector_radius);
  BOOST_TEST(in.v_cos_err == r.vector_radius * r.vector_radius);
  const double theta = 1e-4;
  std::vector<double> tilted(std::size_t(kN), 0.0);
  tilted[1] = std::cos(theta);
  tilted[4] = std::sin(theta);
  const Metrics out = compute_metrics<double>(dm, r, 1.0, u, tilted);
  const double s2 = std::sin(theta) * std::sin(theta);
  // the projection in double: relative error a few eps / sin^2, and the radius' own slack
  BOOST_TEST(std::abs(out.v_cos_err - s2) <= 1e-6 * s2 + 2 * r.vector_radius);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace specbench
