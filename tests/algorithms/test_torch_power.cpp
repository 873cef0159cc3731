// torch_power: torch.nn.utils.spectral_norm's update order and eps handling on hand-computed 3x3
// examples, known answers, checkpoints, product counts, the start vector, and the registry entry.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <type_traits>
#include <vector>

#include "algorithms/registry.hpp"
#include "algorithms/torch_power.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

BOOST_AUTO_TEST_SUITE(torch_power_suite)

// W = diag(2, 1, 0), u0 = (0.6, 0.8, 0). By hand:
//  hook, one iteration: v = normalize(W^T u0) = (3, 2, 0) / sqrt(13); u = normalize(W v) =
//    (3, 1, 0) / sqrt(10); sigma = u^T W v = sqrt(40 / 13).
//  parametrizations (start v = normalize(W^T u0) = (3, 2, 0) / sqrt(13)): u = normalize(W v) =
//    (3, 1, 0) / sqrt(10); v = normalize(W^T u) = (6, 1, 0) / sqrt(37); sigma = 37 / sqrt(370).
BOOST_AUTO_TEST_CASE_TEMPLATE(update_order_by_hand, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto w = diagonal(3, 3, {2, 1, 0}).convert<T>(P::kLayout);
  const DenseOperator<T> op(w);
  const std::vector<T> u0 = {T(0.6), T(0.8), T(0)};
  RunControl<T> control;
  control.start_u = u0;
  // A few roundings per entry: 8 eps of the scalar type.
  const double tol = 8 * kEps<T>;
  Rng rng(1);
  const auto hook = torch_power(op, {.iters = 1}, rng, control);
  BOOST_TEST(std::abs(double(hook.sigma) - std::sqrt(40.0 / 13)) <= tol * 2);
  const double s13 = std::sqrt(13.0), s10 = std::sqrt(10.0);
  BOOST_TEST(std::abs(double(hook.v[0]) - 3 / s13) <= tol);
  BOOST_TEST(std::abs(double(hook.v[1]) - 2 / s13) <= tol);
  BOOST_TEST(std::abs(double(hook.u[0]) - 3 / s10) <= tol);
  BOOST_TEST(std::abs(double(hook.u[1]) - 1 / s10) <= tol);
  BOOST_TEST(hook.u[2] == T(0));
  BOOST_TEST(hook.products == 2);

  const auto par =
      torch_power(op, {.iters = 1, .order = TorchOrder::Parametrizations}, rng, control);
  const double s37 = std::sqrt(37.0);
  BOOST_TEST(std::abs(double(par.sigma) - 37 / std::sqrt(370.0)) <= tol * 2);
  BOOST_TEST(std::abs(double(par.u[0]) - 3 / s10) <= tol);
  BOOST_TEST(std::abs(double(par.v[0]) - 6 / s37) <= tol);
  BOOST_TEST(std::abs(double(par.v[1]) - 1 / s37) <= tol);
  BOOST_TEST(par.products == 4);  // the start v, u, v, and the W v of sigma
}

// normalize(x) = x / max(||x||, eps): below eps the vectors shrink instead of being normalized.
// W = 1e-13 I (3 x 3), u0 = e1, eps = 1e-12: v = 1e-13 e1 / 1e-12 = 0.1 e1, u = W v / 1e-12 =
// 0.01 e1, sigma = u^T W v = 0.01 * 1e-14 = 1e-16. In float the same (the values are normal).
BOOST_AUTO_TEST_CASE_TEMPLATE(eps_clamps_the_norm, P, DenseTypes) {
  using T = typename P::Scalar;
  DenseMatrix<double> w64(3, 3);
  for (Index i = 0; i < 3; ++i) w64(i, i) = 1e-13;
  const auto w = w64.convert<T>(P::kLayout);
  const DenseOperator<T> op(w);
  const std::vector<T> u0 = {T(1), T(0), T(0)};
  RunControl<T> control;
  control.start_u = u0;
  Rng rng(1);
  const auto r = torch_power(op, {.iters = 1}, rng, control);
  const double tol = 8 * kEps<T>;
  BOOST_TEST(std::abs(double(r.v[0]) - 0.1) <= tol * 0.1);
  BOOST_TEST(std::abs(double(r.u[0]) - 0.01) <= tol * 0.01);
  BOOST_TEST(std::abs(double(r.sigma) - 1e-16) <= tol * 1e-16);
  // A zero W: zero vectors, sigma 0, no NaN (0 / eps = 0), as torch.
  const auto z = DenseMatrix<double>(3, 2).convert<T>(P::kLayout);
  const DenseOperator<T> zop(z);
  const auto zr = torch_power(zop, {.iters = 3}, rng, control);
  BOOST_TEST(zr.sigma == T(0));
  BOOST_TEST(all_finite(zr));
  BOOST_TEST(norm2<T>(zr.u) == 0.0);
}

