#include "harness/regression/history.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "harness/provenance.hpp"
#include "harness/results/lock.hpp"
#include "harness/results/output.hpp"
#include "harness/statistics.hpp"

namespace specbench {
namespace {

constexpr int kSchemaVersion = 1;

class Database {
 public:
  explicit Database(const std::filesystem::path& path) : path_(path.string()) {
    if (sqlite3_open(path_.c_str(), &db_) != SQLITE_OK)
      throw InvalidArgument(path_ + ": cannot open the database: " + sqlite3_errmsg(db_));
    sqlite3_busy_timeout(db_, 60000);  // concurrent writers wait (up to a minute) for the lock
    // Switching a new database to WAL takes an exclusive lock and reports SQLITE_BUSY at once,
    // without the busy handler, when another connection holds one: retry for up to a minute.
    for (int attempt = 0;; ++attempt) {
      const int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, nullptr);
      if (rc == SQLITE_OK) break;
      if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || attempt >= 600)
        throw InvalidArgument(path_ + ": cannot set the journal mode: " + sqlite3_errmsg(db_));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    exec("PRAGMA foreign_keys=ON");
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw InvalidArgument(path_ + ": " + msg + " (in: " + sql.substr(0, 60) + ")");
    }
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
      throw InvalidArgument(path_ + ": " + sqlite3_errmsg(db_));
    return s;
  }
  void step_done(sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
      throw InvalidArgument(path_ + ": " + sqlite3_errmsg(db_));
    sqlite3_reset(s);
  }
  sqlite3* get() { return db_; }

  /// Creates the tables if needed, in one write transaction (concurrent first writers would
  /// otherwise each insert a schema row).
  void ensure_schema() {
    exec("BEGIN IMMEDIATE");
    try {
      create_schema();
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    exec("COMMIT");
  }

 private:
  void create_schema() {
    exec("CREATE TABLE IF NOT EXISTS schema(version INTEGER NOT NULL)");
    exec(
        "CREATE TABLE IF NOT EXISTS runs(id INTEGER PRIMARY KEY, recorded_utc TEXT, name TEXT, "
        "output TEXT, git_commit TEXT, git_dirty TEXT, cpu TEXT, hostname TEXT, config_hash "
        "TEXT, started_utc TEXT, finished_utc TEXT, meta TEXT, UNIQUE(output, finished_utc))");
    exec(
        "CREATE TABLE IF NOT EXISTS summary(run_id INTEGER NOT NULL REFERENCES runs(id), "
        "key TEXT NOT NULL, metric TEXT NOT NULL, value REAL)");
    exec("CREATE INDEX IF NOT EXISTS summary_key ON summary(key, metric)");
    sqlite3_stmt* s = prepare("SELECT version FROM schema");
    int version = -1;
    if (sqlite3_step(s) == SQLITE_ROW) version = sqlite3_column_int(s, 0);
    sqlite3_finalize(s);
    if (version == -1)
      exec("INSERT INTO schema(version) VALUES(" + std::to_string(kSchemaVersion) + ")");
    else if (version != kSchemaVersion)
      throw InvalidArgument(path_ + ": schema version " + std::to_string(version) +
                            ", this specbench reads version " + std::to_string(kSchemaVersion));
  }

  std::string path_;
  sqlite3* db_ = nullptr;
};

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.c_str(), int(v.size()), SQLITE_TRANSIENT);
}

}  // namespace

