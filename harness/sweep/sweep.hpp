#pragma once
/// \file
/// Sweeps: a TOML config expands to a grid of runs (matrices x precisions x estimators with
/// parameter lists x seeds, each run reporting its iteration checkpoints), executed matrix by
/// matrix so that each matrix is generated and its reference computed once per precision.
/// The config format is documented in the README and in configs/default.toml.
///
/// Implementation, one concern a file: config.cpp and block.cpp (TOML -> SweepPlan, through
/// config_reader), plan.cpp (order, cell keys, planned rows, groups), resume.cpp, dry_run.cpp
/// (--dry-run with its cost model, --explain), executor.cpp (run_sweep: it orchestrates, the
/// result sinks of harness/results/sink.hpp write), drift.cpp, timing.cpp (the serial timing
/// phase), progress.cpp and merge.cpp.

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "harness/experiment/experiment.hpp"
#include "harness/workloads/matrices.hpp"

namespace specbench {

/// A drift trajectory (the training regime): W_0 is the block's matrix, then
/// W_t = W_{t-1} + eta ||W_{t-1}||_F G_t / ||G_t||_F with Gaussian G_t drawn from `seed`, for
/// `steps` steps. Estimators are called once per step and carry their state (torch_power its u
/// and v, power and lanczos their v when warm=true).
struct Drift {
  int steps = 0;  ///< 0: no drift
  double eta = 0;
  std::uint64_t seed = 0;
  auto key() const { return std::tie(steps, eta, seed); }
};

/// One estimator run in the grid: it yields one row per checkpoint (or one row); a drift run
/// yields one row per step.
struct RunSpec {
  std::size_t matrix = 0;  ///< index into SweepPlan::matrices
  Precision precision = Precision::F64;
  EstimatorChoice estimator;
  std::uint64_t seed = 0;
  std::vector<int> checkpoints;  ///< empty: one row at the end (always empty for drift runs)
  Drift drift;
  std::string cell;      ///< the cell key: 16 hex digits of a hash of everything above
  std::size_t rows = 1;  ///< rows the cell writes
};

/// W_{t+1} from W_t (the drift update, in place), drawing G from `rng`.
void drift_step(DenseMatrix<double>& w, double eta, Rng& rng);

struct SweepPlan {
  std::string name;
  std::filesystem::path config_path;
  std::string config_text;
  std::filesystem::path output;      ///< from the config (`[sweep] output`), may be overridden
  std::vector<MatrixSpec> matrices;  ///< distinct, in first-use order
  std::vector<RunSpec> runs;         ///< grouped by matrix, then precision, then drift
  std::size_t rows = 0;              ///< rows the sweep will write
  std::vector<double> tolerances{1e-2, 1e-4, 1e-8};  ///< summary.csv: P(rel_err > tol)
  int timing_repeats = 0;   ///< timed runs per cell in a serial timing phase (0: none)
  std::string config_hash;  ///< SHA-1 of the config text
};

/// Reads and validates a config; every error is an InvalidArgument naming the file, the line and
/// the key. Matrix files are opened and parsed here, so that a bad file fails before any output.
SweepPlan load_sweep(const std::filesystem::path& config);

struct SweepOptions {
  std::filesystem::path output;  ///< overrides the plan's output directory if non-empty
  bool quiet = false;            ///< no progress on stderr
  int jobs = 1;                  ///< worker threads for the accuracy phase (>= 1)
  int threads = 1;  ///< fused-kernel threads inside each cell (>= 1; results do not depend on it)
  bool fresh = false;         ///< ignore (and replace) existing results instead of resuming
  int shard = 1, shards = 1;  ///< run only cells with plan index % shards == shard - 1
};

/// What an existing output directory holds for this plan (see run_sweep's resume rules).
struct ResumeState {
  std::vector<char> done;  ///< per run: all its rows are in runs.csv
  std::size_t done_cells = 0, kept_rows = 0, dropped_rows = 0;
  bool exists = false, torn = false;
  nlohmann::json previous_meta;  ///< the folder's meta.json, if any (null otherwise)
  std::vector<Row> kept;         ///< the rows of the done cells, in runs.csv order
};

/// Reads OUTPUT/runs.csv and meta.json against the plan. Throws InvalidArgument, explaining why,
/// if they cannot be resumed: a damaged runs.csv (file:line), a run of another config, another
/// commit, dirty flag, BLAS library or kernel, or host, or rows of cells this plan does not have
/// (a changed config).
ResumeState inspect_output(const SweepPlan& plan, const std::filesystem::path& output);

/// `specbench run --dry-run`: the cells, how many are done, and an estimate of the work.
void describe_plan(const SweepPlan& plan, const ResumeState& state, const SweepOptions& options,
                   std::ostream& out);

/// `specbench run --explain CELL`: the cell and the `specbench estimate` commands that reproduce
/// its rows. Throws InvalidArgument for an unknown cell.
void explain_cell(const SweepPlan& plan, const std::string& cell, std::ostream& out);

struct SweepSummary {
  std::filesystem::path output;
  std::size_t rows = 0, errors = 0;
  double seconds = 0;
};

/// Runs the plan, writing OUTPUT/runs.csv (each cell's rows appended and flushed when it
/// finishes), OUTPUT/summary.csv (statistics, at the end) and OUTPUT/meta.json (provenance,
/// config, references; replaced atomically as the sweep goes). Resumes an existing output unless
/// options.fresh: finished cells are skipped, incomplete ones redone. A run that fails becomes
/// rows with status "error"; the sweep goes on.
SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options);

/// `specbench merge`: combines the outputs of shards (or any runs of the same config and code)
/// into `output`, refusing different configs or code versions, conflicting rows, an input given
/// twice, and (unless `partial`, which writes status "partial") inputs that do not cover every
/// planned cell.
SweepSummary merge_outputs(const std::vector<std::filesystem::path>& inputs,
                           const std::filesystem::path& output, bool partial = false);

}  // namespace specbench
