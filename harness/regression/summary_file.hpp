#pragma once
/// \file
/// summary.csv read back as typed rows, for `specbench record`. The writer
/// (harness/results/summary.hpp) puts the group keys first, in a fixed order, then the
/// statistics, whose set depends on the config (fail_TOL per tolerance); so the keys are typed
/// members and the statistics a row of reals named by the file's header.
///
/// The reader is strict: the header must start with the key columns in the writer's order, every
/// line must have one field per column, the key fields must parse as their types (m, n and
/// checkpoint integers, step empty or a non-negative integer) and every statistic as a real
/// (shortest round-trip decimal, nan, inf or -inf). Anything else, a torn last line included
/// (summary.csv is written whole, atomically), is an InvalidArgument naming the file and line.

#include <filesystem>
#include <string>
#include <vector>

namespace specbench::regression {

/// The key columns of summary.csv, in the writer's order.
inline constexpr const char* kSummaryKeys[] = {"estimator", "params",    "family",     "m",
                                               "n",         "precision", "checkpoint", "step"};

/// One row of summary.csv: the group it summarizes and its statistics.
struct SummaryRow {
  std::string estimator, params, family;
  long long m = 0, n = 0;
  std::string precision;
  long long checkpoint = 0;
  int step = -1;               ///< drift step; -1 outside drift runs (empty in the file)
  std::vector<double> values;  ///< one per SummaryFile::statistics, in the same order
};

struct SummaryFile {
  std::vector<std::string> statistics;  ///< the columns after the keys (rows, rel_err_median...)
  std::vector<SummaryRow> rows;
  std::vector<std::size_t> lines;  ///< file line of each row (1 = the header)
};

/// Reads and checks `path` (see the file comment). Throws InvalidArgument "PATH:LINE: ...".
SummaryFile read_summary(const std::filesystem::path& path);

}  // namespace specbench::regression
