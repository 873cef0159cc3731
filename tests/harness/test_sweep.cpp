// Sweeps: config expansion, config errors that name file, line and key, checkpoint rows that
// equal separate runs, deterministic output, and failed runs that become rows.
#include <unistd.h>

#include <algorithm>
#include <boost/test/unit_test.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/results/columns.hpp"
#include "harness/results/output.hpp"
#include "harness/results/summary.hpp"
#include "harness/sweep/sweep.hpp"

using namespace specbench;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    static int counter = 0;
    path = fs::temp_directory_path() /
           ("specbench_sweep_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

std::string error_of(const fs::path& config) {
  try {
    load_sweep(config);
  } catch (const InvalidArgument& e) {
    return e.what();
  }
  return "";
}

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Drops the time_s column so that two runs can be compared exactly.
const std::size_t kTimeColumn = std::size_t(
    std::find(row_columns().begin(), row_columns().end(), "time_s") - row_columns().begin());

std::string without_time(const std::string& line) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    if (c == ',' && !quoted) {
      fields.push_back(field);
      field.clear();
    } else {
      field += c;
    }
  }
  fields.push_back(field);
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i)
    if (i != kTimeColumn) out += fields[i] + "|";
  return out;
}

const char* kConfig = R"(
[sweep]
seeds = 2
precisions = ["f64", "f32"]
iterations = [2, 5]

[[block]]
matrices = ["gaussian:m=20,n=12,seed=3", "spectrum:m=15,n=15,decay=gap,rate=0.5"]

[[block.estimators]]
name = "power"

[[block.estimators]]
name = "lanczos"
reorth = ["full", "none"]
steps = [3, 6, 9]

[[block.estimators]]
name = "rsvd"
oversampling = [2, 4]

[[block]]
matrices = ["gaussian:m=20,n=12,seed=3"]
seeds = [7]
[[block.estimators]]
name = "power"
tol = 1e-3
)";

}  // namespace

BOOST_AUTO_TEST_SUITE(sweep)

BOOST_AUTO_TEST_CASE(config_expands_to_the_cartesian_grid) {
  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("grid.toml", kConfig));
  BOOST_TEST(plan.name == "grid");
  BOOST_TEST(plan.matrices.size() == 2u);  // the repeated gaussian is generated once
  // Block 1: 2 matrices x 2 precisions x 2 seeds x (power 1 + lanczos 2 + rsvd 2 (oversampling)
  // x 2 (power_iters from `iterations`, not nested)) = 8 x 7 = 56 runs; block 2: 1 x 2 x 1 x 1.
  BOOST_TEST(plan.runs.size() == 56u + 2u);
  // Rows: power 2 checkpoints, lanczos 3 (its own list), rsvd 1 per run; block 2: 2 checkpoints.
  BOOST_TEST(plan.rows == 8u * (2 + 2 * 3 + 4 * 1) + 2u * 2);
  for (const auto& run : plan.runs) {
    if (run.estimator.info->name == "lanczos")
      BOOST_TEST((run.checkpoints == std::vector<int>{3, 6, 9}));
    if (run.estimator.info->name == "rsvd") BOOST_TEST(run.checkpoints.empty());
  }
  // Runs are grouped by matrix and precision (one reference each).
  std::set<std::pair<std::size_t, int>> seen;
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const auto key = std::make_pair(plan.runs[i].matrix, int(plan.runs[i].precision));
    if (i == 0 || key != std::make_pair(plan.runs[i - 1].matrix, int(plan.runs[i - 1].precision)))
      BOOST_TEST(seen.insert(key).second);
  }
}

