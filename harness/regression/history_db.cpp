#include "harness/regression/history_db.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <stdexcept>
#include <thread>

#include "core/error.hpp"

namespace specbench::regression {
namespace {

constexpr int kSchemaVersion = 1;

/// The database and the files SQLite keeps beside it must be regular files or absent: a symbolic
/// link (or a FIFO, a device) planted in a shared folder would make SQLite write through it, or
/// block. SQLITE_OPEN_NOFOLLOW refuses a linked database at open; this also covers -wal, -shm and
/// -journal, which SQLite opens following links.
void require_regular_or_absent(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    const std::string file = path + suffix;
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      throw InvalidArgument(file + ": cannot inspect the database file");
    }
    if (!S_ISREG(st.st_mode))
      throw InvalidArgument(file + ": not a regular file (" +
                            (S_ISLNK(st.st_mode) ? "a symbolic link" : "a FIFO, device or folder") +
                            "): the history database is never opened through one");
  }
}

}  // namespace

Database::Database(const std::filesystem::path& path) : path_(path.string()) {
  require_regular_or_absent(path_);
  if (sqlite3_open_v2(path_.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW,
                      nullptr) != SQLITE_OK)
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

void Database::exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    const std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw InvalidArgument(path_ + ": " + msg + " (in: " + sql.substr(0, 60) + ")");
  }
}

sqlite3_stmt* Database::prepare(const std::string& sql) {
  sqlite3_stmt* s = nullptr;
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK)
    throw InvalidArgument(path_ + ": " + sqlite3_errmsg(db_));
  return s;
}

void Database::step_done(sqlite3_stmt* s) {
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
    const std::string reason = sqlite3_errmsg(db_);
    sqlite3_reset(s);
    throw std::runtime_error(path_ + ": the database refused a write (" + reason + ")");
  }
  sqlite3_reset(s);
}

void Database::ensure_schema() {
  exec("BEGIN IMMEDIATE");
  try {
    create_schema();
  } catch (...) {
    rollback();
    throw;
  }
  exec("COMMIT");
}

void Database::create_schema() {
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

void bind_text(sqlite3_stmt* s, int i, const std::string& v) {
  sqlite3_bind_text(s, i, v.c_str(), int(v.size()), SQLITE_TRANSIENT);
}

}  // namespace specbench::regression
