// Randomized SVD (Halko, Martinsson & Tropp 2011): known answers, exactness on low-rank matrices
// with power_iters = 0, the upper-bound property, convergence with power iterations, product
// counts, determinism, invalid arguments and the registry entry.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "algorithms/registry.hpp"
#include "algorithms/rsvd.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

BOOST_AUTO_TEST_SUITE(rsvd)

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto& c : known_cases()) {
    // Every known case has rank <= 7 <= l = min(1 + 10, min(m, n)) when min(m, n) >= 7, and for
    // the smaller ones l = min(m, n) covers the whole row space: range(Q) contains range(A), so
    // Q Q^T A = A and sigma is exact up to rounding: the QR, the products and the small SVD are
    // backward stable, each contributing O(n eps ||A||) (Higham, 2nd ed., Sec. 3.5, 19.3).
    const double size = double(std::max(c.a.rows(), c.a.cols()));
    const double tol = 8 * size * kEps<T>;
    const double unit_tol = 4 * size * kEps<T>;
    const auto at = c.a.convert<T>(P::kLayout);
    const DenseOperator<T> op(at);
    for (const int q : {0, 2}) {
      BOOST_TEST_CONTEXT("power_iters = " << q) {
        Rng rng(5);
        const auto r = randomized_svd(op, {.rank = 1, .oversampling = 10, .power_iters = q}, rng);
        check_known_case(r, c, at, tol, unit_tol);
        BOOST_TEST((r.status == Status::Converged));
        BOOST_TEST(r.iterations == q);
      }
    }
  }
}

// The requirement: with power_iters = 0 the range finder alone is exact (to rounding) on
// every matrix of rank <= rank + oversampling, because a Gaussian Omega gives range(A Omega) =
// range(A) with probability one (HMT Sec. 4.1). The matrices are 300 x 200 with rank r and a
// decaying spectrum spread over many orders of magnitude, so nothing is easy for other reasons.
BOOST_AUTO_TEST_CASE_TEMPLATE(exact_on_low_rank_without_power_iterations, P, DenseTypes) {
  using T = typename P::Scalar;
  const Index m = 300, n = 200;
  for (const auto& [k, p] : {std::pair{1, 0}, std::pair{1, 10}, std::pair{3, 5}, std::pair{6, 2}}) {
    for (const int rank : {k + p, (k + p + 1) / 2}) {
      BOOST_TEST_CONTEXT("rank " << rank << ", k = " << k << ", p = " << p) {
        Rng gen(1000 + std::uint64_t(rank));
        const auto s = geometric(3.0, 0.1, rank);  // 3, 0.3, 0.03, ...
        const auto a = with_spectrum(m, n, s, gen);
        const auto at = a.convert<T>(P::kLayout);
        const DenseOperator<T> op(at);
        Rng rng(11);
        const auto r = randomized_svd(op, {.rank = k, .oversampling = p, .power_iters = 0}, rng);
        // Rounding only: products and QR of an m x l block, O(max(m, n) eps ||A||) (as above),
        // plus the relative error eps/2 of rounding A to T.
        const double tol = 8 * double(m) * kEps<T>;
        BOOST_TEST(std::abs(double(r.sigma) - s[0]) <= tol * s[0],
                   "sigma = " << r.sigma << ", exact " << s[0]);
        BOOST_TEST(r.products == 2 * std::min<Index>(k + p, std::min(m, n)));
      }
    }
  }
}

