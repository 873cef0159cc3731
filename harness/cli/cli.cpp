#include "harness/cli/cli.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <limits>
#include <sstream>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "harness/build_info.hpp"
#include "harness/experiment/experiment.hpp"
#include "harness/locate.hpp"
#include "harness/provenance.hpp"
#include "harness/regression/compare.hpp"
#include "harness/regression/history.hpp"
#include "harness/results/output.hpp"
#include "harness/sweep/sweep.hpp"
#include "harness/theory/check.hpp"
#include "harness/workloads/matrices.hpp"
#include "harness/workloads/mtx.hpp"

namespace specbench {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitBadInput = 2;

std::string pad(std::string s, std::size_t width) {
  // At least two spaces, so a long value never runs into the next column.
  s.append(s.size() + 2 <= width ? width - s.size() : 2, ' ');
  return s;
}

std::string param_type_text(const ParamSpec& p) {
  std::ostringstream out;
  if (p.type == ParamType::Choice) {
    for (std::size_t i = 0; i < p.choices.size(); ++i) out << (i ? "|" : "") << p.choices[i];
  } else {
    out << to_string(p.type);
    if (std::isfinite(p.min)) out << " >= " << p.min;
    if (std::isfinite(p.max)) out << ", <= " << p.max;
  }
  return out.str();
}

void print_schema(std::ostream& out, const ParamSchema& schema) {
  for (const auto& p : schema.specs()) {
    out << "      " << pad(p.name, 14) << pad(param_type_text(p), 22)
        << pad(p.required ? "required" : "default " + p.default_value, 18) << p.help << "\n";
  }
}

int cmd_list(const std::string& format) {
  const auto estimators = EstimatorRegistry::instance().all();
  const auto families = MatrixFamilyRegistry::instance().all();
  if (format == "json") {
    nlohmann::json j = {{"estimators", nlohmann::json::array()},
                        {"matrix_families", nlohmann::json::array()}};
    for (const auto* e : estimators) j["estimators"].push_back(estimator_json(*e));
    for (const auto* f : families)
      j["matrix_families"].push_back(
          {{"name", f->name}, {"summary", f->summary}, {"params", schema_json(f->schema)}});
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "Estimators (--estimator NAME[:key=value,...]):\n";
  for (const auto* e : estimators) {
    std::cout << "\n  " << pad(e->name, 10) << e->summary << "\n";
    print_schema(std::cout, e->schema);
    if (!e->iteration_param.empty())
      std::cout << "      iterations set '" << e->iteration_param << "'"
                << (e->nested ? "; checkpoints come from one run (nested iterates)"
                              : "; one run per value (iterates are not nested)")
                << "\n";
  }
  std::cout << "\nMatrix families (--matrix FAMILY:key=value,... or a path ending in .mtx):\n";
  for (const auto* f : families) {
    std::cout << "\n  " << pad(f->name, 10) << f->summary << "\n";
    print_schema(std::cout, f->schema);
  }
  return 0;
}

/// A seed: an integer in 0 .. 2^63 - 1 (what a TOML config can hold, so that every seed a
/// sweep can name can also be given here); anything else is bad input, never wrapped or clamped.
std::uint64_t parse_seed(const std::string& text, std::string_view what) {
  std::int64_t value = -1;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  SPECBENCH_REQUIRE(
      !text.empty() && ec == std::errc() && ptr == text.data() + text.size() && value >= 0, what,
      ": expected an integer in 0..", std::numeric_limits<std::int64_t>::max(), ", got '", text,
      "'");
  return std::uint64_t(value);
}

struct EstimateArgs {
  std::string matrix, estimator = "power", precision = "f64", format = "text", start;
  std::string seed = "0";
  bool vectors = false;
  int threads = 1;
};

int cmd_estimate(const EstimateArgs& args) {
  const MatrixSpec spec = parse_matrix_spec(args.matrix);
  const EstimatorChoice choice = parse_estimator_spec(args.estimator);
  const Precision precision = parse_precision(args.precision);
  const std::uint64_t seed = parse_seed(args.seed, "--seed");
  const Problem problem = make_problem(spec, make_matrix(spec), precision);
  std::vector<double> start_u;
  if (!args.start.empty()) {
    const DenseMatrix<double> s = read_matrix_market(args.start);
    SPECBENCH_REQUIRE(s.cols() == 1, "--start ", args.start,
                      ": expected the initial u as an m x 1 Matrix Market array, got ", s.rows(),
                      " x ", s.cols());
    start_u.assign(s.values().begin(), s.values().end());
  }
  const RunOutput run =
      run_estimator(problem, choice, seed, {}, args.vectors, start_u, {}, args.threads);
  const Row& row = run.rows.front();
  if (args.format == "json") {
    nlohmann::json j = row_to_json(row);
    nlohmann::json history = nlohmann::json::array();
    for (const auto& h : run.history)
      history.push_back({{"iteration", h.iteration}, {"sigma", h.sigma}, {"matvecs", h.products}});
    j["history"] = history;
    j["ref_method"] = problem.ref.method;
    j["provenance"] = provenance();
    std::cout << j.dump(2) << "\n";
  } else {
    auto line = [](std::string_view key, const std::string& value) {
      std::cout << pad(std::string(key), 17) << value << "\n";
    };
    line("estimator", row.estimator + " (" + row.params + ")");
    line("matrix", row.matrix + " (" + std::to_string(row.m) + " x " + std::to_string(row.n) +
                       ", " + row.precision + ")");
    line("seed", std::to_string(row.seed));
    line("sigma", format_double(row.sigma));
    line("sigma_ref", format_double(row.sigma_ref) + " (bound " + format_double(row.ref_bound) +
                          ", " + problem.ref.method + ")");
    line("rel_err", format_double(row.rel_err));
    line("u_cos_err", format_double(row.u_cos_err));
    line("v_cos_err", format_double(row.v_cos_err));
    line("residual", format_double(row.residual));
    line("normalized_norm", format_double(row.normalized_norm));
    line("iterations", std::to_string(row.iterations));
    line("matvecs", std::to_string(row.matvecs));
    line("time_s", format_double(row.time_s));
    line("status",
         std::string(to_string(row.status)) + (row.message.empty() ? "" : ": " + row.message));
  }
  return row.status == RunStatus::Error ? kExitFailure : 0;
}

struct ReferenceArgs {
  std::string matrix, precision = "f64", format = "text";
  bool vectors = false;
};

int cmd_reference(const ReferenceArgs& args) {
  const MatrixSpec spec = parse_matrix_spec(args.matrix);
  const Problem p = make_problem(spec, make_matrix(spec), parse_precision(args.precision));
  nlohmann::json j = reference_to_json(p);
  if (args.vectors) {  // exact doubles (JSON numbers round-trip), column-major bases
    j["u1"] = p.ref.u1;
    j["v1"] = p.ref.v1;
    if (p.ref.cluster_size > 1) {
      j["u_cluster"] = p.ref.u_cluster;
      j["v_cluster"] = p.ref.v_cluster;
    }
  }
  if (args.format == "json") {
    j["provenance"] = provenance();
    std::cout << j.dump(2) << "\n";
  } else {
    for (const auto& [key, value] : j.items())
      std::cout << pad(key, 19) << (value.is_string() ? value.get<std::string>() : value.dump())
                << "\n";
  }
  return 0;
}

struct RunArgs {
  std::string config, out, explain, shard = "1/1";
  bool quiet = false, fresh = false, dry_run = false;
  int jobs = 0, threads = 1;
};

/// "K/N" with 1 <= K <= N.
std::pair<int, int> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  int k = 0, n = 0;
  try {
    if (slash == std::string::npos) throw std::invalid_argument("");
    std::size_t used = 0;
    k = std::stoi(text.substr(0, slash), &used);
    if (used != slash) throw std::invalid_argument("");
    n = std::stoi(text.substr(slash + 1), &used);
    if (used != text.size() - slash - 1) throw std::invalid_argument("");
  } catch (const std::exception&) {
    throw InvalidArgument("--shard: expected K/N (e.g. 2/8), got '" + text + "'");
  }
  SPECBENCH_REQUIRE(n >= 1 && k >= 1 && k <= n, "--shard: need 1 <= K <= N, got '", text, "'");
  return {k, n};
}

int cmd_run(const RunArgs& args) {
  const SweepPlan plan = load_sweep(args.config);
  SweepOptions options;
  options.output = args.out.empty() ? plan.output : std::filesystem::path(args.out);
  options.quiet = args.quiet;
  options.fresh = args.fresh;
  const int cores = int(std::max(1u, std::thread::hardware_concurrency()));
  options.threads = args.threads;  // 1..1024: checked by CLI11
  options.jobs = args.jobs > 0 ? args.jobs : std::max(1, cores / args.threads);
  std::tie(options.shard, options.shards) = parse_shard(args.shard);
  if (!args.explain.empty()) {
    explain_cell(plan, args.explain, std::cout);
    return 0;
  }
  if (args.dry_run) {
    ResumeState state;
    state.done.assign(plan.runs.size(), 0);
    if (!args.fresh) state = inspect_output(plan, options.output);
    describe_plan(plan, state, options, std::cout);
    return 0;
  }
  if (!args.quiet)
    std::cerr << "sweep '" << plan.name << "': " << plan.matrices.size() << " matrices, "
              << plan.runs.size() << " cells, " << plan.rows << " rows, " << options.jobs
              << " job(s)"
              << (options.threads > 1 ? " x " + std::to_string(options.threads) + " threads" : "")
              << (options.shards > 1 ? ", shard " + args.shard : "") << "\n";
  if (!args.quiet && options.jobs * options.threads > cores)
    std::cerr << "note: --jobs " << options.jobs << " x --threads " << options.threads
              << " exceeds the " << cores << " cores; the times will include the contention\n";
  const SweepSummary s = run_sweep(plan, options);
  std::cerr << "wrote " << s.rows << " rows to " << (s.output / "runs.csv").string() << " and "
            << (s.output / "meta.json").string() << " in " << std::fixed << std::setprecision(2)
            << s.seconds << " s";
  if (s.errors) std::cerr << "; " << s.errors << " rows have status 'error' (see their message)";
  std::cerr << "\n";
  return s.errors ? kExitFailure : 0;
}

/// Runs /usr/bin/python3 scripts/NAME with `args` (no shell: arguments are passed as they are);
/// returns its exit code.
int run_script(const std::string& name, const std::vector<std::string>& args) {
  const std::string script = (source_dir() / "scripts" / name).string();
  const char* python = "/usr/bin/python3";  // Debian's, with matplotlib (see the README)
  SPECBENCH_REQUIRE(std::filesystem::exists(python), python,
                    " not found: install python3-matplotlib (scripts/setup.sh)");
  std::vector<std::string> argv_s = {python, script};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::cout.flush();
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::execv(python, argv.data());
    std::perror("specbench: exec /usr/bin/python3");
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : kExitFailure;
}

struct MergeArgs {
  std::vector<std::string> inputs;
  std::string out;
  bool partial = false;
};

int cmd_merge(const MergeArgs& args) {
  std::vector<std::filesystem::path> inputs(args.inputs.begin(), args.inputs.end());
  const SweepSummary s = merge_outputs(inputs, args.out, args.partial);
  std::cerr << "merged " << inputs.size() << " outputs: " << s.rows << " rows to "
            << (s.output / "runs.csv").string() << ", summary.csv and meta.json\n";
  return s.errors ? kExitFailure : 0;
}

}  // namespace

