// specbench compare: identical inputs pass, an injected accuracy change fails and is named once
// per cell and column, changes within the rounding-noise tolerance pass, smaller errors are
// improvements, --exact sees one ulp, a synthetic 2x slowdown with 10 samples fails, a noisy
// large slowdown is inconclusive, incomplete runs, other configs and malformed inputs are
// errors; the tolerance rules against their formulas; the Mann-Whitney p-value against known
// values; benchmark JSON files.

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/error.hpp"
#include "harness/regression/compare.hpp"
#include "harness/results/output.hpp"
#include "harness/sweep/sweep.hpp"

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
    return rows_variant(name, [&](std::size_t k, auto& row, const CsvTable& t) {
      row[t.column(col)] = f(k, row[t.column(col)]);
    });
  }
  /// A copy of the baseline with every row passed through f(k, row, table).
  template <class F>
  fs::path rows_variant(const std::string& name, F f) const {
    const CsvTable t = read_csv(root / "base" / "runs.csv");
    std::string text = csv_header();
    for (std::size_t k = 0; k < t.rows.size(); ++k) {
      auto row = t.rows[k];
      f(k, row, t);
      for (std::size_t i = 0; i < row.size(); ++i) {
        if (i > 0) text.push_back(',');
        text.append(csv_line_field(row[i]));
      }
      text.push_back('\n');
    }
    fs::create_directories(root / name);
    std::ofstream(root / name / "runs.csv") << text;
    fs::copy_file(root / "base" / "meta.json", root / name / "meta.json",
                  fs::copy_options::overwrite_existing);
    return root / name;
  }
  /// A copy of the baseline with meta.json field `key` set to `value`.
  fs::path with_meta(const std::string& name, const std::string& key,
                     const nlohmann::json& value) const {
    fs::create_directories(root / name);
    fs::copy_file(root / "base" / "runs.csv", root / name / "runs.csv",
                  fs::copy_options::overwrite_existing);
    std::ifstream in(root / "base" / "meta.json");
    nlohmann::json meta = nlohmann::json::parse(in);
    meta[key] = value;
    std::ofstream(root / name / "meta.json") << meta.dump(2);
    return root / name;
  }
};

int compare(const fs::path& a, const fs::path& b, std::string* text = nullptr,
            CompareOptions options = {}) {
  std::ostringstream out;
  const int code = compare_results(a, b, options, out);
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
  // sigma moved by 1e-9 relative (away from sigma1: power iteration underestimates), far beyond
  // the rounding noise of 5 power iterations on a 20 x 10 matrix (~3e-13 relative).
  const auto moved = d.variant("moved", "sigma", [](std::size_t k, const std::string& v) {
    return k == 3 ? format_double(std::stod(v) * (1 - 1e-9)) : v;
  });
  std::string text;
  BOOST_TEST(compare(d.root / "base", moved, &text) == kCompareRegression, text);
  BOOST_TEST(text.find("sigma") != std::string::npos);
  BOOST_TEST(text.find("specbench estimate --matrix") != std::string::npos);  // re-run command
  // One ulp is within tolerance, but not bit-for-bit (--exact).
  const auto ulp = d.variant("ulp", "sigma", [](std::size_t k, const std::string& v) {
    return k == 3 ? format_double(std::nextafter(std::stod(v), 1e300)) : v;
  });
  BOOST_TEST(compare(d.root / "base", ulp, &text) != kCompareRegression, text);
  BOOST_TEST(compare(d.root / "base", ulp, &text, {.exact = true}) == kCompareRegression, text);
  // A missing cell is a regression too.
  const auto missing = d.variant("missing", "cell", [](std::size_t k, const std::string& v) {
    std::string out = v;
    if (k == 0) out = "0000000000000000";
    return out;
  });
  BOOST_TEST(compare(d.root / "base", missing, &text) == kCompareRegression, text);
}

