#pragma once
/// \file
/// The run history: `specbench record` stores each sweep (provenance and summary rows) in SQLite,
/// `specbench history` prints trends and flags persistent steps. Schema (version 1):
///
///   schema(version INTEGER)                          -- one row: the schema version
///   runs(id INTEGER PRIMARY KEY, recorded_utc, name, output, git_commit, git_dirty, cpu,
///        hostname, config_hash, started_utc, finished_utc, meta)   -- meta: the meta.json text
///        UNIQUE(output, finished_utc)                -- recording the same run twice is a no-op
///   summary(run_id REFERENCES runs(id), key, metric, value)
///        -- key: estimator|params|family|m x n|precision|step; metric: a summary.csv column
///
/// Each record is one transaction (a killed writer leaves the database as it was), the database
/// is in WAL mode with a busy timeout, so concurrent `record` calls queue instead of failing.

#include <filesystem>
#include <ostream>
#include <string>

namespace specbench {

/// What record_run did: the run's id, and whether it was recorded before (the same output
/// folder and finished_utc: then nothing changed and `id` is the earlier record's).
struct Recorded {
  long long id = 0;
  bool duplicate = false;
};

/// Records RESULTS_DIR (meta.json and summary.csv) into the database, creating it if needed.
/// meta.json is read by read_meta_file and summary.csv as typed rows (summary_file.hpp): a
/// malformed one is an InvalidArgument naming the file (and line), and nothing is recorded. A
/// run already recorded is found before inserting (a duplicate: nothing changes). An INSERT the
/// database refuses or ignores (a constraint, a trigger, a full disk) throws
/// std::runtime_error with SQLite's reason, after rolling back: never reported as a duplicate.
Recorded record_run(const std::filesystem::path& results, const std::filesystem::path& db);

struct HistoryOptions {
  std::string metric = "rel_err_median";  ///< a summary.csv column
  std::string filter;                     ///< only keys containing this text
  double threshold = 0.05;                ///< relative change that counts as a step
  int persist = 2;                        ///< later runs that must stay at the new level
  std::string format = "text";            ///< text, or json (one object, see the README)
};

/// Prints, per key, the metric over the recorded runs (oldest first) and flags steps: a change
/// by more than `threshold` (relative) after which the next `persist` runs stay on the new side,
/// unlike a single outlier. Each step is "up" or "down" (the metric rose or fell). As text (one
/// block per key, "<- STEP up|down") or as JSON (`format`). Returns the number of steps flagged
/// (`specbench history` exits 1 if it is not 0).
int print_history(const std::filesystem::path& db, const HistoryOptions& options,
                  std::ostream& out);

}  // namespace specbench