int cli_main(int argc, char** argv) {
  // Single-threaded BLAS: bit-identical results whatever the machine (see provenance.hpp).
  set_blas_threads(1);

  CLI::App app{
      "specbench: numerical verification and benchmarking of spectral-norm estimators.\n"
      "Exit codes: 0 success, 1 failure, 2 bad input."};
  app.set_version_flag("--version", std::string("specbench ") + build_info::kVersion + " (" +
                                        build_info::kGitCommit + ")");
  app.require_subcommand(1);
  const std::vector<std::string> formats = {"text", "json"};

  std::string list_format = "text";
  auto* list = app.add_subcommand(
      "list", "List estimators (parameters, defaults, help) and matrix families");
  list->add_option("--format", list_format, "Output format")->check(CLI::IsMember(formats));

  EstimateArgs est;
  auto* estimate = app.add_subcommand(
      "estimate", "Run one estimator on one matrix and score it against the reference");
  estimate
      ->add_option("--matrix,-m", est.matrix,
                   "Matrix spec: FAMILY:key=value,... or PATH.mtx (see `specbench list`)")
      ->required();
  estimate
      ->add_option("--estimator,-e", est.estimator,
                   "Estimator: NAME[:key=value,...] (see `specbench list`)")
      ->capture_default_str();
  estimate->add_option("--precision,-p", est.precision, "Working precision: f32 or f64")
      ->capture_default_str();
  estimate
      ->add_option("--seed,-s", est.seed,
                   "Seed of the estimator's random numbers, 0..9223372036854775807")
      ->capture_default_str();
  estimate->add_option("--format", est.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  estimate->add_flag("--vectors", est.vectors, "Include the final u and v in JSON output");
  estimate->add_option(
      "--start", est.start,
      "Initial u as an m x 1 Matrix Market file (a layer's weight_u; torch_power)");
  estimate
      ->add_option("--threads,-t", est.threads,
                   "Threads of the fused dense Gram kernel (power, lanczos:process=gram) and of "
                   "the sparse products; results are bit-identical for any value")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();

  ReferenceArgs ref;
  auto* reference = app.add_subcommand(
      "reference", "Compute the reference sigma1, sigma2 and error bound of a matrix");
  reference->add_option("--matrix,-m", ref.matrix, "Matrix spec: FAMILY:key=value,... or PATH.mtx")
      ->required();
  reference
      ->add_option("--precision,-p", ref.precision,
                   "Reference of the matrix rounded to f32, or f64")
      ->capture_default_str();
  reference->add_option("--format", ref.format, "Output format")
      ->check(CLI::IsMember(formats))
      ->capture_default_str();
  reference->add_flag("--vectors", ref.vectors,
                      "Also print u1 and v1 (and, for a cluster, its bases u_cluster and "
                      "v_cluster, column-major m x c and n x c)");

  RunArgs run;
  auto* run_cmd = app.add_subcommand(
      "run", "Run a sweep from a TOML config; writes runs.csv, summary.csv and meta.json");
  run_cmd->add_option("config", run.config, "Sweep config (TOML), e.g. configs/default.toml")
      ->required();
  run_cmd->add_option("--out,-o", run.out,
                      "Output directory (default: [sweep] output, relative to the config's folder, "
                      "else results/CONFIG_NAME)");
  run_cmd->add_flag("--quiet,-q", run.quiet, "No progress messages");
  run_cmd->add_option("--jobs,-j", run.jobs, "Parallel cells (default: cores / --threads)")
      ->check(CLI::Range(1, 1024));
  run_cmd
      ->add_option("--threads,-t", run.threads,
                   "Kernel threads inside each cell, as estimate --threads (results are "
                   "bit-identical for any value; with --jobs 1, times use the whole machine)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  run_cmd->add_flag("--fresh", run.fresh,
                    "Start over: replace existing results instead of resuming them");
  run_cmd->add_flag("--dry-run", run.dry_run,
                    "List the cells, how many are done, and the work; run nothing");
  run_cmd->add_option("--explain", run.explain,
                      "Print the `specbench estimate` commands that reproduce a cell's rows");
  run_cmd->add_option("--shard", run.shard,
                      "Run the K-th of N deterministic slices of the cells (K/N, e.g. 2/8)");

  std::string plot_dir, plot_out, plot_formats = "png,pdf";
  auto* plot_cmd = app.add_subcommand(
      "plot", "Paper figures and index.html from a result directory (scripts/plot.py)");
  plot_cmd->add_option("results", plot_dir, "Result directory (runs.csv, summary.csv)")->required();
  plot_cmd->add_option("--out,-o", plot_out, "Output directory (default RESULTS/figures)");
  plot_cmd->add_option("--formats", plot_formats, "Comma-separated: png, pdf, svg, eps")
      ->capture_default_str();

  std::string table_dir, table_metric = "rel_err";
  bool table_latex = false, table_markdown = false;
  auto* table_cmd = app.add_subcommand(
      "table", "A table of summary.csv: booktabs LaTeX (--latex) or Markdown (scripts/table.py)");
  table_cmd->add_option("results", table_dir, "Result directory (summary.csv)")->required();
  table_cmd->add_flag("--latex", table_latex, "booktabs LaTeX (the default)");
  table_cmd->add_flag("--markdown", table_markdown, "Markdown");
  table_cmd
      ->add_option("--metric", table_metric, "rel_err, u_cos_err, v_cos_err or normalized_norm")
      ->capture_default_str();

  std::string cmp_base, cmp_cur;
  CompareOptions cmp;
  auto* compare_cmd =
      app.add_subcommand("compare",
                         "Regressions between a baseline and a current result set (exit 0 pass, 1 "
                         "regression, 3 inconclusive, 2 usage or harness error)");
  compare_cmd
      ->add_option("baseline", cmp_base, "Baseline: sweep output directory or benchmark JSON")
      ->required();
  compare_cmd->add_option("current", cmp_cur, "Current: the same kind")->required();
  compare_cmd->add_option("--format", cmp.format, "text, markdown or json")->capture_default_str();
  compare_cmd
      ->add_option("--ulps", cmp.ulps,
                   "Smallest accuracy tolerance, in ulps of the value (the rounding-noise rules "
                   "allow more where theory says a change of rounding order can cause more)")
      ->capture_default_str();
  compare_cmd->add_flag("--exact", cmp.exact,
                        "Bit-for-bit: any change of an accuracy column fails (same machine, "
                        "same BLAS)");
  compare_cmd
      ->add_option("--timing", cmp.timing,
                   "auto: judge timings only if CPU, cores, BLAS library and kernel and "
                   "--threads agree; always; never. Contended timings are never judged")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  compare_cmd->add_option("--p-value", cmp.p_value, "Mann-Whitney significance level")
      ->capture_default_str();
  compare_cmd
      ->add_option("--min-ratio", cmp.min_ratio,
                   "A slowdown must exceed max(min-ratio, cv-factor * CV of the baseline)")
      ->capture_default_str();
  compare_cmd->add_option("--cv-factor", cmp.cv_factor, "See --min-ratio")->capture_default_str();
  compare_cmd
      ->add_option("--global-ratio", cmp.global_ratio,
                   "A uniform slowdown above 1 + this (all cells) is a regression")
      ->capture_default_str();
  compare_cmd
      ->add_option("--noise", cmp.noise,
                   "IQR/median above this on either side makes a large slowdown INCONCLUSIVE")
      ->capture_default_str();
  compare_cmd
      ->add_option("--min-time", cmp.min_time,
                   "Cells faster than this (seconds, baseline median) get no timing verdict of "
                   "their own, only within their estimator")
      ->capture_default_str();
  compare_cmd
      ->add_option("--estimator-ratio", cmp.estimator_ratio,
                   "A median slowdown over an estimator's cells above 1 + this (sign test "
                   "p < 0.01) is a regression")
      ->capture_default_str();

  std::string rec_dir, rec_db = "results/history.sqlite";
  auto* record_cmd = app.add_subcommand(
      "record", "Store a finished run (provenance, summary rows) in the SQLite history");
  record_cmd->add_option("results", rec_dir, "Result directory (meta.json, summary.csv)")
      ->required();
  record_cmd->add_option("--db", rec_db, "History database")->capture_default_str();

  std::string hist_db = "results/history.sqlite";
  HistoryOptions hist;
  auto* history_cmd = app.add_subcommand(
      "history", "Trend of a summary metric over recorded runs, with persistent steps flagged");
  history_cmd->add_option("--db", hist_db, "History database")->capture_default_str();
  history_cmd->add_option("--metric", hist.metric, "A summary.csv column")->capture_default_str();
  history_cmd->add_option(
      "--cell", hist.filter,
      "Only keys (estimator|params|family|size|precision|step) containing this");
  history_cmd->add_option("--threshold", hist.threshold, "Relative change that counts as a step")
      ->capture_default_str();
  history_cmd->add_option("--persist", hist.persist, "Runs that must stay at the new level")
      ->capture_default_str();

  std::string exp_matrix, exp_out, exp_precision = "f64";
  auto* export_cmd = app.add_subcommand(
      "export", "Write a matrix spec's matrix to a file for other tools (.npy or .mtx)");
  export_cmd->add_option("--matrix,-m", exp_matrix, "Matrix spec")->required();
  export_cmd->add_option("--out,-o", exp_out, "Output file: .npy (NumPy) or .mtx (Matrix Market)")
      ->required();
  export_cmd->add_option("--precision,-p", exp_precision, "f64, or f32 (rounded to float)")
      ->capture_default_str();

  std::string check_config;
  auto* check_cmd = app.add_subcommand(
      "check", "Reproduce published convergence results trial by trial (PASS/FAIL per check)");
  check_cmd->add_option("config", check_config,
                        "Checks to run (TOML); default: configs/theory.toml of this specbench's "
                        "source tree, from any working directory");

  MergeArgs merge;
  auto* merge_cmd = app.add_subcommand(
      "merge", "Combine the outputs of shards (same config and code) into one result set");
  merge_cmd->add_option("dirs", merge.inputs, "Output directories of the shards")->required();
  merge_cmd->add_option("--out,-o", merge.out, "Output directory")->required();
  merge_cmd->add_flag("--partial", merge.partial,
                      "Accept inputs that do not cover every planned cell (status 'partial')");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : kExitBadInput;
  }

  try {
    if (*list) return cmd_list(list_format);
    if (*merge_cmd) return cmd_merge(merge);
    if (*export_cmd) {
      const MatrixSpec spec = parse_matrix_spec(exp_matrix);
      const Precision precision = parse_precision(exp_precision);
      DenseMatrix<double> a = make_matrix(spec);
      if (precision == Precision::F32)
        a = a.convert<float>(Layout::ColMajor).convert<double>(Layout::ColMajor);
      const std::filesystem::path out = exp_out;
      SPECBENCH_REQUIRE(out.extension() == ".npy" || out.extension() == ".mtx", "--out ", exp_out,
                        ": the file must end in .npy or .mtx");
      std::ostringstream text;
      if (out.extension() == ".mtx") {
        write_matrix_market(text, a);
      } else {
        // NumPy .npy version 1.0: magic, header length, a dict padded to a multiple of 64 bytes,
        // then the column-major doubles (fortran_order True).
        std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': (" +
                             std::to_string(a.rows()) + ", " + std::to_string(a.cols()) + "), }";
        while ((10 + header.size() + 1) % 64 != 0) header += ' ';
        header += '\n';
        text << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff)
             << char((header.size() >> 8) & 0xff) << header;
        text.write(reinterpret_cast<const char*>(a.data()),
                   std::streamsize(a.values().size() * sizeof(double)));
      }
      write_file_atomic(out, text.str());
      std::cerr << "wrote " << a.rows() << " x " << a.cols() << " to " << exp_out << "\n";
      return 0;
    }
    if (*record_cmd) {
      const long long id = record_run(rec_dir, rec_db);
      std::cerr << (id ? "recorded run " + std::to_string(id) : std::string("already recorded"))
                << " in " << rec_db << "\n";
      return 0;
    }
    if (*history_cmd) {
      print_history(hist_db, hist, std::cout);
      return 0;
    }
    if (*compare_cmd) {
      // A harness error is never a regression: every failure to compare is exit 2.
      try {
        return compare_results(cmp_base, cmp_cur, cmp, std::cout);
      } catch (const std::exception& e) {
        std::cerr << "specbench: error: " << e.what() << "\n";
        return kExitBadInput;
      }
    }
    if (*check_cmd) {
      if (check_config.empty()) check_config = (source_dir() / "configs" / "theory.toml").string();
      const auto results = run_checks(check_config, std::cout);
      const auto failed = std::count_if(results.begin(), results.end(),
                                        [](const CheckResult& r) { return !r.pass; });
      std::cout << results.size() - std::size_t(failed) << " of " << results.size()
                << " checks passed\n";
      return failed ? kExitFailure : 0;
    }
    if (*plot_cmd) {
      std::vector<std::string> a = {plot_dir, "--formats", plot_formats};
      if (!plot_out.empty()) a.insert(a.end(), {"--out", plot_out});
      return run_script("plot.py", a);
    }
    if (*table_cmd) {
      std::vector<std::string> a = {table_dir, "--metric", table_metric};
      a.push_back(table_markdown ? "--markdown" : "--latex");
      return run_script("table.py", a);
    }
    if (*estimate) return cmd_estimate(est);
    if (*reference) return cmd_reference(ref);
    if (*run_cmd) return cmd_run(run);
  } catch (const std::invalid_argument& e) {  // includes specbench::InvalidArgument
    std::cerr << "specbench: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    std::cerr << "specbench: failure: " << e.what() << "\n";
    return kExitFailure;
  }
  return kExitBadInput;
}

}  // namespace specbench
