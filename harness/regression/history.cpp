#include "harness/regression/history.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "harness/provenance.hpp"
#include "harness/regression/history_db.hpp"
#include "harness/regression/summary_file.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/meta.hpp"
#include "harness/results/output.hpp"
#include "harness/statistics.hpp"

namespace specbench {
namespace {

namespace fs = std::filesystem;
using regression::Database;
using regression::SummaryFile;
using regression::SummaryRow;

/// meta.json of a complete run.
nlohmann::json read_complete_meta(const fs::path& results) {
  const nlohmann::json meta = read_meta_file(results / "meta.json");
  SPECBENCH_REQUIRE(meta.value("status", "") == "complete", results.string(),
                    ": the run is not complete (status '", meta.value("status", ""), "')");
  return meta;
}

/// The id of the run recorded with this output folder and finish time, or 0 if there is none.
long long recorded_id(Database& db, const std::string& output, const std::string& finished) {
  sqlite3_stmt* s = db.prepare("SELECT id FROM runs WHERE output = ? AND finished_utc = ?");
  regression::bind_text(s, 1, output);
  regression::bind_text(s, 2, finished);
  const long long id = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
  sqlite3_finalize(s);
  return id;
}

/// Inserts the run's row and returns its id. A plain INSERT (not OR IGNORE: the caller has ruled
/// out a duplicate), so that anything else the database refuses is an error with its reason,
/// and so is an insert that changed nothing (a trigger's RAISE(IGNORE)).
long long insert_run(Database& db, const nlohmann::json& meta, const fs::path& results,
                     const fs::path& db_path) {
  static const nlohmann::json kNone = nlohmann::json::object();
  const auto& prov = meta.contains("provenance") ? meta["provenance"] : kNone;
  sqlite3_stmt* ins = db.prepare(
      "INSERT INTO runs(recorded_utc, name, output, git_commit, git_dirty, cpu, "
      "hostname, config_hash, started_utc, finished_utc, meta) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  const std::string values[] = {utc_now(),
                                meta.value("name", ""),
                                fs::absolute(results).string(),  // as recorded_id looks it up
                                prov.value("git_commit", ""),
                                prov.value("git_dirty", ""),
                                prov.value("cpu", ""),
                                prov.value("hostname", ""),
                                meta.value("config_hash", ""),
                                meta.value("started_utc", ""),
                                meta.value("finished_utc", ""),
                                meta.dump()};
  for (int i = 0; i < 11; ++i) regression::bind_text(ins, i + 1, values[i]);
  const int rc = sqlite3_step(ins);
  const std::string reason = sqlite3_errmsg(db.get());
  sqlite3_finalize(ins);
  if (rc != SQLITE_DONE)
    throw std::runtime_error(db_path.string() + ": the database refused the run (" + reason +
                             "); nothing recorded");
  if (sqlite3_changes(db.get()) == 0)
    throw std::runtime_error(db_path.string() +
                             ": the database ignored the run's INSERT (0 rows changed: a trigger "
                             "or rule of that database); nothing recorded");
  return sqlite3_last_insert_rowid(db.get());
}

/// The history key of a summary row: estimator|params|family|m|n|precision|step (the step
/// empty outside drift runs), as summary.csv writes the fields.
std::string history_key(const SummaryRow& r) {
  return r.estimator + "|" + r.params + "|" + r.family + "|" + std::to_string(r.m) + "|" +
         std::to_string(r.n) + "|" + r.precision + "|" +
         (r.step >= 0 ? std::to_string(r.step) : std::string());
}

/// One summary row per statistic of every row of summary.csv (non-finite values as NULL).
void insert_summary(Database& db, long long id, const SummaryFile& summary) {
  sqlite3_stmt* row = db.prepare("INSERT INTO summary(run_id, key, metric, value) VALUES(?,?,?,?)");
  for (const SummaryRow& r : summary.rows) {
    const std::string key = history_key(r);
    for (std::size_t c = 0; c < summary.statistics.size(); ++c) {
      sqlite3_bind_int64(row, 1, id);
      regression::bind_text(row, 2, key);
      regression::bind_text(row, 3, summary.statistics[c]);
      if (std::isfinite(r.values[c]))
        sqlite3_bind_double(row, 4, r.values[c]);
      else
        sqlite3_bind_null(row, 4);
      db.step_done(row);
      if (sqlite3_changes(db.get()) != 1)  // a trigger's RAISE(IGNORE): not silently partial
        throw std::runtime_error(db.path() +
                                 ": the database ignored a summary row of the run; "
                                 "nothing recorded");
    }
  }
  sqlite3_finalize(row);
}

/// A metric's value in one recorded run.
struct Point {
  long long run;
  std::string when, commit;
  double value;
};

/// A metric's series: per key (in key order), the values over the recorded runs, oldest first.
std::vector<std::pair<std::string, std::vector<Point>>> read_series(Database& db,
                                                                    const HistoryOptions& o) {
  sqlite3_stmt* s = db.prepare(
      "SELECT r.id, r.recorded_utc, r.git_commit, s.key, s.value FROM summary s JOIN runs r ON "
      "r.id = s.run_id WHERE s.metric = ? AND instr(s.key, ?) > 0 ORDER BY s.key, r.id");
  regression::bind_text(s, 1, o.metric);
  regression::bind_text(s, 2, o.filter);
  std::vector<std::pair<std::string, std::vector<Point>>> series;
  auto text = [&](int i) {
    const auto* t = reinterpret_cast<const char*>(sqlite3_column_text(s, i));
    return std::string(t ? t : "");
  };
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string key = text(3);
    if (series.empty() || series.back().first != key) series.push_back({key, {}});
    series.back().second.push_back(
        {sqlite3_column_int64(s, 0), text(1), text(2),
         sqlite3_column_type(s, 4) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(s, 4)});
  }
  sqlite3_finalize(s);
  return series;
}

/// Whether the series steps at i: the level before (median of up to persist + 1 earlier values)
/// and the level after (median of x_i .. x_{i+persist-1}) differ by more than the threshold
/// (relative to the larger); x_{i-1} is still at the old level and every value of the after
/// window is closer to the new level. A single outlier moves neither median.
bool is_step(const std::vector<Point>& pts, std::size_t i, const HistoryOptions& o) {
  const auto persist = std::size_t(std::max(1, o.persist));
  if (i == 0 || i + persist > pts.size()) return false;
  auto window_median = [&](std::size_t a, std::size_t b) {
    std::vector<double> v;
    for (std::size_t k = a; k < b; ++k) v.push_back(pts[k].value);
    return median(std::move(v));
  };
  const double before = window_median(i > persist + 1 ? i - persist - 1 : 0, i);
  const double after = window_median(i, i + persist);
  const double scale = std::max(std::abs(before), std::abs(after));
  if (!(scale > 0 && std::abs(after - before) > o.threshold * scale)) return false;
  bool step = std::abs(pts[i - 1].value - before) < std::abs(pts[i - 1].value - after);
  for (std::size_t k = 0; k < persist && step; ++k) {
    const double x = pts[i + k].value;
    step = std::abs(x - after) < std::abs(x - before);
  }
  return step;
}

}  // namespace