BOOST_AUTO_TEST_CASE(config_errors_name_file_line_and_key) {
  TempDir dir;
  auto check = [&](const std::string& text, const std::string& expected) {
    const auto msg = error_of(dir.write("bad.toml", text));
    BOOST_TEST(msg.find(expected) != std::string::npos,
               "message: '" << msg << "' lacks '" << expected << "'");
  };
  check("[sweep]\nseedz = 3\n[[block]]\n", "bad.toml:2: key 'seedz': unknown key in [sweep]");
  check("[[block]]\nmatrices = [\"gaussian:m=4,n=4\"]\n[[block.estimators]]\nname = \"powr\"\n",
        "bad.toml:4: key 'name': unknown estimator 'powr'; accepted:");
  check(
      "[[block]]\nmatrices = [\"gaussian:m=4,n=4\"]\n[[block.estimators]]\nname = \"power\"\niters "
      "= \"x\"\n",
      "bad.toml:5: key 'iters': estimator 'power': parameter 'iters' = 'x' is not an integer");
  check("[[block]]\nmatrices = [\"gaussian:m=0,n=4\"]\n[[block.estimators]]\nname = \"power\"\n",
        "bad.toml:2: key 'matrices':");
  check("[sweep]\nprecisions = [\"f16\"]\n",
        "bad.toml:2: key 'precisions': unknown precision 'f16'");
  check("[sweep]\nseeds = 3\n", "needs at least one [[block]]");
  check("[sweep\nseeds = 3\n", "bad.toml:1:");  // TOML syntax error
  check("[[block]]\nmatrices = [\"gaussian:m=4,n=4\"]\n", "key 'estimators'");
}

