// Power iteration: known answers, the (sigma_2/sigma_1)^(4k) rate, checkpoints, determinism,
// product counts, invalid arguments and the registry entry.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "algorithms/power.hpp"
#include "algorithms/registry.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

// tan^2 of the angle between the power iteration's start vector and v_1. The start is the first
// n Gaussian numbers of the generator (power.hpp), so a copy of the generator reproduces it.
template <class T>
double start_tan2(Rng rng, const std::vector<double>& v1) {
  std::vector<T> x(v1.size());
  fill_gaussian<T>(rng, x);
  const double c = dot<T, double>(x, v1) / norm2<T>(x);
  return (1 - c * c) / (c * c);
}

// Iterations k after which the bound of power.hpp, tan^2(theta_0) rho^(4k-2) with
// rho = sigma_2/sigma_1, on the relative error of sigma_k^2 and on sin^2 of the angle between u_k
// and u_1 is at most `target`. (v_k is one half-step better: tan(theta) <= tan(theta_0) rho^(2k).)
int iterations_for(double tan2, double rho, double target) {
  if (rho == 0 || tan2 <= target) return 1;
  const double k = (std::log(target / tan2) / std::log(rho) + 2) / 4;
  return std::max(1, int(std::ceil(k)));
}

BOOST_AUTO_TEST_SUITE(power)

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto& c : known_cases()) {
    const Index size = std::max(c.a.rows(), c.a.cols());
    // Rounding level: every product carries an error of at most gamma_n |A| |x| (gemv bound,
    // ~ n eps ||A||), rounding A to T moves sigma by at most eps/2 ||A||_F, and the error of
    // sigma at a converged iterate is a few such terms: 8 max(m, n) eps.
    const double tol = 8 * double(size) * kEps<T>;
    // ||u|| - 1 after scaling by 1/||u||: a few eps per entry accumulated over the vector.
    const double unit_tol = 4 * double(size) * kEps<T>;
    Rng rng(7);
    // Enough iterations for the truncation error (the convergence bound) to be below tol / 2.
    const double tan2 = c.exact.v.empty() ? 0.0 : start_tan2<T>(rng, c.exact.v);
    const int iters = iterations_for(tan2, c.ratio, tol / 2);
    BOOST_TEST_MESSAGE(c.name << ": tan^2(theta_0) = " << tan2 << ", " << iters << " iterations");
    const auto at = c.a.convert<T>(P::kLayout);
    const DenseOperator<T> op(at);
    const auto r = power_iteration(op, {.iters = iters}, rng);
    check_known_case(r, c, at, tol, unit_tol);
    if (c.exact.sigma == 0) BOOST_TEST((r.status == Status::Breakdown));
  }
}

// The relative error of sigma_k^2, the Rayleigh quotient of A A^T, falls like
// (sigma_2/sigma_1)^(4k) (power.hpp): the least-squares slope of log(err_k) against k must be
// 4 ln(sigma_2/sigma_1) to within 5%.
BOOST_AUTO_TEST_CASE_TEMPLATE(convergence_rate, P, DoubleTypes) {
  using T = typename P::Scalar;
  const double rho = 0.9;
  // s = 1, 0.9, 0.45, 0.225, ...: sigma_3/sigma_2 = 1/2, so the third singular value's term
  // decays 16x per iteration faster than the second's and is gone after a few iterations.
  std::vector<double> s = geometric(0.9, 0.5, 149);
  s.insert(s.begin(), 1.0);
  Rng gen(101);
  const auto a = with_spectrum(200, 150, s, gen).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  Rng rng(5);
  const auto r = power_iteration(op, {.iters = 150}, rng);

  // Fit window: err_k <= 1e-3, where the normalization's correction to the geometric decay
  // (relative size err_k / (1 - rho^2)) is below 1%, down to err_k >= 1e-10, where the rounding
  // error of sigma_k^2 (~ n eps = 3e-14) perturbs log(err_k) by less than 1e-3.
  std::vector<double> ks, logs;
  for (const auto& h : r.history) {
    const double err = std::abs(double(h.sigma) * double(h.sigma) - 1.0);
    if (err <= 1e-3 && err >= 1e-10) {
      ks.push_back(h.iteration);
      logs.push_back(std::log(err));
    }
  }
  BOOST_TEST_REQUIRE(ks.size() >= 10u);
  const double n = double(ks.size());
  const double mk = std::accumulate(ks.begin(), ks.end(), 0.0) / n;
  const double ml = std::accumulate(logs.begin(), logs.end(), 0.0) / n;
  double sxy = 0, sxx = 0;
  for (std::size_t i = 0; i < ks.size(); ++i) {
    sxy += (ks[i] - mk) * (logs[i] - ml);
    sxx += (ks[i] - mk) * (ks[i] - mk);
  }
  const double slope = sxy / sxx, expected = 4 * std::log(rho);
  BOOST_TEST_MESSAGE("fitted slope " << slope << " over " << ks.size() << " iterations, expected "
                                     << expected);
  BOOST_TEST(std::abs(slope - expected) <= 0.05 * std::abs(expected));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(checkpoints_match_separate_runs, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = generic_matrix(30, 20, 11).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  std::vector<SavedSnapshot<T>> snaps;
  Rng rng(3);
  const auto full = power_iteration(op, {.iters = 20}, rng, recording<T>({20, 1, 5}, snaps));
  BOOST_TEST_REQUIRE(snaps.size() == 3u);
  const int expected[] = {1, 5, 20};
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(snaps[i].checkpoint == expected[i]);
    Rng separate(3);
    const auto r = power_iteration(op, {.iters = expected[i]}, separate);
    check_same_state(snaps[i], r);
  }
  check_same_state(snaps[2], full);
}

