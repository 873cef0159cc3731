// Randomized block Krylov (algorithms/block_krylov.hpp): known answers, the space running out
// (exact sigma, status breakdown) on tall and wide matrices, block size one against Lanczos, the
// block dominating its first column's Krylov space, the Kaniel-Paige-Saad bound from the
// registry's start-vector contract, checkpoints, product counts, invalid arguments and the
// registry entry.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "algorithms/block_krylov.hpp"
#include "algorithms/lanczos.hpp"
#include "algorithms/registry.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

/// Rounding of sigma after the block process: each computed product carries gamma_n |A| |x|
/// (Higham, Sec. 3.5; ~ max(m, n) eps ||A||), BCGS2 keeps both bases orthonormal to O(eps)
/// (Barlow & Smoktunowicz 2013), and the projection B = U^T (A V) adds one more gemm error of the
/// same order; by Weyl each perturbs sigma_max(B) by at most its norm. 8 covers these few terms.
template <class T>
double rounding(Index m, Index n) {
  return 8 * double(std::max(m, n)) * kEps<T>;
}

BOOST_AUTO_TEST_SUITE(block_krylov_suite)

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const int block : {1, 2, 3}) {
    BOOST_TEST_CONTEXT("block = " << block) {
      for (const auto& c : known_cases()) {
        // 30 steps of b >= 1 columns exceed min(m, n) <= 7: the space runs out, sigma is exact
        // up to rounding, and the run stops with Breakdown.
        const Index size = std::max(c.a.rows(), c.a.cols());
        const auto at = c.a.convert<T>(P::kLayout);
        const DenseOperator<T> op(at);
        Rng rng(7);
        const auto r = block_krylov(op, {.steps = 30, .block = block}, rng);
        check_known_case(r, c, at, rounding<T>(size, size), 4 * double(size) * kEps<T>);
        BOOST_TEST((r.status == Status::Breakdown), c.name);
        BOOST_TEST(r.iterations <= std::min(c.a.rows(), c.a.cols()) + 1, c.name);
      }
    }
  }
}

// x y^T: A V_1 has rank one, so U_1 contains x; V_2 = orth(A^T U_1) then contains y, and sigma
// is exact after two steps (to rounding), for any block size.
BOOST_AUTO_TEST_CASE_TEMPLATE(rank_one_is_exact_at_step_two, T, ScalarTypes) {
  const std::vector<double> x{3, -1, 2, 0.5, 1, -2, 4, 1, 1}, y{1, 2, -2, 0.5, 3, 1, -1};
  const auto at = rank_one(x, y).convert<T>(Layout::ColMajor);
  const DenseOperator<T> op(at);
  const double exact = std::sqrt(dot<double, double>(x, x) * dot<double, double>(y, y));
  for (const int block : {1, 2, 4}) {
    Rng rng(3);
    const auto r = block_krylov(op, {.steps = 2, .block = block}, rng);
    BOOST_TEST(std::abs(double(r.sigma) - exact) <= rounding<T>(9, 7) * exact,
               "block " << block << ": sigma = " << r.sigma << ", exact " << exact);
  }
}

// With b = 1 the block process is Golub-Kahan-Lanczos with full reorthogonalization from the
// same start vector: the same Krylov space at every step, so the same Ritz value to rounding.
// A larger block contains the first column's Krylov space, so its Ritz value is no smaller.
BOOST_AUTO_TEST_CASE_TEMPLATE(block_one_is_lanczos_and_larger_blocks_dominate, P, DoubleTypes) {
  const auto a = generic_matrix(60, 45, 11).convert<double>(P::kLayout);
  const DenseOperator<double> op(a);
  const double tol = rounding<double>(60, 45);
  Rng r1(5), r2(5), r3(5);
  const auto bk = block_krylov(op, {.steps = 12, .block = 1}, r1);
  const auto gkl = lanczos_bidiagonalization(op, {.steps = 12}, r2);
  const auto wide = block_krylov(op, {.steps = 12, .block = 3}, r3);
  BOOST_TEST_REQUIRE(bk.history.size() == 12u);
  BOOST_TEST_REQUIRE(gkl.history.size() == 12u);
  BOOST_TEST_REQUIRE(wide.history.size() == 12u);
  for (std::size_t j = 0; j < 12; ++j) {
    BOOST_TEST(std::abs(bk.history[j].sigma - gkl.history[j].sigma) <= tol, "step " << j + 1);
    BOOST_TEST(wide.history[j].sigma >= gkl.history[j].sigma - tol, "step " << j + 1);
    // nested spaces: the Ritz value never decreases (interlacing), up to rounding
    if (j > 0) BOOST_TEST(wide.history[j].sigma >= wide.history[j - 1].sigma - tol);
  }
}