long long record_run(const std::filesystem::path& results, const std::filesystem::path& db_path) {
  SPECBENCH_REQUIRE(std::filesystem::is_directory(results), results.string(),
                    ": not a result folder");
  const FolderLock lock(results, FolderLock::Mode::Shared);  // not while a run writes it
  nlohmann::json meta;
  {
    std::ifstream in(results / "meta.json");
    SPECBENCH_REQUIRE(bool(in), (results / "meta.json").string(), ": cannot open");
    try {
      meta = nlohmann::json::parse(in);
    } catch (const std::exception& e) {
      throw InvalidArgument((results / "meta.json").string() + ": " + e.what());
    }
  }
  SPECBENCH_REQUIRE(meta.value("status", "") == "complete", results.string(),
                    ": the run is not complete (status '", meta.value("status", ""), "')");
  const CsvTable summary = read_csv(results / "summary.csv");
  const char* keys[] = {"estimator", "params", "family", "m", "n", "precision", "step"};
  for (const char* k : keys)
    SPECBENCH_REQUIRE(summary.column(k) != std::string::npos, (results / "summary.csv").string(),
                      ": not a specbench summary.csv (no column '", k, "')");

  Database db(db_path);
  db.ensure_schema();
  db.exec("BEGIN IMMEDIATE");
  try {
    const auto& prov = meta["provenance"];
    sqlite3_stmt* ins = db.prepare(
        "INSERT OR IGNORE INTO runs(recorded_utc, name, output, git_commit, git_dirty, cpu, "
        "hostname, config_hash, started_utc, finished_utc, meta) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
    const std::string values[] = {utc_now(),
                                  meta.value("name", ""),
                                  std::filesystem::absolute(results).string(),
                                  prov.value("git_commit", ""),
                                  prov.value("git_dirty", ""),
                                  prov.value("cpu", ""),
                                  prov.value("hostname", ""),
                                  meta.value("config_hash", ""),
                                  meta.value("started_utc", ""),
                                  meta.value("finished_utc", ""),
                                  meta.dump()};
    for (int i = 0; i < 11; ++i) bind_text(ins, i + 1, values[i]);
    sqlite3_step(ins);
    sqlite3_finalize(ins);
    if (sqlite3_changes(db.get()) == 0) {  // the same output and finish time: recorded before
      db.exec("ROLLBACK");
      return 0;
    }
    const long long id = sqlite3_last_insert_rowid(db.get());
    sqlite3_stmt* row =
        db.prepare("INSERT INTO summary(run_id, key, metric, value) VALUES(?,?,?,?)");
    for (const auto& r : summary.rows) {
      std::string key;
      for (const char* k : keys) key += (key.empty() ? "" : "|") + r[summary.column(k)];
      for (std::size_t c = 0; c < summary.header.size(); ++c) {
        const std::string& h = summary.header[c];
        if (h == "estimator" || h == "params" || h == "family" || h == "m" || h == "n" ||
            h == "precision" || h == "step" || h == "checkpoint")
          continue;
        sqlite3_bind_int64(row, 1, id);
        bind_text(row, 2, key);
        bind_text(row, 3, h);
        double v = std::nan("");
        try {
          v = std::stod(r[c]);
        } catch (const std::exception&) {
        }
        if (std::isfinite(v))
          sqlite3_bind_double(row, 4, v);
        else
          sqlite3_bind_null(row, 4);
        db.step_done(row);
      }
    }
    sqlite3_finalize(row);
    db.exec("COMMIT");
    return id;
  } catch (...) {
    sqlite3_exec(db.get(), "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int print_history(const std::filesystem::path& db_path, const HistoryOptions& o,
                  std::ostream& out) {
  SPECBENCH_REQUIRE(std::filesystem::exists(db_path), db_path.string(), ": no such database");
  Database db(db_path);
  db.ensure_schema();
  sqlite3_stmt* s = db.prepare(
      "SELECT r.id, r.recorded_utc, r.git_commit, s.key, s.value FROM summary s JOIN runs r ON "
      "r.id = s.run_id WHERE s.metric = ? AND instr(s.key, ?) > 0 ORDER BY s.key, r.id");
  bind_text(s, 1, o.metric);
  bind_text(s, 2, o.filter);
  struct Point {
    long long run;
    std::string when, commit;
    double value;
  };
  std::map<std::string, std::vector<Point>> series;
  std::vector<std::string> order;
  while (sqlite3_step(s) == SQLITE_ROW) {
    const std::string key = reinterpret_cast<const char*>(sqlite3_column_text(s, 3));
    if (!series.count(key)) order.push_back(key);
    series[key].push_back(
        {sqlite3_column_int64(s, 0), reinterpret_cast<const char*>(sqlite3_column_text(s, 1)),
         reinterpret_cast<const char*>(sqlite3_column_text(s, 2)),
         sqlite3_column_type(s, 4) == SQLITE_NULL ? std::nan("") : sqlite3_column_double(s, 4)});
  }
  sqlite3_finalize(s);
  SPECBENCH_REQUIRE(!series.empty(), db_path.string(), ": no values of metric '", o.metric, "'",
                    o.filter.empty() ? "" : " for keys containing '" + o.filter + "'");
  int steps = 0;
  for (const auto& key : order) {
    const auto& pts = series[key];
    out << key << "  (" << o.metric << ")\n";
    for (std::size_t i = 0; i < pts.size(); ++i) {
      // A step at i: the level before (median of up to persist + 1 earlier values) and the
      // level after (median of x_i .. x_{i+persist-1}) differ by more than the threshold
      // (relative to the larger); x_{i-1} is still at the old level and every value of the
      // after window is closer to the new level. A single outlier moves neither median.
      bool step = false;
      const auto persist = std::size_t(std::max(1, o.persist));
      if (i > 0 && i + persist <= pts.size()) {
        auto window_median = [&](std::size_t a, std::size_t b) {
          std::vector<double> v;
          for (std::size_t k = a; k < b; ++k) v.push_back(pts[k].value);
          return median(std::move(v));
        };
        const double before = window_median(i > persist + 1 ? i - persist - 1 : 0, i);
        const double after = window_median(i, i + persist);
        const double scale = std::max(std::abs(before), std::abs(after));
        if (scale > 0 && std::abs(after - before) > o.threshold * scale) {
          step = std::abs(pts[i - 1].value - before) < std::abs(pts[i - 1].value - after);
          for (std::size_t k = 0; k < persist && step; ++k) {
            const double x = pts[i + k].value;
            step = std::abs(x - after) < std::abs(x - before);
          }
        }
      }
      steps += step;
      out << "  run " << std::setw(4) << pts[i].run << "  " << pts[i].when << "  "
          << pts[i].commit.substr(0, 10) << "  " << std::setw(12) << format_double(pts[i].value)
          << (step ? "  <- STEP" : "") << "\n";
    }
  }
  out << steps << " step(s) flagged\n";
  return steps;
}

}  // namespace specbench
