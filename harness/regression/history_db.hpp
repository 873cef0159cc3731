#pragma once
/// \file
/// The SQLite database behind `specbench record` and `specbench history` (schema in
/// history.hpp): opened in WAL mode with a busy timeout, so that concurrent writers queue.

#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace specbench::regression {

class Database {
 public:
  /// Opens (creating it if needed) the database at `path`, in WAL mode.
  explicit Database(const std::filesystem::path& path);
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  /// Runs `sql`; InvalidArgument "PATH: MESSAGE (in: SQL)" on an error.
  void exec(const std::string& sql);
  /// A prepared statement (the caller finalizes it).
  sqlite3_stmt* prepare(const std::string& sql);
  /// Steps `s` once and resets it; std::runtime_error "PATH: REASON" on an error (a write the
  /// database refused is a failure, exit 1, not bad input).
  void step_done(sqlite3_stmt* s);
  /// Rolls back the open transaction, ignoring errors (for cleanup paths).
  void rollback() { sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr); }
  sqlite3* get() { return db_; }
  const std::string& path() const { return path_; }

  /// Creates the tables if needed, in one write transaction (concurrent first writers would
  /// otherwise each insert a schema row); InvalidArgument on another schema version.
  void ensure_schema();

 private:
  void create_schema();

  std::string path_;
  sqlite3* db_ = nullptr;
};

/// Binds `v` as text to parameter `i` (1-based) of `s`.
void bind_text(sqlite3_stmt* s, int i, const std::string& v);

}  // namespace specbench::regression
