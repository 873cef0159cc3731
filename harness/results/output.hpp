#pragma once
/// \file
/// Writers for result rows: tidy CSV (one row per cell and checkpoint, named columns, RFC 4180
/// quoting) and JSON; plus atomic file replacement, so that an interrupted write never leaves a
/// torn file behind.

#include <charconv>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "harness/experiment/experiment.hpp"
#include "harness/results/atomic_file.hpp"

namespace specbench {

/// Column names of runs.csv, in order (documented in the README).
const std::vector<std::string>& row_columns();

/// Shortest text that reads back to the same double ("nan", "inf", "-inf" for non-finite).
std::string format_double(double x);

/// The inverse of format_double: a whole field that is a finite double (shortest round-trip
/// text or any other decimal form), or nan, inf, -inf. False for anything else.
bool parse_double_field(const std::string& text, double& out);

/// A whole field that is a decimal integer of type Int (no sign for unsigned, no overflow).
template <class Int>
bool parse_int_field(const std::string& text, Int& out) {
  const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
  return !text.empty() && r.ec == std::errc() && r.ptr == text.data() + text.size();
}

/// The row as a JSON object with the columns as keys (non-finite numbers become null), plus u and
/// v when the row carries them.
nlohmann::json row_to_json(const Row& row);

/// The reference of a problem as JSON: matrix, m, n, precision, sigma1 (a decimal string of 45
/// significant digits), sigma2, bound, digits, gap_ratio, cluster_size, method, lanczos_steps,
/// refine_iterations, time_s, cache (hit or miss). Shared by `specbench reference` and meta.json.
nlohmann::json reference_to_json(const Problem& problem);

/// What the scripts need to know about an estimator, from the registry: name, summary,
/// iteration_param, nested, rate_theory and the parameter schema (names, types, defaults, help,
/// choices, ranges). `specbench list --format json` and meta.json `estimators` print it.
nlohmann::json estimator_json(const EstimatorInfo& info);

/// The parameter schema as JSON (one object per parameter).
nlohmann::json schema_json(const ParamSchema& schema);

/// A field quoted for CSV if it needs to be (RFC 4180).
std::string csv_line_field(const std::string& field);

/// The header line of runs.csv (with its newline), and one row as a CSV line.
std::string csv_header();
std::string csv_line(const Row& row);

/// Replaces `path` atomically (write_file_atomic) with a runs.csv of these rows.
void write_runs_file(const std::filesystem::path& path, const std::vector<Row>& rows);

/// Appends rows to a CSV file, one write(2) per cell, so that a killed sweep keeps every
/// finished cell and never a torn line except possibly the last one. A fresh file is created
/// whole with its header (AtomicFile: never through a link planted at `path`) and appended to
/// through the same descriptor; an existing one (a resume) is opened only if it is a regular
/// file and not a symbolic link (else InvalidArgument). A failed write is cut back to the last
/// whole cell (ftruncate) and throws std::runtime_error "write failed: PATH: REASON".
class CsvWriter {
 public:
  /// Creates (replaces) `path` with the header, or appends to it.
  explicit CsvWriter(const std::filesystem::path& path, bool append = false);
  ~CsvWriter();
  CsvWriter(const CsvWriter&) = delete;
  CsvWriter& operator=(const CsvWriter&) = delete;
  /// Writes the rows (one cell's) in one call.
  void write(const std::vector<Row>& rows);
  /// fsync and close (throws std::runtime_error on failure); the destructor closes without it.
  void close();

 private:
  void write_text(const std::string& text);
  int fd_ = -1;
  std::filesystem::path path_;
};

/// The CSV tokenizer (RFC 4180 quoting): calls on_line(fields, line number) for every complete
/// line (one ending in a newline; the header is line 1) and returns true if a torn last line (no
/// final newline: a write cut short) was left over. Every CSV reader of specbench uses it.
bool tokenize_csv(const std::string& text,
                  const std::function<void(std::vector<std::string>&, std::size_t)>& on_line);

/// The whole file, or InvalidArgument "PATH: cannot open" (also for a FIFO, a device or a
/// folder: only regular files are read, and opening never blocks).
std::string read_text(const std::filesystem::path& path);

/// A CSV file read back: the header, the complete rows (each with the header's field count, or
/// InvalidArgument "PATH:LINE: ..."), and whether a torn last line was dropped.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  bool torn = false;
  /// Index of a column, or npos.
  std::size_t column(const std::string& name) const {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    return std::string::npos;
  }
};
CsvTable read_csv(const std::filesystem::path& path);

}  // namespace specbench
