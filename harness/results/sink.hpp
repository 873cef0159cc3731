#pragma once
/// \file
/// Result sinks: what a sweep's executor feeds as it goes, like Google Benchmark's
/// BenchmarkReporter (ReportContext, ReportRuns, Finalize). A sink gets the run's context and the
/// rows a resume kept (begin), each reference as it is computed or loaded (reference), the rows
/// of each finished cell (cell), and the end (end). runs.csv, meta.json and summary.csv are each
/// written by one sink; none of them reads a file back.

#include <cstddef>
#include <filesystem>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "harness/experiment/experiment.hpp"

namespace specbench {

/// What a run is, for the sinks: where it writes, what it runs, by which code, with which
/// options. meta.json records all of it.
struct RunContext {
  std::filesystem::path output;  ///< the result folder
  nlohmann::json provenance;     ///< provenance() at the start
  std::string name;              ///< the sweep's name
  std::filesystem::path config_path;
  std::string config_text, config_hash;
  std::size_t cells = 0;          ///< planned cells (all shards)
  std::size_t rows_planned = 0;   ///< planned rows (all shards)
  std::size_t resumed_cells = 0;  ///< cells a resume kept
  int jobs = 1, threads = 1, shard = 1, shards = 1;
  int timing_repeats = 0;  ///< [sweep] timing = { repeats }: 0 without a serial timing phase
  std::vector<double> tolerances;
  std::vector<const EstimatorInfo*> estimators;  ///< every estimator of the plan (repeats ignored)
  std::string started_utc;                       ///< this invocation's start
  /// runs.csv exists and holds the rows a resume kept (and only those): it is appended to.
  bool resumed = false;
  /// The folder's previous meta.json when resuming (its first start and its references are
  /// kept); null otherwise.
  nlohmann::json previous_meta;
};

/// How a run ended (a run that throws has no end: meta.json keeps status "running").
struct RunEnd {
  std::string status;  ///< "complete", "shard complete"
  std::string finished_utc;
  double seconds = 0;
  std::size_t rows = 0;    ///< rows in runs.csv (kept ones included)
  std::size_t errors = 0;  ///< error rows written by this invocation
};

/// One writer of a run's results.
class ResultSink {
 public:
  virtual ~ResultSink() = default;
  /// The run starts; `resumed` are the rows of the cells a resume kept, in runs.csv order.
  virtual void begin(const RunContext& context, const std::vector<Row>& resumed) = 0;
  /// A reference was computed or loaded from the cache (`step` >= 0: of that drift step).
  virtual void reference(const Problem& problem, int step) {
    (void)problem;
    (void)step;
  }
  /// The rows of one finished cell (a failed cell: exactly its planned rows, as error rows).
  virtual void cell(const std::vector<Row>& rows) = 0;
  /// The run finished.
  virtual void end(const RunEnd& end) = 0;
};

/// OUTPUT/runs.csv: created with its header (or appended to when resuming), each cell's rows
/// written in one write and flushed, so a kill leaves whole cells and at most a torn last line.
/// A failed write throws std::runtime_error "write failed: PATH".
std::unique_ptr<ResultSink> make_runs_csv_sink();

/// OUTPUT/meta.json (provenance, config, options, references, status), replaced atomically:
/// at the start, before a cell's rows only if references were added since the last write (so a
/// kill never leaves rows whose reference meta.json lacks), and at the end.
std::unique_ptr<ResultSink> make_meta_json_sink();

/// OUTPUT/summary.csv (write_summary), at the end, from the rows kept and written, in memory.
std::unique_ptr<ResultSink> make_summary_csv_sink();

/// The sinks of one run, called in order for begin, reference and cell, and in reverse order for
/// end (meta.json, first so that it precedes the rows it describes, is finalized last, after the
/// files it describes). Safe to call from several threads: one call at a time.
class ResultSinks {
 public:
  explicit ResultSinks(std::vector<std::unique_ptr<ResultSink>> sinks);
  /// meta.json, runs.csv, summary.csv.
  static ResultSinks standard();

  void begin(const RunContext& context, const std::vector<Row>& resumed);
  void reference(const Problem& problem, int step);
  void cell(const std::vector<Row>& rows);
  void end(const RunEnd& end);

 private:
  std::vector<std::unique_ptr<ResultSink>> sinks_;
  std::mutex mutex_;
};

}  // namespace specbench