// Kaniel-Paige-Saad (Saad, Numerical Methods for Large Eigenvalue Problems, Thm 6.4) for
// B = A^T A after k steps from the block's first column v0 (EstimatorInfo::first_start):
// lambda1 - theta <= (lambda1 - lambdan) tan^2(v0, v1) / T_{k-1}(1 + 2 gamma)^2, gamma =
// (lambda1 - lambda2) / (lambda2 - lambdan), since the block Krylov space contains K_k(B, v0).
BOOST_AUTO_TEST_CASE(kaniel_paige_saad_bound_from_the_start_contract) {
  const Index m = 80, n = 50;
  const auto a = generic_matrix(m, n, 17);  // sigma_i = 0.8^(i-1)
  const DenseOperator<double> op(a);
  const Triplet t = reference_triplet(a);
  const double l1 = 1.0, l2 = 0.64, ln = std::pow(0.8, 2.0 * double(n - 1));
  const double gamma = (l1 - l2) / (l2 - ln);
  const auto& info = EstimatorRegistry::instance().get("block_krylov", "estimator");
  BOOST_TEST_REQUIRE(bool(info.first_start));
  for (std::uint64_t seed = 0; seed < 10; ++seed) {
    const std::vector<double> v0 = info.first_start(seed, n);
    const double c = dot<double, double>(v0, t.v) / norm2<double>(v0);
    const double tan2 = (1 - c * c) / (c * c);
    Rng rng(seed);
    const auto r = block_krylov(op, {.steps = 6, .block = 2}, rng);
    for (const auto& h : r.history) {
      const double tk = std::cosh(double(h.iteration - 1) * std::acosh(1 + 2 * gamma));
      const double bound = (l1 - ln) * tan2 / (tk * tk);
      const double theta = h.sigma * h.sigma;
      BOOST_TEST(
          l1 - theta <= bound + 2 * rounding<double>(m, n),
          "seed " << seed << ", step " << h.iteration << ": " << l1 - theta << " vs " << bound);
      BOOST_TEST(theta <= l1 + 2 * rounding<double>(m, n));
    }
  }
}

// The start-vector contract: one step with b = 1 is sigma = ||A v0|| / ||v0|| for
// v0 = first_start(seed, n), the vector `specbench check` bounds convergence with.
BOOST_AUTO_TEST_CASE(first_column_is_the_registry_start) {
  const auto a = generic_matrix(30, 20, 2);
  const DenseOperator<double> op(a);
  const auto& info = EstimatorRegistry::instance().get("block_krylov", "estimator");
  const std::vector<double> v0 = info.first_start(42, 20);
  std::vector<double> av(30);
  op.apply(v0, av);
  Rng rng(42);
  const auto r = block_krylov(op, {.steps = 1, .block = 1}, rng);
  const double expected = norm2<double>(av) / norm2<double>(v0);
  BOOST_TEST(std::abs(r.sigma - expected) <= rounding<double>(30, 20) * expected);
}

