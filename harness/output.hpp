#pragma once
/// \file
/// Writers for result rows: tidy CSV (one row per cell and checkpoint, named columns, RFC 4180
/// quoting) and JSON; plus atomic file replacement, so that an interrupted write never leaves a
/// torn file behind.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/experiment.hpp"

namespace specbench {

/// Column names of runs.csv, in order (documented in the README).
const std::vector<std::string>& row_columns();

/// Shortest text that reads back to the same double ("nan", "inf", "-inf" for non-finite).
std::string format_double(double x);

/// The row as a JSON object with the columns as keys (non-finite numbers become null), plus u and
/// v when the row carries them.
nlohmann::json row_to_json(const Row& row);

/// The reference of a problem as JSON: matrix, m, n, precision, sigma1 (a decimal string of 40
/// significant digits), sigma2, bound, digits, gap_ratio, cluster_size, method, lanczos_steps,
/// refine_iterations, time_s, cache (hit or miss). Shared by `specbench reference` and meta.json.
nlohmann::json reference_to_json(const Problem& problem);

/// Appends rows to a CSV file, flushing after every write, so that a killed sweep keeps every
/// finished row and never a torn one beyond the last line.
class CsvWriter {
 public:
  /// Creates (truncates) `path` and writes the header.
  explicit CsvWriter(const std::filesystem::path& path);
  void write(const Row& row);

 private:
  std::ofstream out_;
  std::filesystem::path path_;
};

/// Writes `content` to `path` through a temporary file in the same directory and a rename.
void write_file_atomic(const std::filesystem::path& path, const std::string& content);

}  // namespace specbench
