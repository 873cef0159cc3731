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
  for (int k = 0; k < 5; ++k) BOOST_TEST(record_run(t.run(k, step_values[k]), db) > 0);
  BOOST_TEST(record_run(t.run(0, 1), db) == 0);  // the same run again: not recorded twice
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
  BOOST_TEST(record_run(t.run(1, 2), db) > 0);
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
  BOOST_TEST(record_run(dir, db) > 0);
  std::ostringstream out;
  print_history(db, {.filter = "|f64|3"}, out);
  BOOST_TEST(out.str().find("nan") != std::string::npos, out.str());
}

BOOST_AUTO_TEST_SUITE_END()
