#pragma once
/// \file
/// The one table of runs.csv's columns: name, type, unit and the Row member behind each. The CSV
/// header, the CSV and JSON writers and the typed reader are all generated from it, so the
/// columns are listed once (the README documents them in the same order).
///
/// The reader is strict: the header must be exactly the table's, every complete line must have
/// exactly one field per column, and every field must parse as its type (integers and doubles
/// completely, doubles round-tripping the writer's shortest form exactly, status one of the
/// known values). Anything else is an InvalidArgument naming the file and line, never a crash. A
/// last line without its newline (a write cut short by a kill) is not a row: it is dropped and
/// reported in `torn`, for resume to repair.

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "harness/experiment/experiment.hpp"

namespace specbench {

enum class ColumnType {
  Text,     ///< any string (RFC 4180 quoted when needed)
  Integer,  ///< a signed decimal integer
  Seed,     ///< an unsigned 64-bit decimal integer
  Real,     ///< a double in shortest round-trip form, or nan, inf, -inf
  Step,     ///< a non-negative integer, or empty (outside drift runs)
  Status,   ///< converged, max_iterations, breakdown or error
};

struct RunColumn {
  std::string_view name;
  ColumnType type;
  std::string_view unit;  ///< "" for dimensionless or text
  std::variant<std::string Row::*, long long Row::*, int Row::*, std::uint64_t Row::*,
               double Row::*, RunStatus Row::*>
      member;
};

/// The columns of runs.csv, in order.
const std::vector<RunColumn>& run_columns();

/// One field of a row as written to CSV (quoted if needed).
std::string csv_field_text(const RunColumn& column, const Row& row);

/// A runs.csv read back: the complete rows, the file line of each (1 = the header), and whether
/// a torn last line was dropped.
struct RunsFile {
  std::vector<Row> rows;
  std::vector<std::size_t> lines;
  bool torn = false;
  bool legacy = false;  ///< the header lacks `counted_by`: a file of an older specbench
};

/// Reads and checks `path` (see the file comment). Throws InvalidArgument "PATH:LINE: ...".
RunsFile read_runs(const std::filesystem::path& path);

}  // namespace specbench
