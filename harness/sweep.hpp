#pragma once
/// \file
/// Sweeps: a TOML config expands to a grid of runs (matrices x precisions x estimators with
/// parameter lists x seeds, each run reporting its iteration checkpoints), executed matrix by
/// matrix so that each matrix is generated and its reference computed once per precision.
/// The config format is documented in the README and in configs/default.toml.

#include <cstdint>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "harness/experiment.hpp"
#include "harness/matrices.hpp"

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
};

/// W_{t+1} from W_t (the drift update, in place), drawing G from `rng`.
void drift_step(DenseMatrix<double>& w, double eta, Rng& rng);

struct SweepPlan {
  std::string name;
  std::filesystem::path config_path;
  std::string config_text;
  std::filesystem::path output;      ///< from the config (`[sweep] output`), may be overridden
  std::vector<MatrixSpec> matrices;  ///< distinct, in first-use order
  std::vector<RunSpec> runs;         ///< grouped by matrix, then precision
  std::size_t rows = 0;              ///< rows the sweep will write
};

/// Reads and validates a config; every error is an InvalidArgument naming the file, the line and
/// the key. Matrix files are opened and parsed here, so that a bad file fails before any output.
SweepPlan load_sweep(const std::filesystem::path& config);

struct SweepOptions {
  std::filesystem::path output;  ///< overrides the plan's output directory if non-empty
  bool quiet = false;            ///< no progress on stderr
};

struct SweepSummary {
  std::filesystem::path output;
  std::size_t rows = 0, errors = 0;
  double seconds = 0;
};

/// Runs the plan, writing OUTPUT/runs.csv (rows appended and flushed as runs finish) and
/// OUTPUT/meta.json (provenance, config, references; replaced atomically at start and end).
/// A run that fails becomes rows with status "error"; the sweep goes on.
SweepSummary run_sweep(const SweepPlan& plan, const SweepOptions& options);

}  // namespace specbench
