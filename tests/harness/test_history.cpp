// The SQLite run history: record / history round trip, steps versus single outliers, concurrent
// writers, a writer killed mid-transaction, and bad inputs.

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "core/error.hpp"
#include "harness/regression/history.hpp"

namespace fs = std::filesystem;
using namespace specbench;

namespace {

struct Tmp {
  fs::path root = fs::temp_directory_path() / ("specbench_hist_" + std::to_string(::getpid()));
  Tmp() {
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~Tmp() { fs::remove_all(root); }
  /// A complete result directory whose single summary row has rel_err_median = value.
  fs::path run(int k, double value) const {
    const auto dir = root / ("run" + std::to_string(k));
    fs::create_directories(dir);
    std::ofstream(dir / "meta.json")
        << R"({"name": "t", "status": "complete", "config_hash": "abc", "finished_utc": "2026-01-)"
        << 10 + k << R"(T00:00:00Z", "provenance": {"git_commit": "c)" << k << R"("}})";
    std::ofstream(dir / "summary.csv")
        << "estimator,params,family,m,n,precision,checkpoint,step,rows,rel_err_median\n"
        << "power,iters=5,gaussian,20,10,f64,5,,10," << value << "\n";
    return dir;
  }
};

long long count_runs(const fs::path& db) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(h, "SELECT count(*) FROM runs", -1, &s, nullptr);
  sqlite3_step(s);
  const long long n = sqlite3_column_int64(s, 0);
  sqlite3_finalize(s);
  sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &s, nullptr);
  sqlite3_step(s);
  const std::string ok = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(h);
  BOOST_TEST(ok == "ok");
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(history)

// Values 1, 1, 2, 2, 2 (a step at run 3), then 1, 1, 5, 1, 1 (an outlier at run 3: no step).
BOOST_AUTO_TEST_CASE(steps_are_flagged_outliers_are_not) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  const double step_values[] = {1, 1, 2, 2, 2};
  for (int k = 0; k < 5; ++k) BOOST_TEST(record_run(t.run(k, step_values[k]), db).id > 0);
  const Recorded again = record_run(t.run(0, 1), db);  // the same run: not recorded twice
  BOOST_TEST(again.duplicate);
  BOOST_TEST(again.id == 1);
  std::ostringstream out;
  BOOST_TEST(print_history(db, {}, out) == 1, out.str());
  BOOST_TEST(out.str().find("<- STEP") != std::string::npos);

  const auto db2 = t.root / "h2.sqlite";
  const double outlier[] = {1, 1, 5, 1, 1};
  for (int k = 0; k < 5; ++k) record_run(t.run(10 + k, outlier[k]), db2);
  std::ostringstream out2;
  BOOST_TEST(print_history(db2, {}, out2) == 0, out2.str());
  BOOST_CHECK_THROW(print_history(db2, {.metric = "no_such"}, out2), InvalidArgument);
}

BOOST_AUTO_TEST_CASE(concurrent_records_all_land) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  std::vector<fs::path> dirs;
  for (int k = 0; k < 6; ++k) dirs.push_back(t.run(k, 1 + k));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (const auto& d : dirs)
    threads.emplace_back([&, d] {
      try {
        record_run(d, db);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "record_run: %s\n", e.what());
        ++failures;
      }
    });
  for (auto& th : threads) th.join();
  BOOST_TEST(failures == 0);
  BOOST_TEST(count_runs(db) == 6);
}