// sigma = ||Q^T A||_2 <= ||A||_2 for orthonormal Q (to rounding), and on a matrix with a slowly
// decaying spectrum each pass of subspace iteration reduces the error (HMT Cor. 10.10: the
// expected error is governed by (sigma_{l+1} / sigma_1)^(2q+1)).
BOOST_AUTO_TEST_CASE(never_overestimates_and_power_iterations_help) {
  const Index m = 200, n = 150;
  Rng gen(77);
  const auto s = geometric(1.0, 0.97, std::min(m, n));
  const auto a = with_spectrum(m, n, s, gen);
  const DenseOperator<double> op(a);
  double previous = 1.0;
  for (const int q : {0, 1, 2, 4, 8}) {
    Rng rng(3);
    const auto r = randomized_svd(op, {.rank = 1, .oversampling = 5, .power_iters = q}, rng);
    const double err = (s[0] - r.sigma) / s[0];
    BOOST_TEST_CONTEXT("power_iters = " << q << ", rel err " << err) {
      // Never above sigma_1 beyond rounding: 8 max(m, n) eps (as in known_answers).
      BOOST_TEST(r.sigma <= s[0] * (1 + 8 * double(m) * kEps<double>));
      BOOST_TEST(err < previous);  // strictly better with more passes (same Omega: same seed)
      previous = std::max(err, 0.0);
    }
  }
  // With q = 8 and l = 6 the bound factor is 0.97^(5 * 17) ~ 0.075 per unit; in practice the
  // Ritz value of the 6-dimensional Krylov-like subspace is far closer. 1e-3 is loose.
  BOOST_TEST(previous < 1e-3);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(deterministic_given_seed, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto at = generic_matrix(40, 30, 4).convert<T>(P::kLayout);
  const DenseOperator<T> op(at);
  Rng r1(8), r2(8), r3(9);
  const auto a = randomized_svd(op, {}, r1);
  const auto b = randomized_svd(op, {}, r2);
  const auto c = randomized_svd(op, {.power_iters = 0}, r3);
  check_same_result(a, b);
  BOOST_TEST(a.sigma != c.sigma);  // another seed and budget: another estimate
}

// l (2 + 2q) products: A Omega, then q times (A^T Q, A Z), then A^T Q; l = min(k + p, min(m, n)).
BOOST_AUTO_TEST_CASE(products_count_blocks_by_columns) {
  const auto a = generic_matrix(30, 12, 6);
  const DenseOperator<double> op(a);
  for (const auto& [k, p, q] : {std::tuple{1, 10, 2}, std::tuple{2, 3, 0}, std::tuple{5, 20, 1}}) {
    Rng rng(1);
    const auto r = randomized_svd(op, {.rank = k, .oversampling = p, .power_iters = q}, rng);
    const long long l = std::min(k + p, 12);
    BOOST_TEST(r.products == l * (2 + 2 * q), "k " << k << " p " << p << " q " << q);
    BOOST_TEST(r.history.size() == 1u);
  }
}

// The observer sees exactly one snapshot (rsvd is not nested), equal to the result.
BOOST_AUTO_TEST_CASE(observer_called_once_with_the_result) {
  const auto a = generic_matrix(20, 10, 3);
  const DenseOperator<double> op(a);
  std::vector<SavedSnapshot<double>> seen;
  Rng rng(2);
  const auto r = randomized_svd(op, {}, rng, recording<double>({}, seen));
  BOOST_REQUIRE_EQUAL(seen.size(), 1u);
  check_same_state(seen[0], r);
}

BOOST_AUTO_TEST_CASE(invalid_arguments) {
  const auto a = generic_matrix(5, 4, 1);
  const DenseOperator<double> op(a);
  const DenseMatrix<double> empty(0, 4);
  const DenseOperator<double> op0(empty);
  Rng rng(1);
  const Rng before = rng;
  BOOST_CHECK_THROW(randomized_svd(op, {.rank = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(randomized_svd(op, {.oversampling = -1}, rng), InvalidArgument);
  BOOST_CHECK_THROW(randomized_svd(op, {.power_iters = -1}, rng), InvalidArgument);
  BOOST_CHECK_THROW(randomized_svd(op0, {}, rng), InvalidArgument);
  BOOST_TEST((rng == before));  // rejected before drawing anything
}

BOOST_AUTO_TEST_CASE(registry_entry) {
  const auto& info = EstimatorRegistry::instance().get("rsvd", "estimator");
  BOOST_TEST(info.iteration_param == "power_iters");
  BOOST_TEST(!info.nested);
  check_rejects_bad_parameters(info, {"rank", "oversampling", "power_iters"}, "rank");
  const auto defaults = info.schema.resolve({}, info.name);
  BOOST_TEST(defaults.get_int("rank") == 1);
  BOOST_TEST(defaults.get_int("oversampling") == 10);
  BOOST_TEST(defaults.get_int("power_iters") == 2);
  const auto a = generic_matrix(25, 15, 2);
  const auto af = a.convert<float>(Layout::RowMajor);
  const DenseOperator<double> op(a);
  const DenseOperator<float> opf(af);
  const auto params = info.schema.resolve({{"rank", "2"}, {"power_iters", "1"}}, "");
  Rng r1(9), r2(9), r3(9), r4(9);
  check_same_result(info.run<double>()(op, params, r1, {}),
                    randomized_svd(op, {.rank = 2, .power_iters = 1}, r2));
  check_same_result(info.run<float>()(opf, params, r3, {}),
                    randomized_svd(opf, {.rank = 2, .power_iters = 1}, r4));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
