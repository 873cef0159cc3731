// specbench compare: identical inputs pass, an injected accuracy change fails, a synthetic 2x
// slowdown with 10 samples fails, a noisy pair is inconclusive, malformed inputs are errors;
// the Mann-Whitney p-value against known values; benchmark JSON files.

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "algorithms/error.hpp"
#include "harness/compare.hpp"
#include "harness/output.hpp"
#include "harness/sweep.hpp"

namespace fs = std::filesystem;
using namespace specbench;

namespace {

struct Dirs {
  fs::path root = fs::temp_directory_path() / ("specbench_cmp_" + std::to_string(::getpid()));
  Dirs() {
    fs::remove_all(root);
    fs::create_directories(root);
    std::ofstream(root / "c.toml") << R"(
[sweep]
seeds = 10
[[block]]
matrices = ["gaussian:m=20,n=10,seed=1"]
[[block.estimators]]
name = "power"
iters = 5
)";
    run_sweep(load_sweep(root / "c.toml"), {.output = root / "base", .quiet = true});
  }
  ~Dirs() { fs::remove_all(root); }
  /// A copy of the baseline with column `col` of row k replaced by f(k, old value).
  template <class F>
  fs::path variant(const std::string& name, const std::string& col, F f) const {
    const CsvTable t = read_csv(root / "base" / "runs.csv");
    const std::size_t c = t.column(col);
    std::string text = csv_header();
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
      auto row = t.rows[k];
      row[c] = f(k, row[c]);
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) text.push_back(',');
        text.append(csv_line_field(row[i]));
      }
      text.push_back('\n');
    }
    fs::create_directories(root / name);
    std::ofstream(root / name / "runs.csv") << text;
    return root / name;
  }
};

int compare(const fs::path& a, const fs::path& b, std::string* text = nullptr) {
  std::ostringstream out;
  const int code = compare_results(a, b, {}, out);
  if (text) *text = out.str();
  return code;
}

std::string times(std::size_t k, double scale, double spread) {
  // 10 samples: scale * (1 + spread * (k - 4.5) / 4.5), deterministic
  return format_double(scale * (1 + spread * (double(k) - 4.5) / 4.5));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compare_suite)

BOOST_AUTO_TEST_CASE(identical_inputs_pass) {
  Dirs d;
  const auto steady = d.variant(
      "steady", "time_s", [](std::size_t k, const std::string&) { return times(k, 1e-3, 0.02); });
  std::string text;
  BOOST_TEST(compare(steady, steady, &text) == kComparePass, text);
  BOOST_TEST(compare(d.root / "base", d.root / "base", &text) == kComparePass, text);
}

BOOST_AUTO_TEST_CASE(an_accuracy_change_fails) {
  Dirs d;
  // sigma moved by 1e-12 relative: far beyond 4 ulps.
  const auto moved = d.variant("moved", "sigma", [](std::size_t k, const std::string& v) {
    return k == 3 ? format_double(std::stod(v) * (1 + 1e-12)) : v;
  });
  std::string text;
  BOOST_TEST(compare(d.root / "base", moved, &text) == kCompareRegression, text);
  BOOST_TEST(text.find("sigma") != std::string::npos);
  BOOST_TEST(text.find("specbench estimate --matrix") != std::string::npos);  // re-run command
  // One ulp is within tolerance.
  const auto ulp = d.variant("ulp", "sigma", [](std::size_t k, const std::string& v) {
    return k == 3 ? format_double(std::nextafter(std::stod(v), 1e300)) : v;
  });
  BOOST_TEST(compare(d.root / "base", ulp, &text) != kCompareRegression, text);
  // A missing cell is a regression too.
  const auto missing = d.variant("missing", "cell", [](std::size_t k, const std::string& v) {
    std::string out = v;
    if (k == 0) out = "0000000000000000";
    return out;
  });
  BOOST_TEST(compare(d.root / "base", missing, &text) == kCompareRegression, text);
}