// A writer killed inside its transaction: nothing of it remains, and the database still works.
BOOST_AUTO_TEST_CASE(a_killed_writer_leaves_the_database_intact) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  record_run(t.run(0, 1), db);
  const pid_t pid = ::fork();
  if (pid == 0) {
    sqlite3* h = nullptr;
    sqlite3_open(db.c_str(), &h);
    sqlite3_exec(h, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
    sqlite3_exec(h, "INSERT INTO runs(name, output, finished_utc) VALUES('half', 'x', 'y')",
                 nullptr, nullptr, nullptr);
    ::kill(::getpid(), SIGKILL);  // dies holding the write lock, mid-transaction
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  BOOST_TEST(WIFSIGNALED(status));
  BOOST_TEST(count_runs(db) == 1);  // the half-written run is gone
  BOOST_TEST(record_run(t.run(1, 2), db).id > 0);
  BOOST_TEST(count_runs(db) == 2);
}

BOOST_AUTO_TEST_CASE(bad_inputs) {
  Tmp t;
  BOOST_CHECK_THROW(record_run(t.root / "missing", t.root / "h.sqlite"), InvalidArgument);
  const auto dir = t.run(0, 1);
  std::ofstream(dir / "meta.json") << R"({"status": "running"})";
  BOOST_CHECK_THROW(record_run(dir, t.root / "h.sqlite"), InvalidArgument);
  std::ostringstream out;
  BOOST_CHECK_THROW(print_history(t.root / "none.sqlite", {}, out), InvalidArgument);
}

// summary.csv is read as typed rows: a field that is not a number, a row of the wrong length, a
// header without the key columns first, or a torn last line is refused naming the file and line,
// and nothing is recorded.
BOOST_AUTO_TEST_CASE(a_malformed_summary_is_refused_with_its_line) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  const std::string header =
      "estimator,params,family,m,n,precision,checkpoint,step,rows,rel_err_median\n";
  const std::pair<std::string, std::string> cases[] = {
      {header +
           "power,iters=5,gaussian,20,10,f64,5,,10,1e-3\npower,iters=5,gaussian,20,10,f64,5,,10,"
           "abc\n",
       "summary.csv:3: column 'rel_err_median'"},
      {header + "power,iters=5,gaussian,20,10,f64,5,,10\n", "summary.csv:2: 9 fields"},
      {header + "power,iters=5,gaussian,2x,10,f64,5,,10,1\n", "summary.csv:2: column 'm'"},
      {header + "power,iters=5,gaussian,20,10,f64,5,-1,10,1\n", "summary.csv:2: column 'step'"},
      {header + "power,iters=5,gaussian,20,10,f64,5,,10,1", "summary.csv:2: a torn last line"},
      {"params,estimator,family,m,n,precision,checkpoint,step,rows\n", "column 1 is 'params'"},
      {"estimator,params,family,m,n,precision,checkpoint,rows\n", "no column 'step'"},
  };
  for (const auto& [text, message] : cases) {
    const auto dir = t.run(0, 1);
    std::ofstream(dir / "summary.csv") << text;
    std::string what;
    try {
      record_run(dir, db);
    } catch (const InvalidArgument& e) {
      what = e.what();
    }
    BOOST_TEST(what.find(message) != std::string::npos, what << " (expected: " << message << ")");
  }
  BOOST_TEST(!fs::exists(db));  // refused before the database was opened
  // A drift step and a non-finite statistic are fine (NULL in the database).
  const auto dir = t.run(1, 1);
  std::ofstream(dir / "summary.csv") << header << "power,iters=5,gaussian,20,10,f64,5,3,10,nan\n";
  BOOST_TEST(record_run(dir, db).id > 0);
  std::ostringstream out;
  print_history(db, {.filter = "|f64|3"}, out);
  BOOST_TEST(out.str().find("nan") != std::string::npos, out.str());
}

/// Runs `sql` on the database at `db` (for tests that give it a trigger).
void exec_sql(const fs::path& db, const char* sql) {
  sqlite3* h = nullptr;
  sqlite3_open(db.c_str(), &h);
  sqlite3_exec(h, sql, nullptr, nullptr, nullptr);
  sqlite3_close(h);
}

