// specbench check: every theory check passes on the real estimators and FAILs on deliberately
// broken ones (the checks can fail), on a small config.

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "algorithms/lanczos.hpp"
#include "algorithms/power.hpp"
#include "algorithms/registry.hpp"
#include "harness/theory/check.hpp"

namespace specbench {
namespace {

// Broken on purpose: broken_power and broken_lanczos do one iteration whatever was asked and
// report it as the requested count (a lost loop).
template <class T>
EstimateResult<T> run_broken_power(const Operator<T>& a, const ParamSet& p, Rng& rng,
                                   const RunControl<T>& control) {
  RunControl<T> first = control;  // run one iteration, then claim it is any number of them
  auto r = power_iteration(a, {.iters = 1}, rng);
  Snapshot<T> s{0, int(p.get_int("iters")), r.sigma, r.u, r.v, r.products, r.status};
  for (int c : control.checkpoints) {
    s.checkpoint = c;
    s.iteration = c;
    if (control.observer) control.observer(s);
  }
  if (control.checkpoints.empty() && control.observer) control.observer(s);
  (void)first;
  return r;
}

template <class T>
EstimateResult<T> run_broken_lanczos(const Operator<T>& a, const ParamSet& p, Rng& rng,
                                     const RunControl<T>& control) {
  // A lost loop: one bidiagonalization step whatever was asked, reported as the requested ones.
  (void)p;
  RunControl<T> relabel = control;
  relabel.checkpoints = {1};
  if (control.observer)
    relabel.observer = [&](const Snapshot<T>& s) {
      for (int c : control.checkpoints) {
        Snapshot<T> t = s;
        t.checkpoint = t.iteration = c;
        control.observer(t);
      }
      if (control.checkpoints.empty()) control.observer(s);
    };
  return lanczos_bidiagonalization(a, {.steps = 1}, rng, relabel);
}

const EstimatorRegistrar kBrokenPower{{
    .name = "broken_power",
    .summary = "test only: power iteration that stops after one iteration",
    .schema = {{{.name = "iters", .type = ParamType::Int, .default_value = "1", .min = 1}}},
    .iteration_param = "iters",
    .nested = true,
    .first_start = gaussian_start,  // as the real ones: Gaussian from Rng(seed)
    .run_f32 = run_broken_power<float>,
    .run_f64 = run_broken_power<double>,
}};
const EstimatorRegistrar kBrokenLanczos{{
    .name = "broken_lanczos",
    .summary = "test only: Lanczos that always stops after one step",
    .schema = {{{.name = "steps", .type = ParamType::Int, .default_value = "10", .min = 1}}},
    .iteration_param = "steps",
    .nested = true,
    .first_start = gaussian_start,  // as the real ones: Gaussian from Rng(seed)
    .run_f32 = run_broken_lanczos<float>,
    .run_f64 = run_broken_lanczos<double>,
}};

const char* kConfig = R"(
[power]
matrices = ["spectrum:m=60,n=40,decay=gap,rate=0.8,seed=1"]
seeds = 5
iterations = [1, 3, 10, 30]
[lanczos]
matrices = ["spectrum:m=80,n=60,decay=geometric,rate=0.95,seed=2"]
seeds = 5
steps = [2, 4, 8]
[kuczynski]
spectra = ["uniform"]
n = [500]
steps = [4, 16]
trials = 40
[hmt]
matrices = ["spectrum:m=50,n=30,decay=geometric,rate=0.5,seed=3"]
r = [1, 2]
trials = 400
[reference]
n = [10]
)";

std::filesystem::path write_config() {
  const auto path = std::filesystem::temp_directory_path() /
                    ("specbench_theory_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << kConfig;
  return path;
}

std::map<std::string, bool> verdicts(const std::vector<CheckResult>& results) {
  std::map<std::string, bool> pass;  // per check name: all passed
  for (const auto& r : results) {
    auto [it, inserted] = pass.emplace(r.name, r.pass);
    if (!inserted) it->second = it->second && r.pass;
  }
  return pass;
}

BOOST_AUTO_TEST_SUITE(check)

BOOST_AUTO_TEST_CASE(the_real_estimators_pass) {
  const auto config = write_config();
  std::ostringstream out;
  const auto results = run_checks(config, out);
  std::filesystem::remove(config);
  BOOST_TEST(results.size() == 1u + 1u + 2u + 2u + 1u);
  for (const auto& r : results) BOOST_TEST(r.pass, r.name << ": " << r.detail);
  BOOST_TEST(out.str().find("FAIL") == std::string::npos, out.str());
}

BOOST_AUTO_TEST_CASE(broken_estimators_and_constants_fail) {
  const auto config = write_config();
  std::ostringstream out;
  // The HMT constant 1 instead of 10 fails often on a matrix whose norm is carried by one
  // direction (||A w|| ~ |<w, v1>| sigma1); a reference off by 1e-12 leaves its interval.
  const auto results = run_checks(config, out,
                                  {.power = "broken_power",
                                   .lanczos = "broken_lanczos",
                                   .hmt_factor = 1,
                                   .reference_shift = 1e-12});
  std::filesystem::remove(config);
  const auto pass = verdicts(results);
  BOOST_TEST(!pass.at("power-rate"), out.str());
  BOOST_TEST(!pass.at("lanczos-kps"), out.str());
  BOOST_TEST(!pass.at("kuczynski-wozniakowski"), out.str());
  BOOST_TEST(!pass.at("hmt-lemma-4.1"), out.str());
  BOOST_TEST(!pass.at("reference-contains-exact"), out.str());
  BOOST_TEST(out.str().find("FAIL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_config_without_checks_is_an_error) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("specbench_empty_" + std::to_string(::getpid()) + ".toml");
  std::ofstream(path) << "[other]\nx = 1\n";
  std::ostringstream out;
  BOOST_CHECK_THROW(run_checks(path, out), InvalidArgument);
  std::filesystem::remove(path);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace specbench
