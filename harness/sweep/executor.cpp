// run_sweep: the executor. Cells run in windows of `jobs` groups (a group shares a matrix, a
// precision and a drift): the window's problems are built in parallel, its cells run in
// parallel, then the serial timing phase if any; every finished cell's rows go to the sinks.
#include "harness/sweep/executor.hpp"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "harness/provenance.hpp"
#include "harness/results/atomic_file.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/sink.hpp"
#include "harness/sweep/drift.hpp"
#include "harness/sweep/plan.hpp"
#include "harness/sweep/progress.hpp"
#include "harness/sweep/resume.hpp"
#include "harness/sweep/sweep.hpp"
#include "harness/sweep/timing.hpp"

namespace specbench {
namespace {

using Clock = std::chrono::steady_clock;

void check_options(const SweepOptions& options) {
  SPECBENCH_REQUIRE(options.jobs >= 1, "--jobs must be >= 1, got ", options.jobs);
  SPECBENCH_REQUIRE(options.threads >= 1, "--threads must be >= 1, got ", options.threads);
  SPECBENCH_REQUIRE(options.shards >= 1 && options.shard >= 1 && options.shard <= options.shards,
                    "--shard K/N needs 1 <= K <= N, got ", options.shard, "/", options.shards);
}

/// The shard's cells that are not done yet, in plan order.
std::vector<std::size_t> cells_to_run(const SweepPlan& plan, const ResumeState& state,
                                      const SweepOptions& options) {
  std::vector<std::size_t> todo;
  for (std::size_t r = 0; r < plan.runs.size(); ++r)
    if (!state.done[r] && in_shard(r, options)) todo.push_back(r);
  return todo;
}

RunContext run_context(const SweepPlan& plan, const SweepOptions& options, const ResumeState& state,
                       const std::filesystem::path& output, const std::string& started_utc) {
  RunContext c;
  c.output = output;
  c.provenance = provenance();
  c.name = plan.name;
  c.config_path = plan.config_path;
  c.config_text = plan.config_text;
  c.config_hash = plan.config_hash;
  c.cells = plan.runs.size();
  c.rows_planned = plan.rows;
  c.resumed_cells = state.done_cells;
  c.jobs = options.jobs;
  c.threads = options.threads;
  c.shard = options.shard;
  c.shards = options.shards;
  c.timing_repeats = plan.timing_repeats;
  c.tolerances = plan.tolerances;
  for (const RunSpec& run : plan.runs)
    if (std::find(c.estimators.begin(), c.estimators.end(), run.estimator.info) ==
        c.estimators.end())
      c.estimators.push_back(run.estimator.info);
  c.started_utc = started_utc;
  c.resumed = state.exists;
  c.previous_meta = state.exists ? state.previous_meta : nlohmann::json();
  return c;
}

/// The problems of a window's plain groups (drift groups build their own, step by step), or
/// why one could not be built.
struct WindowProblems {
  std::vector<std::optional<Problem>> problems;
  std::vector<std::string> errors;
};

/// A unit of parallel work: one plain cell, or a whole drift group (its runs share the
/// trajectory). `group` indexes the window's groups.
struct Task {
  std::size_t group;
  std::vector<std::size_t> runs;
};

class Executor {
 public:
  Executor(const SweepPlan& plan, const SweepOptions& options, ResultSinks& sinks,
           Progress& progress)
      : plan_(plan), options_(options), sinks_(sinks), progress_(progress) {}

  /// Runs the cells `todo` (plan indices, in plan order).
  void run(const std::vector<std::size_t>& todo) {
    const auto groups = groups_of(plan_, todo);
    const auto window = std::size_t(options_.jobs);
    for (std::size_t g0 = 0; g0 < groups.size(); g0 += window)
      run_window({groups.begin() + std::ptrdiff_t(g0),
                  groups.begin() + std::ptrdiff_t(std::min(groups.size(), g0 + window))});
  }
  std::size_t rows() const { return rows_; }
  std::size_t errors() const { return errors_; }

 private:
  void run_window(const std::vector<std::vector<std::size_t>>& groups);
  WindowProblems build_problems(const std::vector<std::vector<std::size_t>>& groups);
  CellRows run_task(const Task& task, const WindowProblems& window);
  std::vector<Row> run_cell(const RunSpec& run, const WindowProblems& window, std::size_t group);
  void deliver(std::size_t run, std::vector<Row>& rows);