BOOST_AUTO_TEST_CASE(smaller_errors_are_improvements_and_findings_are_per_cell_and_column) {
  Dirs d;
  // Every row of the baseline: rel_err halved (an improvement) in one copy, doubled in another
  // (one finding per cell: the 10 seeds are 10 cells, each with one row).
  auto scale = [](double f) {
    return [f](std::size_t, const std::string& v) { return format_double(std::stod(v) * f); };
  };
  const auto better = d.variant("better", "rel_err", scale(0.5));
  const auto worse = d.variant("worse", "rel_err", scale(2.0));
  std::string text;
  BOOST_TEST(compare(d.root / "base", better, &text, {.timing = "never"}) == kComparePass, text);
  BOOST_TEST(text.find("IMPROVEMENT") != std::string::npos, text);
  BOOST_TEST(text.find("REGRESSION ") == std::string::npos, text);
  BOOST_TEST(compare(d.root / "base", worse, &text, {.timing = "never"}) == kCompareRegression,
             text);
  std::size_t lines = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines += line.rfind("REGRESSION  ", 0) == 0;
  BOOST_TEST(lines == 10u, text);  // one line per cell and column
  BOOST_TEST(text.find("1 of 1 rows beyond tolerance") != std::string::npos, text);
  // JSON: the numbers and the counts by kind.
  std::ostringstream json;
  compare_results(d.root / "base", worse, {.timing = "never", .format = "json"}, json);
  const auto j = nlohmann::json::parse(json.str());
  BOOST_TEST(j["counts"]["REGRESSION"].get<int>() == 10);
  const auto& f = j["findings"][0];
  BOOST_TEST(f["column"] == "rel_err");
  BOOST_TEST(f["numbers"]["current"].get<double>() == 2 * f["numbers"]["baseline"].get<double>());
  BOOST_TEST(f["numbers"]["tolerance"].get<double>() > 0);
}

// A failed cell is one error row at checkpoint 0: it is matched by cell, never reported as a
// missing cell plus a new one; ok -> error is a REGRESSION with the message, error -> ok an
// IMPROVEMENT (exit 0); equal infinities are no change.
BOOST_AUTO_TEST_CASE(failed_cells_and_infinities) {
  Dirs d;
  const auto fail = d.rows_variant("fail", [](std::size_t k, auto& row, const CsvTable& t) {
    if (k != 2) return;
    row[t.column("status")] = "error";
    row[t.column("message")] = "boom";
    row[t.column("checkpoint")] = "0";
    for (const char* c :
         {"sigma", "rel_err", "u_cos_err", "v_cos_err", "residual", "normalized_norm"})
      row[t.column(c)] = "nan";
  });
  std::string text;
  BOOST_TEST(compare(d.root / "base", fail, &text, {.timing = "never"}) == kCompareRegression,
             text);
  BOOST_TEST(text.find("the cell now fails: boom") != std::string::npos, text);
  BOOST_TEST(text.find("\nMISSING  ") == std::string::npos, text);  // no MISSING finding
  BOOST_TEST(compare(fail, d.root / "base", &text, {.timing = "never"}) == kComparePass, text);
  BOOST_TEST(text.find("IMPROVEMENT") != std::string::npos, text);
  BOOST_TEST(compare(fail, fail, &text, {.timing = "never"}) == kComparePass, text);
  const auto inf = d.variant("inf", "normalized_norm",
                             [](std::size_t, const std::string&) { return std::string("inf"); });
  BOOST_TEST(compare(inf, inf, &text, {.timing = "never"}) == kComparePass, text);
  // An empty run is an error, not a pass.
  const auto empty = d.rows_variant("empty", [](std::size_t, auto&, const CsvTable&) {});
  { std::ofstream(empty / "runs.csv") << csv_header(); }
  BOOST_CHECK_THROW(compare(d.root / "base", empty), InvalidArgument);
  BOOST_CHECK_THROW(compare(empty, d.root / "base"), InvalidArgument);
  // Bad option values are errors.
  BOOST_CHECK_THROW(compare(d.root / "base", d.root / "base", nullptr, {.p_value = 5}),
                    InvalidArgument);
}