// An INSERT the database refuses (a trigger's RAISE(ABORT)) or silently drops (RAISE(IGNORE),
// what INSERT OR IGNORE used to turn into "already recorded") is an error with the reason, not a
// duplicate; nothing is left of the run. A real duplicate is still found and reported as one.
BOOST_AUTO_TEST_CASE(a_refused_insert_is_an_error_not_a_duplicate) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  BOOST_TEST(record_run(t.run(0, 1), db).id == 1);
  exec_sql(db,
           "CREATE TRIGGER no_more BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'read-only "
           "history'); END");
  std::string what;
  try {
    record_run(t.run(1, 2), db);
  } catch (const InvalidArgument&) {
    what = "InvalidArgument";  // bad input: the wrong kind (exit 2)
  } catch (const std::runtime_error& e) {
    what = e.what();
  }
  BOOST_TEST(what.find("refused the run (read-only history)") != std::string::npos, what);
  BOOST_TEST(count_runs(db) == 1);
  exec_sql(db, "DROP TRIGGER no_more");
  exec_sql(db, "CREATE TRIGGER drop_it BEFORE INSERT ON runs BEGIN SELECT RAISE(IGNORE); END");
  BOOST_CHECK_EXCEPTION(record_run(t.run(1, 2), db), std::runtime_error,
                        [](const std::runtime_error& e) {
                          return std::string(e.what()).find("ignored") != std::string::npos;
                        });
  exec_sql(db, "DROP TRIGGER drop_it");
  exec_sql(db, "CREATE TRIGGER drop_rows BEFORE INSERT ON summary BEGIN SELECT RAISE(IGNORE); END");
  BOOST_CHECK_THROW(record_run(t.run(1, 2), db), std::runtime_error);  // summary rows dropped
  BOOST_TEST(count_runs(db) == 1);                                     // rolled back whole
  const Recorded again = record_run(t.run(0, 1), db);
  BOOST_TEST((again.duplicate && again.id == 1));
}

// --format json: one object with every key's points, the steps marked up or down, and the
// exit code the command will return (1 when a step is flagged).
BOOST_AUTO_TEST_CASE(history_as_json) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  const double values[] = {1, 1, 2, 2, 2};
  for (int k = 0; k < 5; ++k) record_run(t.run(k, values[k]), db);
  std::ostringstream out;
  BOOST_TEST(print_history(db, {.format = "json"}, out) == 1);
  const auto j = nlohmann::json::parse(out.str());
  BOOST_TEST(j["steps"] == 1);
  BOOST_TEST(j["exit_code"] == 1);
  BOOST_TEST(j["metric"] == "rel_err_median");
  BOOST_TEST(j["series"].size() == 1u);
  const auto& pts = j["series"][0]["points"];
  BOOST_TEST(pts.size() == 5u);
  BOOST_TEST(pts[2]["step"] == "up");
  BOOST_TEST(pts[1]["step"].is_null());
  BOOST_TEST(pts[2]["value"] == 2.0);
  BOOST_TEST(pts[2]["git_commit"] == "c2");
  BOOST_CHECK_THROW(print_history(db, {.format = "xml"}, out), InvalidArgument);
}

// Every meta.json that is not a specbench object is refused naming the file, never a raw JSON
// type error: an array, a string, a status that is a number, provenance that is an array.
BOOST_AUTO_TEST_CASE(a_meta_json_that_is_not_an_object_is_refused) {
  Tmp t;
  const auto db = t.root / "h.sqlite";
  const std::pair<const char*, const char*> cases[] = {
      {"[1, 2]", "not a specbench meta.json (a JSON array, expected an object)"},
      {"\"complete\"", "not a specbench meta.json (a JSON string"},
      {R"({"status": 3})", "'status' is number, expected string"},
      {R"({"status": "complete", "provenance": []})", "'provenance' is array, expected object"},
      {R"({"status": "complete", "provenance": {"git_commit": 1}})",
       "'provenance.git_commit' is number"},
      {"{", "does not parse"},
  };
  for (const auto& [text, message] : cases) {
    const auto dir = t.run(0, 1);
    std::ofstream(dir / "meta.json") << text;
    std::string what;
    try {
      record_run(dir, db);
    } catch (const InvalidArgument& e) {
      what = e.what();
    }
    BOOST_TEST(what.find((dir / "meta.json").string() + ": ") == 0u, what);
    BOOST_TEST(what.find(message) != std::string::npos, what << " (expected: " << message << ")");
  }
  BOOST_TEST(!fs::exists(db));
}

BOOST_AUTO_TEST_SUITE_END()
