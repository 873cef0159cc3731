// `specbench run` (a sweep from a TOML config: run it, list it, or explain a cell) and
// `specbench merge` (the outputs of shards into one result set).

#include <algorithm>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <thread>
#include <tuple>

#include "core/error.hpp"
#include "harness/cli/commands.hpp"
#include "harness/plugins/shared_library.hpp"
#include "harness/sweep/sweep.hpp"

namespace specbench::cli {
namespace {

struct RunArgs {
  std::string config, out, explain, shard = "1/1";
  std::vector<std::string> plugins;
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

int cores() {
  return int(std::max(1u, std::thread::hardware_concurrency()));
}

SweepOptions sweep_options(const RunArgs& args, const SweepPlan& plan) {
  SweepOptions options;
  options.output = args.out.empty() ? plan.output : std::filesystem::path(args.out);
  options.quiet = args.quiet;
  options.fresh = args.fresh;
  options.threads = args.threads;  // 1..1024: checked by CLI11
  options.jobs = args.jobs > 0 ? args.jobs : std::max(1, cores() / args.threads);
  std::tie(options.shard, options.shards) = parse_shard(args.shard);
  return options;
}

/// The plan (--dry-run): the cells, how many are done, and the work.
void dry_run(const RunArgs& args, const SweepPlan& plan, const SweepOptions& options) {
  ResumeState state;
  state.done.assign(plan.runs.size(), 0);
  if (!args.fresh) state = inspect_output(plan, options.output);
  describe_plan(plan, state, options, std::cout);
}

/// What is about to run, and a note if the jobs and threads oversubscribe the cores.
void announce(const RunArgs& args, const SweepPlan& plan, const SweepOptions& options) {
  std::cerr << "sweep '" << plan.name << "': " << plan.matrices.size() << " matrices, "
            << plan.runs.size() << " cells, " << plan.rows << " rows, " << options.jobs << " job(s)"
            << (options.threads > 1 ? " x " + std::to_string(options.threads) + " threads" : "")
            << (options.shards > 1 ? ", shard " + args.shard : "") << "\n";
  if (options.jobs * options.threads > cores())
    std::cerr << "note: --jobs " << options.jobs << " x --threads " << options.threads
              << " exceeds the " << cores() << " cores; the times will include the contention\n";
}

int cmd_run(const RunArgs& args) {
  load_plugin_libraries(args.plugins);  // before the config names their estimators
  const SweepPlan plan = load_sweep(args.config);
  const SweepOptions options = sweep_options(args, plan);
  if (!args.explain.empty()) {
    explain_cell(plan, args.explain, std::cout);
    return kExitSuccess;
  }
  if (args.dry_run) {
    dry_run(args, plan, options);
    return kExitSuccess;
  }
  if (!args.quiet) announce(args, plan, options);
  const SweepSummary s = run_sweep(plan, options);
  std::cerr << "wrote " << s.rows << " rows to " << (s.output / "runs.csv").string() << " and "
            << (s.output / "meta.json").string() << " in " << std::fixed << std::setprecision(2)
            << s.seconds << " s";
  if (s.errors) std::cerr << "; " << s.errors << " rows have status 'error' (see their message)";
  std::cerr << "\n";
  return s.errors ? kExitFailure : kExitSuccess;
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
  return s.errors ? kExitFailure : kExitSuccess;
}

}  // namespace

Command add_run(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "Run a sweep from a TOML config; writes runs.csv, summary.csv and meta.json");
  cmd->add_option("config", args->config, "Sweep config (TOML), e.g. configs/default.toml")
      ->required();
  cmd->add_option("--out,-o", args->out,
                  "Output directory (default: [sweep] output, relative to the config's folder, "
                  "else results/CONFIG_NAME)");
  cmd->add_flag("--quiet,-q", args->quiet, "No progress messages");
  add_plugin_option(cmd, args->plugins);
  cmd->add_option("--jobs,-j", args->jobs, "Parallel cells (default: cores / --threads)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--threads,-t", args->threads,
                  "Kernel threads inside each cell, as estimate --threads (results are "
                  "bit-identical for any value; with --jobs 1, times use the whole machine)")
      ->check(CLI::Range(1, 1024))
      ->capture_default_str();
  cmd->add_flag("--fresh", args->fresh,
                "Start over: replace existing results instead of resuming them");
  cmd->add_flag("--dry-run", args->dry_run,
                "List the cells, how many are done, and the work; run nothing");
  cmd->add_option("--explain", args->explain,
                  "Print the `specbench estimate` commands that reproduce a cell's rows");
  cmd->add_option("--shard", args->shard,
                  "Run the K-th of N deterministic slices of the cells (K/N, e.g. 2/8)");
  return {cmd, [args] { return cmd_run(*args); }};
}

Command add_merge(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  auto* cmd = app.add_subcommand(
      "merge", "Combine the outputs of shards (same config and code) into one result set");
  cmd->add_option("dirs", args->inputs, "Output directories of the shards")->required();
  cmd->add_option("--out,-o", args->out, "Output directory")->required();
  cmd->add_flag("--partial", args->partial,
                "Accept inputs that do not cover every planned cell (status 'partial')");
  return {cmd, [args] { return cmd_merge(*args); }};
}

}  // namespace specbench::cli
