// Shared-library plug-ins (include/specbench/plugin.h, harness/plugins/): the example plug-in
// loads, registers with its origin and runs through the harness with the counted operator, the
// cell's generator and the checkpoints; broken libraries are refused naming the file; a
// misbehaving estimator becomes an error row, never a plausible one.
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "algorithms/registry.hpp"
#include "core/error.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/plugins/shared_library.hpp"

using namespace specbench;

namespace {

std::string test_plugin(const std::string& variant) {
  return std::string(SPECBENCH_PLUGIN_DIR) + "/libtest_plugin_" + variant + ".so";
}

/// The InvalidArgument message of loading `path` ("" and a failure if it loads).
std::string load_error(const std::string& path) {
  try {
    load_plugin_library(path);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  BOOST_ERROR(path << " loaded");
  return "";
}

Problem problem_of(const std::string& text, Precision precision = Precision::F64) {
  const MatrixSpec spec = parse_matrix_spec(text);
  return make_problem(spec, make_matrix(spec), precision);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plugins)

BOOST_AUTO_TEST_CASE(the_example_loads_once_with_its_origin_and_provenance) {
  load_plugin_library(SPECBENCH_EXAMPLE_PLUGIN);
  load_plugin_library(SPECBENCH_EXAMPLE_PLUGIN);  // again: nothing happens, no duplicate
  const EstimatorInfo* info = EstimatorRegistry::instance().find("momentum_power");
  BOOST_TEST_REQUIRE(info != nullptr);
  const std::string path = std::filesystem::canonical(SPECBENCH_EXAMPLE_PLUGIN).string();
  BOOST_TEST(info->origin == path);
  BOOST_TEST(info->iteration_param == "iters");
  BOOST_TEST(info->nested);
  BOOST_TEST_REQUIRE(info->schema.find("beta") != nullptr);
  BOOST_TEST((info->schema.find("beta")->type == ParamType::Real));
  int found = 0;
  for (const auto& p : loaded_plugins())
    if (p.path == path) {
      ++found;
      BOOST_TEST(p.sha256.size() == 64u);
      BOOST_TEST((p.estimators == std::vector<std::string>{"momentum_power"}));
    }
  BOOST_TEST(found == 1);
  BOOST_TEST(EstimatorRegistry::instance().get("power", "estimator").origin == "built-in");
}

// With beta = 0 the example is power iteration from the cell's Gaussian start x_1 (the start
// every built-in draws from the seed: gaussian_start). After k iterations it reports
// ||A x_k||, x_k = G^(k-1) x_1 / ||.||, G = A^T A; then 1 - ||A x_k||^2 / sigma1^2 <=
// tan^2(theta_1) (sigma2 / sigma1)^(4 (k - 1)) with cos(theta_1) = |v1^T x_1| / ||x_1||
// (Golub & Van Loan, Matrix Computations, 4th ed., Thm. 8.2.1 on G), and
// rel_err = 1 - ||A x_k|| / sigma1 <= that bound (1 - sqrt(1 - t) <= t). The products are
// counted by the harness: 2 k - 1 (A x_j for j <= k, A^T for j < k).
BOOST_AUTO_TEST_CASE(the_example_runs_through_the_harness_as_theory_says) {
  load_plugin_library(SPECBENCH_EXAMPLE_PLUGIN);
  const Problem p = problem_of("gaussian:m=60,n=40,seed=3");
  const double s1 = p.ref.sigma1, s2 = p.ref.sigma2;
  const std::uint64_t seed = 7;
  const auto x1 = gaussian_start(seed, 40);
  double dot = 0, nx = 0;
  for (std::size_t i = 0; i < x1.size(); ++i) dot += x1[i] * p.ref.v1[i], nx += x1[i] * x1[i];
  const double cos2 = dot * dot / nx, tan2 = (1 - cos2) / cos2;
  const auto rows = run_estimator(p, parse_estimator_spec("momentum_power"), seed, {2, 8, 16}).rows;
  BOOST_TEST_REQUIRE(rows.size() == 3u);
  for (const Row& row : rows) {
    BOOST_TEST_CONTEXT("checkpoint " << row.checkpoint) {
      BOOST_TEST((row.status == RunStatus::MaxIterations));
      BOOST_TEST(row.matvecs == 2LL * row.checkpoint - 1);
      const double bound = tan2 * std::pow(s2 / s1, 4.0 * (row.checkpoint - 1));
      // plus rounding: a few n eps in ||A x|| (Higham 3.5), far below the bound here
      BOOST_TEST(row.rel_err <= bound + 100 * 40 * 2.2e-16);
      BOOST_TEST(row.rel_err >= -100 * 40 * 2.2e-16);  // ||A x|| <= sigma1 (up to rounding)
    }
  }
  // Chebyshev momentum (beta = sigma2^4 / 4) converges much faster: per step the vector error
  // shrinks by lambda2 / (lambda1 + sqrt(lambda1^2 - lambda2^2)), lambda = sigma^2, instead of
  // lambda2 / lambda1 (Xu et al. 2018, Thm. 1): here 0.56 vs 0.85, so after 20 iterations
  // rel_err (the square of the vector error) is smaller by far more than the 10x asserted.
  const std::string beta = std::to_string(std::pow(s2, 4) / 4);
  const auto plain = run_estimator(p, parse_estimator_spec("momentum_power:iters=20"), seed, {});
  const auto fast =
      run_estimator(p, parse_estimator_spec("momentum_power:iters=20,beta=" + beta), seed, {});
  BOOST_TEST(fast.rows.at(0).rel_err * 10 < plain.rows.at(0).rel_err);
  // Float runs go through the f32 entry point and follow the double run: each iteration adds
  // about (m + n) eps_f32 = 6e-6 of rounding to the vector, which power iteration damps at the
  // rate sigma2^2 / sigma1^2 = 0.855, so the runs stay within (m + n) eps_f32 / (1 - 0.855)
  // = 4e-5 of each other; 1e-4 allows for that.
  const auto f32 = run_estimator(problem_of("gaussian:m=60,n=40,seed=3", Precision::F32),
                                 parse_estimator_spec("momentum_power:iters=30"), seed, {});
  const auto f64 = run_estimator(p, parse_estimator_spec("momentum_power:iters=30"), seed, {});
  BOOST_TEST((f32.rows.at(0).status == RunStatus::MaxIterations));
  BOOST_TEST(f32.rows.at(0).precision == "f32");
  BOOST_TEST(std::abs(f32.rows.at(0).rel_err - f64.rows.at(0).rel_err) <= 1e-4);
}

BOOST_AUTO_TEST_CASE(broken_libraries_are_refused_naming_the_file) {
  const auto check = [](const std::string& variant, const std::string& want) {
    const std::string path = std::filesystem::canonical(test_plugin(variant)).string();
    const std::string message = load_error(path);
    BOOST_TEST(message.find(path) == 0u, message);
    BOOST_TEST(message.find(want) != std::string::npos, message);
  };
  check("bad_abi", "built for plug-in ABI version 99; this specbench speaks version 1");
  check("no_entry", "not a specbench plug-in (it exports no specbench_plugin_entry");
  check("duplicate", "estimator 'power': the name is already taken by built-in");
  check("bad_default", "parameter 'iters'");
  const std::string missing = load_error("/nonexistent/x.so");
  BOOST_TEST(missing == "/nonexistent/x.so: no such plug-in library");
  const std::string text = load_error(std::string(SPECBENCH_SOURCE_DIR) + "/README.md");
  BOOST_TEST(text.find("cannot load the plug-in") != std::string::npos, text);
  // nothing of a refused library was registered
  BOOST_TEST(EstimatorRegistry::instance().get("power", "estimator").origin == "built-in");
}

BOOST_AUTO_TEST_CASE(a_misbehaving_estimator_is_an_error_row) {
  load_plugin_library(test_plugin("misbehaving"));
  const Problem p = problem_of("gaussian:m=5,n=4,seed=1");
  const auto run = [&](const std::string& how, std::vector<int> checkpoints = {}) {
    return run_estimator(p, parse_estimator_spec("misbehave:how=" + how), 1, checkpoints)
        .rows.at(0);
  };
  const Row ok = run("ok");
  BOOST_TEST((ok.status == RunStatus::MaxIterations));
  BOOST_TEST(ok.sigma == std::abs(p.a64(0, 0)));  // |a_11|, read through one counted product
  BOOST_TEST(ok.matvecs == 1);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nan_sigma", "is not a finite nonnegative number"},
      {"not_unit", "u is not a unit vector"},
      {"fail", "failed: it went wrong on purpose"},
      {"bad_status", "unknown status 42"},
      {"out_of_order", "iteration 1 reported after iteration 2"},
  };
  for (const auto& [how, want] : cases) {
    const Row row = run(how);
    BOOST_TEST((row.status == RunStatus::Error), how);
    BOOST_TEST(row.message.find(want) != std::string::npos, how << ": " << row.message);
    BOOST_TEST(row.message.find("estimator 'misbehave'") != std::string::npos, row.message);
    BOOST_TEST(std::isnan(row.sigma), how);
  }
  const Row null_vectors = run("null_vectors", {1});
  BOOST_TEST((null_vectors.status == RunStatus::Error));
  BOOST_TEST(null_vectors.message.find("iteration 1: u is NULL") != std::string::npos,
             null_vectors.message);
}

BOOST_AUTO_TEST_SUITE_END()