BOOST_AUTO_TEST_CASE(incomplete_runs_and_other_configs_are_errors) {
  Dirs d;
  BOOST_CHECK_THROW(compare(d.root / "base", d.with_meta("running", "status", "running")),
                    InvalidArgument);
  BOOST_CHECK_THROW(compare(d.root / "base", d.with_meta("shard", "status", "shard complete")),
                    InvalidArgument);
  BOOST_CHECK_THROW(compare(d.with_meta("other", "config_hash", "0123"), d.root / "base"),
                    InvalidArgument);
  // A pool of baseline runs must be runs of one config.
  fs::create_directories(d.root / "pool");
  fs::copy(d.root / "base", d.root / "pool" / "a", fs::copy_options::recursive);
  fs::copy(d.root / "other", d.root / "pool" / "b", fs::copy_options::recursive);
  BOOST_CHECK_THROW(compare(d.root / "pool", d.root / "base"), InvalidArgument);
  fs::remove_all(d.root / "pool" / "b");
  fs::copy(d.root / "base", d.root / "pool" / "b", fs::copy_options::recursive);
  std::string text;
  BOOST_TEST(compare(d.root / "pool", d.root / "base", &text) == kComparePass, text);
  // Contended timings are never judged.
  const auto contended = d.with_meta("contended", "timing_mode", "contended");
  BOOST_TEST(compare(d.root / "base", contended, &text) == kCompareInconclusive, text);
  BOOST_TEST(text.find("contended") != std::string::npos, text);
}

// The rounding-noise tolerances, against the formulas of harness/regression/tolerance.hpp.
BOOST_AUTO_TEST_CASE(tolerance_rules) {
  AccuracyRow a{.f32 = false,
                .m = 1000,
                .n = 800,
                .sigma = 1.0,
                .sigma_ref = 1.0,
                .sigma2_ref = 0.9,
                .cluster_size = 1,
                .rel_err = 1e-16,
                .u_cos_err = 1e-28,
                .v_cos_err = 1e-28,
                .residual = 1e-15,
                .normalized_norm = 1.0,
                .matvecs = 256};
  const AccuracyRow b = a;
  const AccuracyTolerance t = accuracy_tolerance(a, b, 4);
  const double u = 0x1p-53, gamma = 1000 * u / (1 - 1000 * u);
  const double eta = 2 * gamma * std::sqrt(800.0);
  BOOST_TEST(t.eta == eta, boost::test_tools::tolerance(1e-12));
  // Converged: the angle noise is eta / (1 - sigma2/sigma1) = 10 eta (fewer than 256 products).
  BOOST_TEST(t.theta == 10 * eta, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(t.rel_err >= eta);
  BOOST_TEST(t.rel_err < 1e-10);  // a change of 1e-6 (the regression test's injection) is seen
  BOOST_TEST(t.u_cos_err == 2 * 1e-14 * t.theta + t.theta * t.theta,
             boost::test_tools::tolerance(1e-9));
  // Before convergence, the linear growth over the products is the smaller bound.
  AccuracyRow early = a;
  early.matvecs = 2;
  early.u_cos_err = early.v_cos_err = 1e-2;
  const AccuracyTolerance te = accuracy_tolerance(early, early, 4);
  BOOST_TEST(te.theta == 2 * eta, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(te.rel_err > t.rel_err);  // the Rayleigh term 2 phi theta with phi = sqrt(0.02)
  // Float: the same rules in float's unit roundoff.
  AccuracyRow f = a;
  f.f32 = true;
  BOOST_TEST(accuracy_tolerance(f, f, 4).eta / eta == 0x1p-24 / u,
             boost::test_tools::tolerance(1e-3));
  // A basis that loses orthogonality: vectors get sqrt(eta), sigma keeps the stable rule.
  AccuracyRow lost = a;
  lost.orthogonal = false;
  const AccuracyTolerance tl = accuracy_tolerance(lost, lost, 4);
  BOOST_TEST(tl.theta == 10 * std::sqrt(eta), boost::test_tools::tolerance(1e-9));
  BOOST_TEST(tl.rel_err == t.rel_err);
  // At least k ulps of the value.
  AccuracyRow big = a;
  big.rel_err = 0.5;
  BOOST_TEST(accuracy_tolerance(big, big, 4).rel_err >= 4 * 2 * u * 0.5);
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
    return times((k * 7) % 10, 2.2e-3, 0.5);  // a large slowdown, but on noisy samples
  });
  const auto noisy_same = d.variant("ns", "time_s", [](std::size_t k, const std::string&) {
    return times((k * 7) % 10, 1.05e-3, 0.5);  // noisy, and no large change: passes
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
  BOOST_TEST(compare(noisy_base, noisy_same, &text) == kComparePass, text);
  BOOST_TEST(compare(base, slow, &text, {.timing = "never"}) == kComparePass, text);
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