// A wide matrix whose U fills R^m before V fills R^n: the next block of V then holds
// range(A^T), after which sigma is exact and the run stops with Breakdown.
BOOST_AUTO_TEST_CASE_TEMPLATE(wide_matrix_space_runs_out_on_the_left, T, ScalarTypes) {
  const auto a = generic_matrix(5, 40, 9);
  const auto at = a.convert<T>(Layout::ColMajor);
  const DenseOperator<T> op(at);
  Rng rng(1);
  const auto r = block_krylov(op, {.steps = 20, .block = 3}, rng);
  BOOST_TEST((r.status == Status::Breakdown));
  BOOST_TEST(r.iterations <= 3);  // U: 3 + 2 columns fill R^5 at step 2; step 3 is exact
  BOOST_TEST(std::abs(double(r.sigma) - 1.0) <= rounding<T>(5, 40));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(checkpoints_equal_separate_runs, T, ScalarTypes) {
  const auto a = generic_matrix(40, 30, 4).convert<T>(Layout::RowMajor);
  const DenseOperator<T> op(a);
  std::vector<SavedSnapshot<T>> snaps;
  Rng rng(9);
  const auto full = block_krylov(op, {.steps = 7, .block = 2}, rng, recording<T>({2, 5, 7}, snaps));
  BOOST_TEST_REQUIRE(snaps.size() == 3u);
  for (const auto& s : snaps) {
    BOOST_TEST_CONTEXT("checkpoint " << s.checkpoint) {
      Rng fresh(9);
      const auto r = block_krylov(op, {.steps = s.checkpoint, .block = 2}, fresh);
      check_same_state(s, r);
      // A V_j for every step, A^T U_j for all but the last: (2 j - 1) b products
      BOOST_TEST(r.products == (2LL * s.checkpoint - 1) * 2);
    }
  }
  check_same_state(snaps.back(), full);
  // the registry's product model (dry-run estimates) is the count the operator made
  const auto& info = EstimatorRegistry::instance().get("block_krylov", "estimator");
  const auto p = info.schema.resolve({{"block", "2"}}, "block_krylov");
  BOOST_TEST(info.products(p, 7.0) == double(full.products));
}

BOOST_AUTO_TEST_CASE(tolerance_stops_early) {
  const auto a = generic_matrix(60, 60, 6);
  const DenseOperator<double> op(a);
  Rng rng(2);
  const auto r = block_krylov(op, {.steps = 50, .block = 4, .tol = 1e-10}, rng);
  BOOST_TEST((r.status == Status::Converged));
  BOOST_TEST(r.iterations < 15);
  BOOST_TEST(std::abs(r.sigma - 1.0) <= 1e-9);
}

BOOST_AUTO_TEST_CASE(invalid_arguments_rejected_before_drawing) {
  const auto a = generic_matrix(6, 5, 1);
  const DenseOperator<double> op(a);
  const DenseMatrix<double> empty(0, 3);
  const DenseOperator<double> op0(empty);
  Rng rng(1);
  const Rng before = rng;
  BOOST_CHECK_THROW(block_krylov(op, {.steps = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(block_krylov(op, {.block = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(block_krylov(op, {.tol = -1}, rng), InvalidArgument);
  BOOST_CHECK_THROW(block_krylov(op0, {}, rng), InvalidArgument);
  BOOST_TEST((rng == before));
}

BOOST_AUTO_TEST_CASE(registry_entry) {
  const auto& info = EstimatorRegistry::instance().get("block_krylov", "estimator");
  BOOST_TEST(info.iteration_param == "steps");
  BOOST_TEST(info.nested);
  check_rejects_bad_parameters(info, {"steps", "block", "tol"}, "block");
  // through the registry: the entry point binds the options (block = 5 changes the products)
  const auto a = generic_matrix(20, 15, 3);
  const DenseOperator<double> op(a);
  Rng rng(4);
  const auto r =
      info.run<double>()(op, info.schema.resolve({{"steps", "3"}, {"block", "5"}}, "bk"), rng, {});
  BOOST_TEST(r.products == 5 * 5);
  BOOST_TEST(r.iterations == 3);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