BOOST_AUTO_TEST_CASE(checkpoint_rows_equal_separate_runs) {
  // One Lanczos run to 9 steps reports steps 3 and 6 bit-identically to runs of 3 and 6 steps.
  const MatrixSpec spec = parse_matrix_spec("gaussian:m=30,n=20,seed=4");
  for (Precision precision : {Precision::F64, Precision::F32}) {
    const Problem problem = make_problem(spec, make_matrix(spec), precision);
    for (const char* name : {"lanczos:reorth=none", "power"}) {
      const EstimatorChoice choice = parse_estimator_spec(name);
      const auto nested = run_estimator(problem, choice, 11, {3, 6, 9}).rows;
      BOOST_REQUIRE_EQUAL(nested.size(), 3u);
      for (const auto& row : nested) {
        const EstimatorChoice alone = parse_estimator_spec(row.estimator + ":" + row.params);
        const auto single = run_estimator(problem, alone, 11, {}).rows.at(0);
        BOOST_TEST(row.sigma == single.sigma);
        BOOST_TEST(row.u_cos_err == single.u_cos_err);
        BOOST_TEST(row.v_cos_err == single.v_cos_err);
        BOOST_TEST(row.matvecs == single.matvecs);
        BOOST_TEST(row.checkpoint == single.checkpoint);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(sweep_output_is_deterministic_and_complete) {
  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("grid.toml", kConfig));
  const auto a = run_sweep(plan, {.output = dir.path / "a", .quiet = true});
  const auto b = run_sweep(plan, {.output = dir.path / "b", .quiet = true});
  BOOST_TEST(a.rows == plan.rows);
  BOOST_TEST(a.errors == 0u);
  const auto la = lines_of(dir.path / "a" / "runs.csv"), lb = lines_of(dir.path / "b" / "runs.csv");
  BOOST_REQUIRE_EQUAL(la.size(), plan.rows + 1);
  BOOST_REQUIRE_EQUAL(lb.size(), la.size());
  for (std::size_t i = 0; i < la.size(); ++i)
    BOOST_TEST(without_time(la[i]) == without_time(lb[i]));
  std::ifstream meta(dir.path / "a" / "meta.json");
  std::stringstream text;
  text << meta.rdbuf();
  BOOST_TEST(text.str().find("\"status\": \"complete\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_failing_matrix_becomes_error_rows_and_the_sweep_goes_on) {
  TempDir dir;
  const auto mtx =
      dir.write("tiny.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 2.0\n");
  const auto config = dir.write("fail.toml", "[[block]]\nmatrices = [\"" + mtx.string() +
                                                 "\", \"gaussian:m=6,n=4\"]\n"
                                                 "[[block.estimators]]\nname = \"power\"\n");
  const SweepPlan plan = load_sweep(config);  // the file is valid now ...
  fs::remove(mtx);                            // ... and gone when the sweep reaches it
  const auto s = run_sweep(plan, {.output = dir.path / "out", .quiet = true});
  BOOST_TEST(s.rows == 2u);
  BOOST_TEST(s.errors == 1u);
  const auto lines = lines_of(dir.path / "out" / "runs.csv");
  BOOST_REQUIRE_EQUAL(lines.size(), 3u);
  BOOST_TEST(lines[1].find(",error,") != std::string::npos);
  BOOST_TEST(lines[1].find("cannot open") != std::string::npos);
  BOOST_TEST(lines[2].find(",max_iterations,") != std::string::npos);
}

// A failed cell with checkpoints writes exactly its planned rows (one error row per checkpoint,
// each with that checkpoint's parameters), so a resume keeps it instead of rerunning it.
BOOST_AUTO_TEST_CASE(a_failed_cell_writes_its_planned_rows_and_is_not_rerun) {
  TempDir dir;
  const auto mtx =
      dir.write("tiny.mtx", "%%MatrixMarket matrix coordinate real general\n2 2 1\n1 1 2.0\n");
  const auto config =
      dir.write("fail.toml", "[sweep]\niterations = [1, 3, 9]\n[[block]]\nmatrices = [\"" +
                                 mtx.string() + "\"]\n[[block.estimators]]\nname = \"power\"\n");
  const SweepPlan plan = load_sweep(config);
  fs::remove(mtx);
  const auto s = run_sweep(plan, {.output = dir.path / "out", .quiet = true});
  BOOST_TEST(s.rows == 3u);
  BOOST_TEST(s.errors == 3u);
  const auto lines = lines_of(dir.path / "out" / "runs.csv");
  BOOST_REQUIRE_EQUAL(lines.size(), 4u);
  for (int k = 0; k < 3; ++k) {
    const std::string c = std::to_string(k == 0 ? 1 : k == 1 ? 3 : 9);
    BOOST_TEST(lines[std::size_t(k) + 1].find("\"iters=" + c + ",") != std::string::npos,
               lines[std::size_t(k) + 1]);
    BOOST_TEST(lines[std::size_t(k) + 1].find(",error,") != std::string::npos);
  }
  const ResumeState state = inspect_output(plan, dir.path / "out");
  BOOST_TEST(state.done_cells == 1u);
  BOOST_TEST(state.dropped_rows == 0u);
}

/// The plan of a config as --dry-run prints it (every cell to do), and its estimator work in
/// flops from the "work: ~X Gflop" line.
std::string dry_run_text(const std::string& config) {
  const SweepPlan plan = load_sweep(config);
  ResumeState state;
  state.done.assign(plan.runs.size(), 0);
  std::ostringstream out;
  describe_plan(plan, state, {}, out);
  return out.str();
}
double dry_run_flops(const std::string& text) {
  const auto at = text.find("work: ~");
  BOOST_REQUIRE(at != std::string::npos);
  return std::stod(text.substr(at + 7)) * 1e9;
}

// The dry-run work estimate counts each estimator's products as its registry says: power 2 per
// iteration, rsvd (2 q + 2)(rank + oversampling); 2 m n flops each.
BOOST_AUTO_TEST_CASE(dry_run_work_follows_the_registry) {
  TempDir dir;
  auto estimate = [&](int iterations, const std::string& estimator) {
    return dry_run_flops(dry_run_text(dir.write(
        "w.toml", "[[block]]\nmatrices = [\"gaussian:m=100,n=50\"]\niterations = [" +
                      std::to_string(iterations) + "]\n[[block.estimators]]\n" + estimator)));
  };
  const double mn2 = 2.0 * 100 * 50;
  BOOST_TEST(estimate(7, "name = \"power\"\n") == mn2 * 2 * 7, boost::test_tools::tolerance(1e-2));
  BOOST_TEST(estimate(4, "name = \"rsvd\"\nrank = 2\noversampling = 3\n") == mn2 * (2 * 4 + 2) * 5,
             boost::test_tools::tolerance(1e-2));
}

// A sparse family's products cost 2 flops per entry (laplace2d:n=30: 5 N^2 - 4 N = 4380
// entries), and its reference is counted, not estimated (its cost is the Cholesky fill's).
BOOST_AUTO_TEST_CASE(dry_run_work_of_a_sparse_family_counts_its_entries) {
  TempDir dir;
  const std::string text =
      dry_run_text(dir.write("s.toml",
                             "[[block]]\nmatrices = [\"laplace2d:n=30\"]\niterations = [7]\n"
                             "[[block.estimators]]\nname = \"power\"\n"));
  BOOST_TEST(dry_run_flops(text) == 2.0 * 4380 * 2 * 7, boost::test_tools::tolerance(1e-2));
  BOOST_TEST(text.find("plus 1 sparse reference(s)") != std::string::npos, text);
}

// Matrix Market files with few nonzeros run on sparse storage, generated families on dense; the
// row says which, and the estimate equals the dense one to rounding (8 max(m, n) eps, twice).
BOOST_AUTO_TEST_CASE(sparse_files_run_sparse_and_agree_with_dense) {
  const auto spec = parse_matrix_spec(std::string(SPECBENCH_MATRICES_DIR) + "/lp_afiro.mtx");
  const auto a = make_matrix(spec);
  const Problem sparse = make_problem(spec, a, Precision::F64);
  BOOST_TEST((sparse.storage == Storage::Sparse));
  Problem dense = sparse;
  dense.storage = Storage::Dense;
  const auto choice = parse_estimator_spec("lanczos:steps=27");
  const auto rs = run_estimator(sparse, choice, 1, {}).rows.front();
  const auto rd = run_estimator(dense, choice, 1, {}).rows.front();
  BOOST_TEST(rs.storage == "sparse");
  BOOST_TEST(rd.storage == "dense");
  BOOST_TEST(std::abs(rs.sigma - rd.sigma) <= 2 * 8 * 51 * 2.2e-16 * rd.sigma);
  const auto generated = parse_matrix_spec("gaussian:m=20,n=10");
  BOOST_TEST(
      (make_problem(generated, make_matrix(generated), Precision::F32).storage == Storage::Dense));
}

// The drift update: ||W_{t+1} - W_t||_F = eta ||W_t||_F (to rounding: a few n eps relative).
BOOST_AUTO_TEST_CASE(drift_step_has_the_requested_relative_size) {
  auto w = make_matrix(parse_matrix_spec("gaussian:m=30,n=20,seed=1"));
  const auto before = w;
  Rng rng(4);
  drift_step(w, 0.05, rng);
  double diff = 0, norm = 0;
  for (std::size_t k = 0; k < w.values().size(); ++k) {
    diff += std::pow(w.values()[k] - before.values()[k], 2);
    norm += std::pow(before.values()[k], 2);
  }
  BOOST_TEST(std::abs(std::sqrt(diff / norm) - 0.05) <= 1e-12);
}

// A drift sweep: one row per step with the step column; warm-started power iteration (one
// iteration per step, as torch runs) tracks sigma1 better than a cold start from the same seed
// every step, which never gets past one iteration's accuracy; torch_power, which always keeps u,
// tracks it too. Same seeds, same matrices: the comparison is paired.
BOOST_AUTO_TEST_CASE(drift_warm_start_tracks_sigma1_better_than_cold) {
  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("drift.toml", R"(
[sweep]
seeds = [0, 1]
[[block]]
matrices = ["linear:in=128,out=64,seed=3"]
drift = { steps = 30, eta = 0.02, seed = 1 }
[[block.estimators]]
name = "power"
iters = 1
warm = ["false", "true"]
[[block.estimators]]
name = "torch_power"
)"));
  BOOST_TEST(plan.rows == 3u * 2u * 31u);
  const auto summary = run_sweep(plan, {.output = dir.path / "out", .quiet = true});
  BOOST_TEST(summary.rows == plan.rows);
  BOOST_TEST(summary.errors == 0u);
  const CsvTable runs = read_csv(dir.path / "out" / "runs.csv");
  std::map<std::string, double> late_error;  // mean rel_err over steps 15..30, per params
  std::set<int> steps;
  for (const auto& f : runs.rows) {
    const int step = std::stoi(f[runs.column("step")]);
    steps.insert(step);
    if (step >= 15)
      late_error[f[runs.column("params")]] += std::stod(f[runs.column("rel_err")]) / 16 / 2;
  }
  BOOST_TEST(steps.size() == 31u);
  const double cold = late_error["iters=1,tol=0,warm=false"];
  const double warm = late_error["iters=1,tol=0,warm=true"];
  const double torch = late_error["iters=1,eps=1e-12,order=hook"];
  BOOST_TEST_MESSAGE("mean rel_err, steps 15..30: cold " << cold << ", warm " << warm
                                                         << ", torch_power " << torch);
  BOOST_TEST(cold > 0.1);  // one iteration from scratch on a 64 x 128 init: ~0.25
  BOOST_TEST(warm < cold / 3);
  BOOST_TEST(torch < cold / 3);
}

BOOST_AUTO_TEST_CASE(drift_config_errors_name_the_key) {
  TempDir dir;
  auto config = [&](const std::string& drift) {
    return dir.write("d.toml", "[[block]]\nmatrices = [\"gaussian:m=4,n=3\"]\ndrift = " + drift +
                                   "\n[[block.estimators]]\nname = \"power\"\n");
  };
  BOOST_TEST(error_of(config("{ steps = 0, eta = 0.1 }")).find("steps") != std::string::npos);
  BOOST_TEST(error_of(config("{ steps = 3 }")).find("eta") != std::string::npos);
  BOOST_TEST(error_of(config("{ steps = 3, eta = -1 }")).find("eta") != std::string::npos);
  BOOST_TEST(error_of(config("{ steps = 3, eta = 0.1, speed = 2 }")).find("speed") !=
             std::string::npos);
  BOOST_TEST(error_of(config("5")).find("drift") != std::string::npos);
}

/// runs.csv rows without the timing columns, sorted: the accuracy content of a sweep.
std::vector<std::string> accuracy_rows(const fs::path& runs) {
  const CsvTable t = read_csv(runs);
  const std::size_t time = t.column("time_s"), spread = t.column("time_spread");
  std::vector<std::string> out;
  for (const auto& row : t.rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      if (c != time && c != spread) line += row[c] + "|";
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// --jobs 1, --jobs 2 and two shards merged give the same accuracy columns, bit for bit.
BOOST_AUTO_TEST_CASE(jobs_and_shards_do_not_change_results) {
  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("grid.toml", kConfig));
  run_sweep(plan, {.output = dir.path / "j1", .quiet = true, .jobs = 1});
  run_sweep(plan, {.output = dir.path / "j2", .quiet = true, .jobs = 2});
  run_sweep(plan, {.output = dir.path / "s1", .quiet = true, .jobs = 2, .shard = 1, .shards = 2});
  run_sweep(plan, {.output = dir.path / "s2", .quiet = true, .jobs = 1, .shard = 2, .shards = 2});
  merge_outputs({dir.path / "s1", dir.path / "s2"}, dir.path / "merged");
  const auto a = accuracy_rows(dir.path / "j1" / "runs.csv");
  BOOST_TEST(a.size() == plan.rows);
  BOOST_TEST((a == accuracy_rows(dir.path / "j2" / "runs.csv")));
  BOOST_TEST((a == accuracy_rows(dir.path / "merged" / "runs.csv")));
  BOOST_TEST(accuracy_rows(dir.path / "s1" / "runs.csv").size() < a.size());
  BOOST_TEST(fs::exists(dir.path / "merged" / "summary.csv"));
}

// Resume: a second run skips every finished cell; a run with an incomplete cell (rows cut) and a
// torn last line redoes just that cell; a changed config is refused; --fresh starts over.
BOOST_AUTO_TEST_CASE(resume_skips_finished_cells_and_refuses_a_changed_config) {
  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("grid.toml", kConfig));
  const auto out = dir.path / "out";
  run_sweep(plan, {.output = out, .quiet = true});
  const auto full = accuracy_rows(out / "runs.csv");
  const auto state = inspect_output(plan, out);
  BOOST_TEST(state.done_cells == plan.runs.size());

  // Cut the file: drop the last two lines and leave half of a third (a torn write).
  std::vector<std::string> lines = lines_of(out / "runs.csv");
  {
    std::ofstream f(out / "runs.csv", std::ios::trunc);
    for (std::size_t k = 0; k + 3 < lines.size(); ++k) f << lines[k] << "\n";
    f << lines[lines.size() - 3].substr(0, 10);
  }
  const auto cut = inspect_output(plan, out);
  BOOST_TEST(cut.torn);
  BOOST_TEST(cut.done_cells < plan.runs.size());
  run_sweep(plan, {.output = out, .quiet = true});
  BOOST_TEST((accuracy_rows(out / "runs.csv") == full));  // complete, no duplicates
  // summary.csv, computed from the kept and the new rows in memory, is that of runs.csv.
  BOOST_TEST(read_text(out / "summary.csv") ==
             summary_csv(read_runs(out / "runs.csv").rows, plan.tolerances));

  // The same config (by name), edited: extending it resumes; dropping cells is refused,
  // explaining why.
  const SweepPlan more = load_sweep(dir.write("grid.toml", std::string(kConfig) + R"(
[[block]]
matrices = ["gaussian:m=9,n=9"]
[[block.estimators]]
name = "power"
)"));
  BOOST_TEST(inspect_output(more, out).done_cells > 0);  // extending a config resumes fine
  const std::string fewer_text = R"(
[[block]]
matrices = ["gaussian:m=9,n=9"]
[[block.estimators]]
name = "power"
)";
  const SweepPlan fewer = load_sweep(dir.write("grid.toml", fewer_text));
  auto refusal = [&](const SweepPlan& p, const std::string& expected) {
    std::string why;
    try {
      run_sweep(p, {.output = out, .quiet = true});
    } catch (const InvalidArgument& e) {
      why = e.what();
    }
    BOOST_TEST(why.find(expected) != std::string::npos, why);
    BOOST_TEST(why.find("--fresh") != std::string::npos, why);
  };
  refusal(fewer, "the config, a matrix file it names or a plug-in's code changed");
  // Another config's folder: refused unless --fresh, which removes every previous output.
  const SweepPlan other = load_sweep(dir.write("other.toml", fewer_text));
  refusal(other, "holds a run of config 'grid'");
  write_file_atomic(out / "compare.md", "stale\n");
  run_sweep(other, {.output = out, .quiet = true, .fresh = true});
  BOOST_TEST(accuracy_rows(out / "runs.csv").size() == other.rows);
  BOOST_TEST(!fs::exists(out / "compare.md"));
}

// The 95% Clopper-Pearson interval: closed forms at the ends, (0, 1 - 0.025^(1/n)) for k = 0
// and (0.025^(1/n), 1) for k = n, and the summary's failure fractions.
BOOST_AUTO_TEST_CASE(summary_failure_probabilities) {
  auto [lo0, hi0] = clopper_pearson(0, 10);
  BOOST_TEST(lo0 == 0.0);
  BOOST_TEST(std::abs(hi0 - (1 - std::pow(0.025, 0.1))) <= 1e-12);
  auto [lo1, hi1] = clopper_pearson(10, 10);
  BOOST_TEST(std::abs(lo1 - std::pow(0.025, 0.1)) <= 1e-12);
  BOOST_TEST(hi1 == 1.0);
  auto [lo, hi] = clopper_pearson(5, 10);  // symmetric around 1/2; R's binom.test: 0.187, 0.813
  BOOST_TEST(std::abs(lo + hi - 1) <= 1e-12);
  BOOST_TEST(std::abs(lo - 0.18708602) <= 1e-6);

  TempDir dir;
  const SweepPlan plan = load_sweep(dir.write("grid.toml", kConfig));
  run_sweep(plan, {.output = dir.path / "out", .quiet = true});
  const CsvTable runs = read_csv(dir.path / "out" / "runs.csv");
  const CsvTable summary = read_csv(dir.path / "out" / "summary.csv");
  BOOST_REQUIRE(summary.column("fail_0.01") != std::string::npos);
  std::size_t total = 0;
  for (const auto& row : summary.rows) {
    const std::size_t n = std::stoul(row[summary.column("rows")]);
    total += n;
    const double fail = std::stod(row[summary.column("fail_0.01")]);
    const double flo = std::stod(row[summary.column("fail_0.01_lo")]);
    const double fhi = std::stod(row[summary.column("fail_0.01_hi")]);
    BOOST_TEST(flo <= fail);
    BOOST_TEST(fail <= fhi);
    const double med = std::stod(row[summary.column("rel_err_median")]);
    BOOST_TEST(std::stod(row[summary.column("rel_err_p10")]) <= med);
    BOOST_TEST(med <= std::stod(row[summary.column("rel_err_p90")]));
    BOOST_TEST(std::stod(row[summary.column("rel_err_p90")]) <=
               std::stod(row[summary.column("rel_err_max")]));
  }
  BOOST_TEST(total == runs.rows.size());  // every row in exactly one group
}

BOOST_AUTO_TEST_SUITE_END()
