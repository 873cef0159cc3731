#pragma once
/// \file
/// The two sides of `specbench compare` read from disk: a run directory (meta.json and the typed
/// rows of runs.csv), or a pool of run directories of one config. Only complete runs are read;
/// anything else is an InvalidArgument naming the side and the file.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/experiment/experiment.hpp"
#include "harness/regression/tolerance.hpp"

namespace specbench::regression {

/// One runs.csv row as compare reads it: the typed row, the accuracy columns the rounding-noise
/// rules need (filled for rows without error), and the row's line in runs.csv.
struct RunRow {
  Row row;
  AccuracyRow acc;
  std::size_t line = 0;
};

/// One run directory: its meta.json and its rows.
struct RunDir {
  std::filesystem::path dir;
  nlohmann::json meta;
  std::vector<RunRow> rows;
};

/// A side of the comparison: one run, or a pool of runs of the same config (a directory of run
/// directories), whose rows are pooled for timing; accuracy uses the first run.
struct Side {
  std::filesystem::path path;
  std::vector<RunDir> runs;
  const nlohmann::json& meta() const { return runs.front().meta; }
};

/// Reads `path` as side `side` ("baseline" or "current"): a run directory, or a directory of run
/// directories (a pool, which must hold runs of one config).
Side load_side(const std::filesystem::path& path, const std::string& side);

/// The step column as runs.csv writes it: empty outside drift runs.
std::string step_text(const Row& r);

/// The key a row is matched by: cell | checkpoint | step.
std::string key_of(const Row& r);

/// The row in words: matrix, estimator:params, precision and seed.
std::string subject_of(const Row& r);

/// Where the row would be re-run from: `specbench estimate`, with a config-relative file path
/// resolved against the folder of the config the run was made from (`meta`).
std::string rerun_of(const Row& r, const nlohmann::json& meta);

}  // namespace specbench::regression
