// The SQLite pieces the campaign stores share: a database opened for crash-safe appends, with a
// meta(key, value) table, and a prepared-statement wrapper. Only stores include this header.
#pragma once

#include <map>
#include <string>

struct sqlite3;
struct sqlite3_stmt;

namespace equimol::envs {

/// An open database in WAL mode with synchronous=NORMAL: each committed statement survives the process
/// being killed, so a store that commits each finding as it comes keeps everything reported.
class SqliteDatabase {
 public:
  /// Opens (creating when absent) `path`; `what` names it in errors ("campaign database").
  SqliteDatabase(const std::string& path, const std::string& what);
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  void execute(const std::string& sql) const;
  void set_meta(const std::string& key, const std::string& value);
  /// Every key in one transaction: a kill leaves all of them or none.
  void set_meta(const std::map<std::string, std::string>& values);
  std::map<std::string, std::string> meta() const;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

/// The meta table of the database at `path`, opened read-only (no table or row is created or changed;
/// SQLite may leave the -wal/-shm companions a WAL database is read with): what a command checks before
/// it takes a store over. Empty when the file has no meta table; throws
/// std::invalid_argument naming `path` and `what` when it is not an SQLite database.
std::map<std::string, std::string> read_meta(const std::string& path, const std::string& what);

/// A prepared statement, finalised on scope exit. bind() indices start at 1, columns at 0.
class SqliteStatement {
 public:
  SqliteStatement(const SqliteDatabase& db, const std::string& sql);
  ~SqliteStatement();
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& bind(int k, double v);
  SqliteStatement& bind(int k, long v);
  SqliteStatement& bind(int k, int v);
  SqliteStatement& bind(int k, const std::string& v);
  SqliteStatement& bind_null(int k);
  /// Steps once; true while a row is available.
  bool step();
  double real(int col) const;
  long integer(int col) const;
  bool is_null(int col) const;
  std::string text(int col) const;

 private:
  SqliteStatement& check(int rc);
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace equimol::envs