BOOST_AUTO_TEST_CASE(timing_rules) {
  Dirs d;
  const auto base = d.variant(
      "tb", "time_s", [](std::size_t k, const std::string&) { return times(k, 1e-3, 0.02); });
  const auto slow = d.variant("ts", "time_s", [](std::size_t k, const std::string&) {
    return times(k, 2e-3, 0.02);  // a 2x slowdown, 10 samples
  });
  const auto fast = d.variant(
      "tf", "time_s", [](std::size_t k, const std::string&) { return times(k, 0.5e-3, 0.02); });
  const auto noisy_base = d.variant(
      "nb", "time_s", [](std::size_t k, const std::string&) { return times(k, 1e-3, 0.5); });
  const auto noisy_cur = d.variant("nc", "time_s", [](std::size_t k, const std::string&) {
    return times((k * 7) % 10, 1.05e-3, 0.5);
  });
  const auto slight = d.variant("sl", "time_s", [](std::size_t k, const std::string&) {
    return times(k, 1.05e-3, 0.02);  // 5% slower: significant but not large
  });
  std::string text;
  BOOST_TEST(compare(base, slow, &text) == kCompareRegression, text);
  BOOST_TEST(text.find("Mann-Whitney") != std::string::npos);
  BOOST_TEST(compare(base, fast, &text) == kComparePass, text);
  BOOST_TEST(text.find("IMPROVEMENT") != std::string::npos, text);
  BOOST_TEST(compare(noisy_base, noisy_cur, &text) == kCompareInconclusive, text);
  BOOST_TEST(compare(base, slight, &text) == kComparePass, text);
}

BOOST_AUTO_TEST_CASE(malformed_inputs_are_errors_not_regressions) {
  Dirs d;
  fs::create_directories(d.root / "bad");
  std::ofstream(d.root / "bad" / "runs.csv") << "not,a,sweep\n1,2,3\n";
  BOOST_CHECK_THROW(compare(d.root / "base", d.root / "bad"), InvalidArgument);
  BOOST_CHECK_THROW(compare(d.root / "nowhere", d.root / "base"), InvalidArgument);
  std::ofstream(d.root / "b.json") << "{ not json";
  BOOST_CHECK_THROW(compare(d.root / "b.json", d.root / "b.json"), InvalidArgument);
}

// Mann-Whitney: complete separation of 9 vs 9 gives p = P(U = 81) under H0, normal approximation
// z = (81 - 40.5 - 0.5) / sqrt(9 * 9 * 19 / 12) = 3.53, p = 2.1e-4; identical samples give 0.5+.
BOOST_AUTO_TEST_CASE(mann_whitney_values) {
  std::vector<double> a, b;
  for (int i = 0; i < 9; ++i) {
    a.push_back(i);
    b.push_back(100 + i);
  }
  BOOST_TEST(std::abs(mann_whitney_greater(a, b) - 2.08e-4) <= 0.05e-4);
  BOOST_TEST(mann_whitney_greater(b, a) > 0.99);
  BOOST_TEST(mann_whitney_greater(a, a) >= 0.5);
}

BOOST_AUTO_TEST_CASE(benchmark_json_files) {
  Dirs d;
  auto write = [&](const std::string& name, double scale) {
    std::ostringstream j;
    j << R"({"context": {}, "benchmarks": [)";
    for (int k = 0; k < 10; ++k)
      j << (k ? "," : "") << R"({"name": "BM_x/64", "run_name": "BM_x/64", "run_type": "iteration",
           "time_unit": "us", "real_time": )"
        << scale * (1 + 0.01 * k) << "}";
    j << R"(, {"name": "BM_x/64_mean", "run_name": "BM_x/64", "run_type": "aggregate",
           "time_unit": "us", "real_time": 1}]})";
    std::ofstream(d.root / name) << j.str();
    return d.root / name;
  };
  const auto a = write("a.json", 10), b = write("b.json", 20), c = write("c.json", 10);
  std::string text;
  BOOST_TEST(compare(a, c, &text) == kComparePass, text);
  BOOST_TEST(compare(a, b, &text) == kCompareRegression, text);
}

BOOST_AUTO_TEST_SUITE_END()