// At extreme scales torch_power does what PyTorch does (checked against PyTorch 1.13): its norm is
// the plain sqrt(sum x^2), so squares that overflow give an inf norm and zero vectors (sigma 0),
// squares that underflow give a zero norm, the eps clamp, and sigma 0 again. (The other
// estimators are run on an exactly scaled operator at such scales; torch_power never is.)
BOOST_AUTO_TEST_CASE_TEMPLATE(extreme_scales_as_torch, P, DenseTypes) {
  using T = typename P::Scalar;
  const double big = std::is_same_v<T, float> ? 1e20 : 1e160;
  const double small = std::is_same_v<T, float> ? 1e-25 : 1e-300;
  for (double scale : {big, small}) {
    DenseMatrix<double> w64(5, 4);
    for (Index j = 0; j < 4; ++j)
      for (Index i = 0; i < 5; ++i) w64(i, j) = scale * double(1 + i + 2 * j);
    const auto w = w64.convert<T>(P::kLayout);
    const DenseOperator<T> op(w);
    Rng rng(2);
    const auto r = torch_power(op, {.iters = 3}, rng, {});
    BOOST_TEST(r.sigma == T(0), "scale " << scale << ": sigma " << r.sigma);
    BOOST_TEST(all_finite(r));
  }
  // The plain norm: sqrt(3^2 + 4^2) = 5, and inf where the squares overflow.
  const std::vector<T> x = {T(3), T(4)};
  BOOST_TEST(torch_detail::torch_norm<T>(x) == T(5));
  const std::vector<T> h = {T(big), T(big)};
  BOOST_TEST(std::isinf(torch_detail::torch_norm<T>(h)));
}

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto order : {TorchOrder::Hook, TorchOrder::Parametrizations}) {
    for (const auto& c : known_cases()) {
      if (c.exact.sigma == 0) continue;  // torch returns zero vectors there (eps_clamps_the_norm)
      // 300 iterations: the error of sigma^2 falls like ratio^(2 k) <= 0.6^600, far below
      // rounding; what remains is rounding, as for power iteration: 8 max(m, n) eps.
      const double size = double(std::max(c.a.rows(), c.a.cols()));
      const auto at = c.a.convert<T>(P::kLayout);
      const DenseOperator<T> op(at);
      Rng rng(3);
      const auto r = torch_power(op, {.iters = 300, .order = order}, rng);
      BOOST_TEST_CONTEXT(to_string(order)) {
        check_known_case(r, c, at, 8 * size * kEps<T>, 4 * size * kEps<T>);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(checkpoints_match_separate_runs, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = generic_matrix(30, 20, 11).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  for (const auto order : {TorchOrder::Hook, TorchOrder::Parametrizations}) {
    std::vector<SavedSnapshot<T>> snaps;
    Rng rng(3);
    torch_power(op, {.iters = 12, .order = order}, rng, recording<T>({1, 5, 12}, snaps));
    BOOST_REQUIRE_EQUAL(snaps.size(), 3u);
    for (const auto& s : snaps) {
      Rng again(3);
      check_same_state(s, torch_power(op, {.iters = s.checkpoint, .order = order}, again));
    }
  }
}

BOOST_AUTO_TEST_CASE(registry_entry_and_invalid_arguments) {
  const auto& info = EstimatorRegistry::instance().get("torch_power", "estimator");
  BOOST_TEST(info.takes_start);
  BOOST_TEST(info.nested);
  check_rejects_bad_parameters(info, {"iters", "eps", "order"}, "iters");
  const auto defaults = info.schema.resolve({}, info.name);
  BOOST_TEST(defaults.get_int("iters") == 1);
  BOOST_TEST(defaults.get_real("eps") == 1e-12);
  BOOST_TEST(defaults.get_string("order") == "hook");
  const auto a = generic_matrix(5, 4, 1);
  const DenseOperator<double> op(a);
  Rng rng(1);
  BOOST_CHECK_THROW(torch_power(op, {.iters = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(torch_power(op, {.eps = 0}, rng), InvalidArgument);
  const std::vector<double> wrong(4, 1.0);  // 4 entries for 5 rows
  RunControl<double> control;
  control.start_u = wrong;
  BOOST_CHECK_THROW(torch_power(op, {}, rng, control), InvalidArgument);
  const auto& schema = EstimatorRegistry::instance().get("torch_power", "estimator").schema;
  BOOST_CHECK_THROW(schema.resolve({{"order", "sideways"}}, "torch_power"), InvalidArgument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
