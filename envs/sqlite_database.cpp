#include "envs/sqlite_database.h"

#include <sqlite3.h>

#include <stdexcept>

namespace equimol::envs {

SqliteDatabase::SqliteDatabase(const std::string& path, const std::string& what) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": cannot open " + what + " (" + message + ")");
  }
  sqlite3_busy_timeout(db_, 5000);
  execute("PRAGMA journal_mode=WAL");
  execute("PRAGMA synchronous=NORMAL");
  execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
}

SqliteDatabase::~SqliteDatabase() { sqlite3_close(db_); }

void SqliteDatabase::execute(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(path_ + ": " + message);
  }
}

void SqliteDatabase::set_meta(const std::string& key, const std::string& value) {
  SqliteStatement(*this, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").bind(1, key).bind(2, value).step();
}

void SqliteDatabase::set_meta(const std::map<std::string, std::string>& values) {
  execute("BEGIN");
  try {
    for (const auto& [key, value] : values) set_meta(key, value);
    execute("COMMIT");
  } catch (...) {
    // After SQLITE_FULL or an I/O error SQLite may have rolled back already; the first error is the one to report.
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::map<std::string, std::string> read_meta(const std::string& path, const std::string& what) {
  sqlite3* db = nullptr;
  const int opened = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  std::map<std::string, std::string> out;
  std::string error;
  sqlite3_stmt* stmt = nullptr;
  if (opened != SQLITE_OK) {
    error = db ? sqlite3_errmsg(db) : "out of memory";
  } else if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta", -1, &stmt, nullptr) != SQLITE_OK) {
    const std::string message = sqlite3_errmsg(db);
    if (message.rfind("no such table", 0) != 0) error = message;  // no meta table: nothing stored
  } else {
    int rc = SQLITE_ROW;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      out[reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0))] =
          reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
    }
    if (rc != SQLITE_DONE) error = sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  if (!error.empty()) throw std::invalid_argument(path + ": cannot read the " + what + " (" + error + ")");
  return out;
}

std::map<std::string, std::string> SqliteDatabase::meta() const {
  std::map<std::string, std::string> out;
  SqliteStatement s(*this, "SELECT key, value FROM meta");
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

SqliteStatement::SqliteStatement(const SqliteDatabase& db, const std::string& sql) : db_(db.handle()) {
  if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
  }
}

SqliteStatement::~SqliteStatement() { sqlite3_finalize(stmt_); }

SqliteStatement& SqliteStatement::check(int rc) {
  if (rc != SQLITE_OK) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  return *this;
}

SqliteStatement& SqliteStatement::bind(int k, double v) { return check(sqlite3_bind_double(stmt_, k, v)); }
SqliteStatement& SqliteStatement::bind(int k, long v) { return check(sqlite3_bind_int64(stmt_, k, v)); }
SqliteStatement& SqliteStatement::bind(int k, int v) { return check(sqlite3_bind_int(stmt_, k, v)); }
SqliteStatement& SqliteStatement::bind(int k, const std::string& v) {
  return check(sqlite3_bind_text(stmt_, k, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
}
SqliteStatement& SqliteStatement::bind_null(int k) { return check(sqlite3_bind_null(stmt_, k)); }

bool SqliteStatement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
}

double SqliteStatement::real(int col) const { return sqlite3_column_double(stmt_, col); }
long SqliteStatement::integer(int col) const { return static_cast<long>(sqlite3_column_int64(stmt_, col)); }
bool SqliteStatement::is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::string SqliteStatement::text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  return p ? reinterpret_cast<const char*>(p) : "";
}

}  // namespace equimol::envs