Recorded record_run(const fs::path& results, const fs::path& db_path) {
  SPECBENCH_REQUIRE(fs::is_directory(results), results.string(), ": not a result folder");
  const FolderLock lock(results, FolderLock::Mode::Shared);  // not while a run writes it
  const nlohmann::json meta = read_complete_meta(results);
  const SummaryFile summary = regression::read_summary(results / "summary.csv");
  Database db(db_path);
  db.ensure_schema();
  db.exec("BEGIN IMMEDIATE");
  try {
    // Looked up inside the write transaction: concurrent records of one run find each other.
    const std::string output = fs::absolute(results).string();
    if (const long long id = recorded_id(db, output, meta.value("finished_utc", ""))) {
      db.exec("ROLLBACK");
      return {id, true};
    }
    const long long id = insert_run(db, meta, results, db_path);
    insert_summary(db, id, summary);
    db.exec("COMMIT");
    return {id, false};
  } catch (...) {
    db.rollback();
    throw;
  }
}

int print_history(const fs::path& db_path, const HistoryOptions& o, std::ostream& out) {
  SPECBENCH_REQUIRE(o.format == "text" || o.format == "json", "history: --format '", o.format,
                    "' (accepted: text, json)");
  SPECBENCH_REQUIRE(fs::exists(db_path), db_path.string(), ": no such database");
  Database db(db_path);
  db.ensure_schema();
  const auto series = read_series(db, o);
  SPECBENCH_REQUIRE(!series.empty(), db_path.string(), ": no values of metric '", o.metric, "'",
                    o.filter.empty() ? "" : " for keys containing '" + o.filter + "'");
  int steps = 0;
  nlohmann::json keys = nlohmann::json::array();
  for (const auto& [key, pts] : series) {
    if (o.format == "text") out << key << "  (" << o.metric << ")\n";
    nlohmann::json points = nlohmann::json::array();
    for (std::size_t i = 0; i < pts.size(); ++i) {
      const bool step = is_step(pts, i, o);
      const char* dir = step ? (pts[i].value > pts[i - 1].value ? "up" : "down") : "";
      steps += step;
      if (o.format == "text")
        out << "  run " << std::setw(4) << pts[i].run << "  " << pts[i].when << "  "
            << pts[i].commit.substr(0, 10) << "  " << std::setw(12) << format_double(pts[i].value)
            << (step ? std::string("  <- STEP ") + dir : "") << "\n";
      points.push_back(
          {{"run", pts[i].run},
           {"recorded_utc", pts[i].when},
           {"git_commit", pts[i].commit},
           {"value", std::isfinite(pts[i].value) ? nlohmann::json(pts[i].value) : nlohmann::json()},
           {"step", step ? nlohmann::json(dir) : nlohmann::json()}});
    }
    keys.push_back({{"key", key}, {"points", std::move(points)}});
  }
  if (o.format == "text") {
    out << steps << " step(s) flagged\n";
    return steps;
  }
  const nlohmann::json j = {
      {"database", db_path.string()},   {"metric", o.metric},       {"filter", o.filter},
      {"threshold", o.threshold},       {"persist", o.persist},     {"steps", steps},
      {"exit_code", steps > 0 ? 1 : 0}, {"series", std::move(keys)}};
  out << j.dump(2) << "\n";
  return steps;
}

}  // namespace specbench
