// Lanczos, both processes (Golub-Kahan-Lanczos bidiagonalization and symmetric Lanczos on the
// one-read Gram matrix): known answers with and without reorthogonalization, breakdown (rank one,
// zero, more steps than min(m, n)), convergence, checkpoints, determinism, product counts, the
// Gram process against the bidiagonalization, invalid arguments and the registry entry.

#include <boost/test/unit_test.hpp>
#include <cmath>
#include <vector>

#include "algorithms/lanczos.hpp"
#include "algorithms/registry.hpp"
#include "test_util.hpp"

namespace specbench::test {
namespace {

constexpr Reorth kBoth[] = {Reorth::Full, Reorth::None};
constexpr Process kProcesses[] = {Process::Bidiagonal, Process::Gram};

BOOST_AUTO_TEST_SUITE(lanczos)

BOOST_AUTO_TEST_CASE_TEMPLATE(known_answers, P, DenseTypes) {
  using T = typename P::Scalar;
  for (const auto& [reorth, process] : {std::pair{Reorth::Full, Process::Bidiagonal},
                                        {Reorth::None, Process::Bidiagonal},
                                        {Reorth::Full, Process::Gram},
                                        {Reorth::None, Process::Gram}}) {
    BOOST_TEST_CONTEXT("reorth = " << to_string(reorth) << ", process = " << to_string(process)) {
      for (const auto& c : known_cases()) {
        const Index size = std::max(c.a.rows(), c.a.cols());
        // Every known case has rank <= min(m, n) <= 7 < 30 steps, so in exact arithmetic the
        // Krylov space is invariant and sigma exact: what remains is rounding, a few gemv
        // errors gamma_n ||A|| (~ n eps ||A||) plus eps/2 ||A||_F from rounding A to T.
        const double tol = 8 * double(size) * kEps<T>;
        const double unit_tol = 4 * double(size) * kEps<T>;
        const auto at = c.a.convert<T>(P::kLayout);
        const DenseOperator<T> op(at);
        Rng rng(7);
        const auto r =
            lanczos_bidiagonalization(op, {.steps = 30, .reorth = reorth, .process = process}, rng);
        check_known_case(r, c, at, tol, unit_tol);
        // Full reorthogonalization must find the invariant subspace by step min(m, n) + 1.
        if (reorth == Reorth::Full) {
          BOOST_TEST((r.status == Status::Breakdown), c.name);
          BOOST_TEST(r.iterations <= std::min(c.a.rows(), c.a.cols()) + 1, c.name);
        }
      }
    }
  }
}

// x y^T: A v_2 is parallel to u_1, so alpha_2 = 0 and B_2 = [alpha_1 beta_1; 0 0] has
// sigma = sqrt(alpha_1^2 + beta_1^2) = ||A^T u_1|| = ||x|| ||y|| after three products.
BOOST_AUTO_TEST_CASE_TEMPLATE(rank_one_breaks_down_at_step_two, P, DenseTypes) {
  using T = typename P::Scalar;
  const std::vector<double> x{3, -1, 2, 0.5, 1, -2, 4, 1, 1}, y{1, 2, -2, 0.5, 3, 1, -1};
  const auto at = rank_one(x, y).convert<T>(P::kLayout);
  const DenseOperator<T> op(at);
  const double exact = std::sqrt(dot<double, double>(x, x) * dot<double, double>(y, y));
  for (const Reorth reorth : kBoth) {
    Rng rng(17);
    const auto r = lanczos_bidiagonalization(op, {.steps = 10, .reorth = reorth}, rng);
    BOOST_TEST((r.status == Status::Breakdown));
    BOOST_TEST(r.iterations == 2);
    BOOST_TEST(r.products == 3);
    BOOST_TEST(all_finite(r));
    // Rounding level, as in known_answers (n = 9).
    BOOST_TEST(std::abs(double(r.sigma) - exact) <= 8 * 9 * kEps<T> * exact);
  }
}

// alpha_1 = 0: sigma = 0 exactly, u = e_1, v = v_1 (the start vector), one product.
BOOST_AUTO_TEST_CASE_TEMPLATE(zero_matrix, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto at = DenseMatrix<double>(5, 8).convert<T>(P::kLayout);
  const DenseOperator<T> op(at);
  for (const Reorth reorth : kBoth) {
    Rng rng(23);
    Rng copy = rng;
    std::vector<T> v1(8);
    fill_gaussian<T>(copy, v1);
    const T scale = T(1) / blas::nrm2(std::span<const T>(v1));
    for (auto& e : v1) e *= scale;
    const auto r = lanczos_bidiagonalization(op, {.steps = 30, .reorth = reorth}, rng);
    BOOST_TEST(r.sigma == T(0));
    BOOST_TEST((r.status == Status::Breakdown));
    BOOST_TEST(r.iterations == 1);
    BOOST_TEST(r.products == 1);
    BOOST_TEST((r.u == std::vector<T>{1, 0, 0, 0, 0}));
    // v = V_1 q_1 with q_1 = +-1, normalized again: v_1 to within one rounding per entry.
    BOOST_TEST(std::abs(std::abs(dot<T, T>(r.v, v1)) - 1) <= 8 * kEps<T>);
  }
}

// More steps than min(m, n): with full reorthogonalization the bases fill the space and the
// process must stop by step min(m, n) + 1 (tall: beta_n = 0; wide: alpha_{m+1} = 0) without
// dividing by zero. The plain recurrence has no such guarantee, but must stay finite.
BOOST_AUTO_TEST_CASE_TEMPLATE(more_steps_than_min_dimension, P, DenseTypes) {
  using T = typename P::Scalar;
  for (auto [m, n] : {std::pair<Index, Index>{12, 5}, {5, 12}, {6, 6}}) {
    const auto a = generic_matrix(m, n, 31);
    const auto at = a.template convert<T>(P::kLayout);
    const DenseOperator<T> op(at);
    const double sigma1 = reference_triplet(a).sigma;
    for (const Reorth reorth : kBoth)
      for (const Process process : kProcesses)
        BOOST_TEST_CONTEXT(m << "x" << n << ", reorth = " << to_string(reorth)
                             << ", process = " << to_string(process)) {
          Rng rng(5);
          const auto r = lanczos_bidiagonalization(
              op, {.steps = 40, .reorth = reorth, .process = process}, rng);
          BOOST_TEST(all_finite(r));
          // Rounding level as in known_answers (max(m, n) = 12).
          BOOST_TEST(std::abs(double(r.sigma) - sigma1) <= 8 * 12 * kEps<T> * sigma1);
          if (reorth == Reorth::Full) {
            BOOST_TEST((r.status == Status::Breakdown));
            BOOST_TEST(r.iterations <= std::min(m, n) + 1);
          }
        }
  }
}

// Lanczos on A^T A from v_1 (lanczos.hpp): by the Kaniel-Paige-Saad bound (Golub & Van Loan,
// 4th ed., Thm. 10.1.2) the Ritz value theta_k = sigma_k^2 satisfies
//   (lambda_1 - theta_k) / lambda_1 <= ((lambda_1 - lambda_n)/lambda_1) (tan(phi_1) / c_{k-1})^2
// with c_{k-1} = T_{k-1}(1 + 2 gamma) (Chebyshev), gamma = (lambda_1 - lambda_2)/(lambda_2 -
// lambda_n), lambda = sigma^2 and phi_1 the angle between v_1 and the top right singular vector.
// On s_j = 0.95^(j-1) (500 x 500) the bound reaches 1e-13 well within 60 steps, and so must the
// computed error with full reorthogonalization (rounding stays near 500 eps = 1e-13... below it).
BOOST_AUTO_TEST_CASE_TEMPLATE(converges_on_geometric_decay, P, DoubleTypes) {
  using T = typename P::Scalar;
  const Index n = 500;
  const auto s = geometric(1.0, 0.95, n);
  Rng gen(77);
  const auto a = with_spectrum(n, n, s, gen);
  const auto ref = reference_triplet(a);
  const auto at = a.convert<T>(P::kLayout);
  const DenseOperator<T> op(at);

  Rng rng(19);
  std::vector<T> v1(static_cast<std::size_t>(n));
  Rng copy = rng;
  fill_gaussian<T>(copy, v1);
  const double c1 = dot<T, double>(v1, ref.v) / norm2<T>(v1);
  const double tan2 = (1 - c1 * c1) / (c1 * c1);
  const double l1 = s[0] * s[0], l2 = s[1] * s[1],
               ln = s[std::size_t(n - 1)] * s[std::size_t(n - 1)];
  const double gamma = (l1 - l2) / (l2 - ln);
  // First k at which the bound on the relative error of sigma (half that of sigma^2) is <= 1e-13.
  int k_bound = 0;
  for (int k = 2; k <= 60 && k_bound == 0; ++k) {
    const double cheb = std::cosh(double(k - 1) * std::acosh(1 + 2 * gamma));
    if (0.5 * (l1 - ln) / l1 * tan2 / (cheb * cheb) <= 1e-13) k_bound = k;
  }
  BOOST_TEST_MESSAGE("tan^2(phi_1) = " << tan2 << ", KPS bound reaches 1e-13 at step " << k_bound);
  BOOST_TEST_REQUIRE(k_bound > 0);

  for (const Process process : kProcesses) BOOST_TEST_CONTEXT("process = " << to_string(process)) {
      Rng start = rng;
      const auto r = lanczos_bidiagonalization(
          op, {.steps = 60, .reorth = Reorth::Full, .process = process}, start);
      BOOST_TEST_REQUIRE(r.history.size() == 60u);
      int k_reached = 0;
      for (const auto& h : r.history) {
        const double err = std::abs(double(h.sigma) - ref.sigma) / ref.sigma;
        if (k_reached == 0 && err <= 1e-13) k_reached = h.iteration;
      }
      BOOST_TEST_MESSAGE("relative error <= 1e-13 first at step " << k_reached);
      BOOST_TEST(k_reached > 0);
      BOOST_TEST(k_reached <= k_bound);
      BOOST_TEST(std::abs(double(r.sigma) - ref.sigma) <= 1e-13 * ref.sigma);
      // The Ritz vectors converge too: 1 - |cos| is of the order of the error of sigma^2.
      BOOST_TEST(1 - std::abs(dot<T, double>(r.v, ref.v)) <= 1e-10);
      BOOST_TEST(1 - std::abs(dot<T, double>(r.u, ref.u)) <= 1e-10);
    }
}

BOOST_AUTO_TEST_CASE_TEMPLATE(checkpoints_match_separate_runs, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = generic_matrix(60, 40, 12).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  for (const Reorth reorth : kBoth)
    for (const Process process : kProcesses) {
      std::vector<SavedSnapshot<T>> snaps;
      Rng rng(3);
      const auto full =
          lanczos_bidiagonalization(op, {.steps = 20, .reorth = reorth, .process = process}, rng,
                                    recording<T>({5, 20, 1}, snaps));
      BOOST_TEST_REQUIRE((full.status == Status::MaxIterations));
      BOOST_TEST_REQUIRE(snaps.size() == 3u);
      const int expected[] = {1, 5, 20};
      for (std::size_t i = 0; i < 3; ++i) {
        BOOST_TEST(snaps[i].checkpoint == expected[i]);
        Rng separate(3);
        const auto r = lanczos_bidiagonalization(
            op, {.steps = expected[i], .reorth = reorth, .process = process}, separate);
        check_same_state(snaps[i], r);
      }
      check_same_state(snaps[2], full);
    }
}

// Breakdown on a 10 x 6 matrix by step 7: checkpoints 15 and 20 receive the final state.
BOOST_AUTO_TEST_CASE(checkpoints_after_breakdown) {
  const auto a = generic_matrix(10, 6, 9);
  const DenseOperator<double> op(a);
  std::vector<SavedSnapshot<double>> snaps;
  Rng rng(3);
  const auto r =
      lanczos_bidiagonalization(op, {.steps = 20}, rng, recording<double>({3, 15, 20}, snaps));
  BOOST_TEST_REQUIRE((r.status == Status::Breakdown));
  BOOST_TEST_REQUIRE(r.iterations > 3);
  BOOST_TEST_REQUIRE(r.iterations <= 7);
  BOOST_TEST_REQUIRE(snaps.size() == 3u);
  BOOST_TEST(snaps[0].iteration == 3);
  BOOST_TEST((snaps[0].status == Status::MaxIterations));
  Rng separate(3);
  check_same_state(snaps[0], lanczos_bidiagonalization(op, {.steps = 3}, separate));
  for (std::size_t i = 1; i < 3; ++i) {
    BOOST_TEST(snaps[i].checkpoint == (i == 1 ? 15 : 20));
    check_same_state(snaps[i], r);
  }
}

BOOST_AUTO_TEST_CASE(no_checkpoints_observer_called_once) {
  const auto a = generic_matrix(30, 20, 4);
  const DenseOperator<double> op(a);
  std::vector<SavedSnapshot<double>> snaps;
  Rng rng(3);
  const auto r = lanczos_bidiagonalization(op, {.steps = 6}, rng, recording<double>({}, snaps));
  BOOST_TEST_REQUIRE(snaps.size() == 1u);
  BOOST_TEST(snaps[0].checkpoint == 6);
  check_same_state(snaps[0], r);
}

BOOST_AUTO_TEST_CASE_TEMPLATE(deterministic_given_seed, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto a = generic_matrix(40, 30, 8).convert<T>(P::kLayout);
  const DenseOperator<T> op(a);
  for (const Reorth reorth : kBoth)
    for (const Process process : kProcesses) {
      const LanczosOptions o{.steps = 3, .reorth = reorth, .process = process};
      Rng r1(42), r2(42), r3(43);
      const auto x = lanczos_bidiagonalization(op, o, r1);
      const auto y = lanczos_bidiagonalization(op, o, r2);
      const auto z = lanczos_bidiagonalization(op, o, r3);
      check_same_result(x, y);
      BOOST_TEST((x.v != z.v));  // a different start gives a different (unconverged) Ritz vector
    }
}

BOOST_AUTO_TEST_CASE(products_two_per_step) {
  const auto a = generic_matrix(30, 20, 8);
  const DenseOperator<double> op(a);
  for (const Reorth reorth : kBoth) {
    Rng rng(1);
    const auto r = lanczos_bidiagonalization(op, {.steps = 9, .reorth = reorth}, rng);
    BOOST_TEST(r.products == 18);
    BOOST_TEST(r.iterations == 9);
    BOOST_TEST((r.status == Status::MaxIterations));
    BOOST_TEST_REQUIRE(r.history.size() == 9u);
    for (const auto& h : r.history) BOOST_TEST(h.products == 2LL * h.iteration);
    // Ritz values increase monotonically (interlacing: B_j is a submatrix of B_{j+1}).
    for (std::size_t j = 1; j < r.history.size(); ++j)
      BOOST_TEST(r.history[j].sigma >= r.history[j - 1].sigma);
  }
}

// The Gram process (lanczos.hpp). Right side (row-major): the same Krylov space as the
// bidiagonalization, so the same Ritz value at every step: in exact arithmetic sigma_gram(k)^2 =
// theta_k = sigma_gkl(k)^2. With full reorthogonalization both are the exact values of matrices
// within O(k max(m, n) eps ||A||) (bidiagonal) and O(k max(m, n) eps ||A||^2) (Gram) of A and A^T A
// (Paige), so they agree to 4 k max(m, n) eps sigma (the Ritz values of this well-separated
// spectrum are well-conditioned). Left side (column-major, K_k(A A^T, A v_1)): half a step
// ahead, so never below the right side's value (x^T G^2 x / x^T G x >= x^T G x / x^T x) up to the
// same rounding, and never above sigma_1. Products: 2 per step, plus the start A v_1 on the left.
BOOST_AUTO_TEST_CASE_TEMPLATE(gram_process_matches_bidiagonalization, T, ScalarTypes) {
  const auto d = generic_matrix(70, 45, 21);
  const double sigma1 = reference_triplet(d).sigma;
  const auto row = d.convert<T>(Layout::RowMajor), col = d.convert<T>(Layout::ColMajor);
  const DenseOperator<T> right(row), left(col);
  Rng r1(4), r2(4), r3(4);
  const auto gkl = lanczos_bidiagonalization(right, {.steps = 25}, r1);
  const auto gr = lanczos_bidiagonalization(right, {.steps = 25, .process = Process::Gram}, r2);
  const auto gl = lanczos_bidiagonalization(left, {.steps = 25, .process = Process::Gram}, r3);
  BOOST_TEST_REQUIRE(gkl.history.size() == 25u);
  BOOST_TEST_REQUIRE(gr.history.size() == 25u);
  BOOST_TEST_REQUIRE(gl.history.size() == 25u);
  for (std::size_t k = 0; k < 25; ++k) {
    const double tol = 4 * double(k + 1) * 70 * kEps<T> * sigma1;
    BOOST_TEST_CONTEXT("step " << k + 1) {
      BOOST_TEST(std::abs(double(gr.history[k].sigma) - double(gkl.history[k].sigma)) <= tol);
      BOOST_TEST(double(gl.history[k].sigma) >= double(gr.history[k].sigma) - tol);
      BOOST_TEST(double(gl.history[k].sigma) <= sigma1 + tol);
      BOOST_TEST(gr.history[k].products == 2 * (long long)(k + 1));
      BOOST_TEST(gl.history[k].products == 2 * (long long)(k + 1) + 1);
    }
  }
  // The Ritz vectors are a singular pair to the accuracy the Ritz value has reached: with the
  // residual ||A v - sigma u|| small relative to sigma, u and v agree across the two sides.
  BOOST_TEST(std::abs(double(gl.sigma) - sigma1) <= 1e-4 * sigma1);
  BOOST_TEST(std::abs(std::abs(dot<T, T>(gl.v, gr.v)) - 1) <= 1e-3);
  BOOST_TEST(std::abs(std::abs(dot<T, T>(gl.u, gr.u)) - 1) <= 1e-3);
}

// The zero matrix on the Gram process: sigma = 0 exactly and a breakdown at once, u = e_1 and
// v = v_1 (right side: G q_1 = 0, two products; left side: A v_1 = 0, one product).
BOOST_AUTO_TEST_CASE_TEMPLATE(gram_zero_matrix, P, DenseTypes) {
  using T = typename P::Scalar;
  const auto at = DenseMatrix<double>(5, 8).convert<T>(P::kLayout);
  const DenseOperator<T> op(at);
  Rng rng(23);
  const auto r = lanczos_bidiagonalization(op, {.steps = 30, .process = Process::Gram}, rng);
  BOOST_TEST(r.sigma == T(0));
  BOOST_TEST((r.status == Status::Breakdown));
  BOOST_TEST(r.iterations == 1);
  BOOST_TEST(r.products == (P::kLayout == Layout::RowMajor ? 2 : 1));
  BOOST_TEST((r.u == std::vector<T>{1, 0, 0, 0, 0}));
  BOOST_TEST(all_finite(r));
}

BOOST_AUTO_TEST_CASE(invalid_arguments) {
  const auto a = generic_matrix(5, 4, 1);
  const DenseOperator<double> op(a);
  const DenseMatrix<double> empty_rows(0, 5), empty_cols(5, 0);
  const DenseOperator<double> op0(empty_rows), op1(empty_cols);
  Rng rng(1);
  const Rng before = rng;
  BOOST_CHECK_THROW(lanczos_bidiagonalization(op, {.steps = 0}, rng), InvalidArgument);
  BOOST_CHECK_THROW(lanczos_bidiagonalization(op, {.steps = -3}, rng), InvalidArgument);
  BOOST_CHECK_THROW(lanczos_bidiagonalization(op, {.steps = 5, .reorth = Reorth(7)}, rng),
                    InvalidArgument);
  BOOST_CHECK_THROW(lanczos_bidiagonalization(op0, {}, rng), InvalidArgument);
  BOOST_CHECK_THROW(lanczos_bidiagonalization(op1, {}, rng), InvalidArgument);
  BOOST_TEST((rng == before));  // rejected before drawing anything
  // the option table names the enums: unknown names are refused, known ones round-trip
  const auto& schema = EstimatorRegistry::instance().get("lanczos", "estimator").schema;
  BOOST_CHECK_THROW(schema.resolve({{"reorth", "partial"}}, "lanczos"), InvalidArgument);
  BOOST_CHECK_THROW(schema.resolve({{"process", "arnoldi"}}, "lanczos"), InvalidArgument);
  BOOST_TEST(schema.resolve({{"process", std::string(to_string(Process::Gram))}}, "lanczos")
                 .get_string("process") == "gram");
}

BOOST_AUTO_TEST_CASE(registry_entry) {
  const auto& info = EstimatorRegistry::instance().get("lanczos", "estimator");
  BOOST_TEST(info.iteration_param == "steps");
  BOOST_TEST(info.nested);
  check_rejects_bad_parameters(info, {"steps", "reorth"}, "steps");
  const std::string choice = invalid_argument_message([&] {
    return info.schema.resolve({{"reorth", "partial"}}, info.name);
  });
  BOOST_TEST(choice.find("full") != std::string::npos, choice);
  BOOST_TEST(choice.find("none") != std::string::npos, choice);
  const auto defaults = info.schema.resolve({}, info.name);
  BOOST_TEST(defaults.get_int("steps") == LanczosOptions{}.steps);
  BOOST_TEST(defaults.get_string("reorth") == "full");

  // The type-erased entry point computes exactly what the direct call does.
  const auto a = generic_matrix(25, 15, 2);
  const auto af = a.convert<float>(Layout::RowMajor);
  const DenseOperator<double> op(a);
  const DenseOperator<float> opf(af);
  for (const Reorth reorth : kBoth) {
    const auto params =
        info.schema.resolve({{"steps", "8"}, {"reorth", std::string(to_string(reorth))}}, "");
    Rng r1(9), r2(9), r3(9), r4(9);
    check_same_result(info.run<double>()(op, params, r1, {}),
                      lanczos_bidiagonalization(op, {.steps = 8, .reorth = reorth}, r2));
    check_same_result(info.run<float>()(opf, params, r3, {}),
                      lanczos_bidiagonalization(opf, {.steps = 8, .reorth = reorth}, r4));
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench::test