BOOST_AUTO_TEST_CASE(checkpoints_after_early_stop) {
  const auto a = generic_matrix(30, 20, 11);
  const DenseOperator<double> op(a);
  std::vector<SavedSnapshot<double>> snaps;
  Rng rng(3);
  const auto r = power_iteration(op, {.iters = 200, .tol = 1e-4}, rng,
                                 recording<double>({2, 150, 200}, snaps));
  BOOST_TEST_REQUIRE((r.status == Status::Converged));
  BOOST_TEST_REQUIRE(r.iterations > 2);
  BOOST_TEST_REQUIRE(r.iterations < 150);
  BOOST_TEST_REQUIRE(snaps.size() == 3u);
  BOOST_TEST(snaps[0].iteration == 2);
  BOOST_TEST((snaps[0].status == Status::MaxIterations));
  for (std::size_t i = 1; i < 3; ++i) {
    BOOST_TEST(snaps[i].checkpoint == (i == 1 ? 150 : 200));
    check_same_state(snaps[i], r);
  }
}

BOOST_AUTO_TEST_CASE(no_checkpoints_observer_called_once) {
  const auto a = generic_matrix(12, 9, 4);
  const DenseOperator<double> op(a);
  std::vector<SavedSnapshot<double>> snaps;
  Rng rng(3);
  const auto r = power_iteration(op, {.iters = 6}, rng, recording<double>({}, snaps));
  BOOST_TEST_REQUIRE(snaps.size() == 1u);
  BOOST_TEST(snaps[0].checkpoint == 6);
  check_same_state(snaps[0], r);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(deterministic_given_seed, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = generic_matrix(25, 18, 8).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  Rng r1(42), r2(42), r3(43);
  const auto x = power_iteration(op, {.iters = 3}, r1);
  const auto y = power_iteration(op, {.iters = 3}, r2);
  const auto z = power_iteration(op, {.iters = 3}, r3);
  BOOST_TEST(x.sigma == y.sigma);
  BOOST_TEST((x.u == y.u));
  BOOST_TEST((x.v == y.v));
  BOOST_TEST((x.v != z.v));  // a different start gives a different (unconverged) iterate
}

BOOST_AUTO_TEST_CASE(products_two_per_iteration) {
  const auto a = generic_matrix(25, 18, 8);
  const DenseOperator<double> op(a);
  Rng rng(1);
  const auto r = power_iteration(op, {.iters = 7}, rng);
  BOOST_TEST(r.products == 14);
  BOOST_TEST(r.iterations == 7);
  BOOST_TEST_REQUIRE(r.history.size() == 7u);
  for (const auto& h : r.history) BOOST_TEST(h.products == 2LL * h.iteration);
  BOOST_TEST((r.status == Status::MaxIterations));
}

// The two groupings of the same chain (power.hpp): right side (row-major, A v and A^T A v per
// read), left side (column-major, A^T u and A A^T u per read) and plain products (an operator
// without a fused product) agree at every iteration. Tolerance: each iterate is the exact one
// of a matrix perturbed by O(max(m, n) eps ||A||) per product (Higham 3.5), and power iteration
// is a contraction on the error of sigma_k, so the sigmas agree to 4 k max(m, n) eps relative,
// while the unconverged vectors may differ by as much as those perturbations are amplified
// by 1/(sigma_1 - sigma_2) (here ||A|| / gap < 10), bounded by 40 k max(m, n) eps.
BOOST_AUTO_TEST_CASE_TEMPLATE(gram_sides_agree, T, ScalarTypes) {  // float, double
  const auto d = generic_matrix(40, 23, 12);
  const auto row = d.convert<T>(Layout::RowMajor), col = d.convert<T>(Layout::ColMajor);
  const DenseOperator<T> right(row), left(col);
  BOOST_TEST((right.gram_side() == GramSide::Right));
  BOOST_TEST((left.gram_side() == GramSide::Left));
  for (int k : {1, 2, 5, 12}) {
    Rng r1(9), r2(9), r3(9);
    const auto a = power_iteration(right, {.iters = k}, r1);
    const auto b = power_iteration(left, {.iters = k}, r2);
    const auto c = power_iteration(MinimalOperator<T>{left}, {.iters = k}, r3);
    BOOST_TEST(a.products == 2 * k);
    BOOST_TEST(b.products == 2 * k);
    BOOST_TEST(c.products == 2 * k);
    const double eps = double(std::numeric_limits<T>::epsilon()) * 40;
    for (const auto* e : {&b, &c}) {
      BOOST_TEST(std::abs(double(e->sigma) - double(a.sigma)) <= 4 * k * eps * double(a.sigma));
      for (std::size_t i = 0; i < a.v.size(); ++i)
        BOOST_TEST(std::abs(double(e->v[i]) - double(a.v[i])) <= 40 * k * eps);
      for (std::size_t i = 0; i < a.u.size(); ++i)
        BOOST_TEST(std::abs(double(e->u[i]) - double(a.u[i])) <= 40 * k * eps);
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_arguments) {
  const auto a = generic_matrix(5, 4, 1);
  const DenseOperator<double> op(a);
  const DenseMatrix<double> empty_rows(0, 5), empty_cols(5, 0);
  const DenseOperator<double> op0(empty_rows), op1(empty_cols);
  Rng rng(1);
  const Rng before = rng;
  BOOST_CHECK_THROW(power_iteration(op, {.iters = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(power_iteration(op, {.iters = 10, .tol = -1e-3}, rng), InvalidArgument);
  BOOST_CHECK_THROW(
      power_iteration(op, {.iters = 10, .tol = std::numeric_limits<double>::quiet_NaN()}, rng),
      InvalidArgument);
  BOOST_CHECK_THROW(power_iteration(op0, {}, rng), InvalidArgument);
  BOOST_CHECK_THROW(power_iteration(op1, {}, rng), InvalidArgument);
  BOOST_TEST((rng == before));  // rejected before drawing anything
}

BOOST_AUTO_TEST_CASE(registry_entry) {
  const auto& info = EstimatorRegistry::instance().get("power", "estimator");
  BOOST_TEST(info.iteration_param == "iters");
  BOOST_TEST(info.nested);
  check_rejects_bad_parameters(info, {"iters", "tol"}, "iters");
  // The type-erased entry point computes exactly what the direct call does.
  const auto a = generic_matrix(15, 10, 2);
  const DenseOperator<double> op(a);
  const auto params = info.schema.resolve({{"iters", "9"}}, "power");
  Rng r1(9), r2(9);
  const auto erased = info.run<double>()(op, params, r1, {});
  const auto direct = power_iteration(op, {.iters = 9}, r2);
  check_same_result(erased, direct);
  const auto af = a.convert<float>(Layout::RowMajor);
  const DenseOperator<float> opf(af);
  Rng r3(9), r4(9);
  check_same_result(info.run<float>()(opf, params, r3, {}), power_iteration(opf, {.iters = 9}, r4));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