  const SweepPlan& plan_;
  const SweepOptions& options_;
  ResultSinks& sinks_;
  Progress& progress_;
  std::size_t rows_ = 0, errors_ = 0;
};

/// Tasks: every cell of a plain group, every drift group as one task.
std::vector<Task> tasks_of(const SweepPlan& plan,
                           const std::vector<std::vector<std::size_t>>& groups) {
  std::vector<Task> tasks;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    if (plan.runs[groups[k].front()].drift.steps > 0)
      tasks.push_back({k, groups[k]});
    else
      for (std::size_t r : groups[k]) tasks.push_back({k, {r}});
  }
  return tasks;
}

void Executor::run_window(const std::vector<std::vector<std::size_t>>& groups) {
  const WindowProblems problems = build_problems(groups);
  const std::vector<Task> tasks = tasks_of(plan_, groups);
  const bool retime = plan_.timing_repeats > 0;
  CellRows held;  // with a timing phase: the window's rows, written after it
  std::mutex mutex;
  parallel_for(tasks.size(), options_.jobs, [&](std::size_t t) {
    CellRows out = run_task(tasks[t], problems);
    std::lock_guard lock(mutex);
    if (retime) {
      held.merge(out);
      return;
    }
    // No timing phase: each cell's rows are written as soon as it finishes (a kill loses only
    // the cells in flight).
    for (auto& [r, rows] : out) deliver(r, rows);
    progress_.advance(out.size());
  });
  if (!retime) return;
  // The serial timing phase, then the window's cells written in plan order (a kill loses the
  // window in flight).
  std::map<std::size_t, std::size_t> group_of;  // run -> its group in the window
  for (const Task& task : tasks)
    for (std::size_t r : task.runs) group_of[r] = task.group;
  for (auto& [r, rows] : held) {
    const auto& problem = problems.problems[group_of.at(r)];
    if (problem) retime_cell(*problem, plan_.runs[r], plan_.timing_repeats, options_.threads, rows);
  }
  for (auto& [r, rows] : held) deliver(r, rows);
  progress_.advance(held.size());
}

WindowProblems Executor::build_problems(const std::vector<std::vector<std::size_t>>& groups) {
  WindowProblems w;
  w.problems.resize(groups.size());
  w.errors.resize(groups.size());
  parallel_for(groups.size(), options_.jobs, [&](std::size_t k) {
    const RunSpec& run = plan_.runs[groups[k].front()];
    if (run.drift.steps > 0) return;  // drift groups build their own problems, step by step
    const MatrixSpec& spec = plan_.matrices[run.matrix];
    try {
      w.problems[k] = make_problem(spec, run.precision);
      sinks_.reference(*w.problems[k], -1);
      progress_.problem(*w.problems[k]);
    } catch (const std::exception& e) {
      w.errors[k] = e.what();
      progress_.problem_error(spec, e.what());
    }
  });
  return w;
}

CellRows Executor::run_task(const Task& task, const WindowProblems& window) {
  const RunSpec& first = plan_.runs[task.runs.front()];
  if (first.drift.steps > 0) return run_drift_group(plan_, task.runs, options_.threads, sinks_);
  CellRows out;
  out[task.runs.front()] = run_cell(first, window, task.group);
  return out;
}

std::vector<Row> Executor::run_cell(const RunSpec& run, const WindowProblems& window,
                                    std::size_t group) {
  try {
    const auto& problem = window.problems[group];
    if (!problem) throw std::runtime_error(window.errors[group]);
    std::vector<Row> rows = run_estimator(*problem, run.estimator, run.seed, run.checkpoints, false,
                                          {}, {}, options_.threads)
                                .rows;
    // An estimator that threw mid-run returns one error row: the cell's planned rows.
    if (rows.size() != run.rows && !rows.empty() && rows.front().status == RunStatus::Error)
      rows = planned_error_rows(run, rows.front());
    return rows;
  } catch (const std::exception& e) {
    const MatrixSpec& spec = plan_.matrices[run.matrix];
    return planned_error_rows(run,
                              failed_row(spec, run.precision, run.estimator, run.seed, e.what()));
  }
}

void Executor::deliver(std::size_t run, std::vector<Row>& rows) {
  for (Row& r : rows) r.cell = plan_.runs[run].cell;
  sinks_.cell(rows);
  rows_ += rows.size();
  for (const Row& row : rows) errors_ += row.status == RunStatus::Error;
}

}  // namespace

SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options) {
  SweepSummary summary;
  summary.output = options.output.empty() ? plan.output : options.output;
  check_options(options);
  std::filesystem::create_directories(summary.output);
  // One writer per folder, for the whole run: a second run (or a merge into it) exits 2 now.
  const FolderLock lock(summary.output, FolderLock::Mode::Exclusive);
  // A run killed before its destructors ran (kill -9, out of memory) leaves NAME.tmp.RANDOM
  // files; under the exclusive lock no live writer owns one.
  if (const auto stale =
          remove_stale_temporaries(summary.output, {"runs.csv", "meta.json", "summary.csv"});
      stale > 0 && !options.quiet)
    std::cerr << "removed " << stale << " temporary file(s) left in " << summary.output.string()
              << " by a killed run\n";
  const auto started_utc = utc_now();
  const auto start = Clock::now();
  const ResumeState state = prepare_output(plan, options, summary.output);
  const auto todo = cells_to_run(plan, state, options);

  ResultSinks sinks = ResultSinks::standard();
  sinks.begin(run_context(plan, options, state, summary.output, started_utc), state.kept);
  Progress progress(todo.size(), options.quiet);
  progress.resuming(state.done_cells, state.dropped_rows);
  Executor executor(plan, options, sinks, progress);
  executor.run(todo);

  summary.rows = state.kept_rows + executor.rows();
  summary.errors = executor.errors();
  summary.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  sinks.end({options.shards > 1 ? "shard complete" : "complete", utc_now(), summary.seconds,
             summary.rows, summary.errors});
  return summary;
}

}  // namespace specbench
