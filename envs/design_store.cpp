#include "envs/design_store.h"

#include <sqlite3.h>

#include <sstream>
#include <stdexcept>

#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

// A prepared statement, finalised on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + sql);
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int k, double v) { return check(sqlite3_bind_double(stmt_, k, v)); }
  Statement& bind(int k, long v) { return check(sqlite3_bind_int64(stmt_, k, v)); }
  Statement& bind(int k, int v) { return check(sqlite3_bind_int(stmt_, k, v)); }
  Statement& bind(int k, const std::string& v) {
    return check(sqlite3_bind_text(stmt_, k, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Statement& bind_null(int k) { return check(sqlite3_bind_null(stmt_, k)); }
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  long integer(int col) const { return static_cast<long>(sqlite3_column_int64(stmt_, col)); }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? reinterpret_cast<const char*>(p) : "";
  }

 private:
  Statement& check(int rc) {
    if (rc != SQLITE_OK) throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    return *this;
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

std::string extxyz(const Atoms& atoms) {
  std::ostringstream out;
  write_extxyz(out, atoms);
  return out.str();
}

}  // namespace

DesignStore::DesignStore(const std::string& path) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": cannot open design database (" + message + ")");
  }
  sqlite3_busy_timeout(db_, 5000);
  // WAL with synchronous=NORMAL: a committed statement survives the process being killed.
  execute("PRAGMA journal_mode=WAL");
  execute("PRAGMA synchronous=NORMAL");
  execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  execute(
      "CREATE TABLE IF NOT EXISTS molecules (episode INTEGER PRIMARY KEY, formula TEXT NOT NULL, smiles TEXT, "
      "valid INTEGER NOT NULL, complete INTEGER NOT NULL, fragments INTEGER, sanitized INTEGER, ending TEXT, "
      "steps INTEGER, n_atoms INTEGER, return_ev REAL, return_hartree REAL, energy_ev REAL, energy_hartree REAL, "
      "relaxed_energy_ev REAL, relaxed_energy_hartree REAL, relaxed_return_ev REAL, relaxed_return_hartree REAL, "
      "relaxed_smiles TEXT, relaxed_valid INTEGER, xyz TEXT NOT NULL, relaxed_xyz TEXT, radical_electrons INTEGER)");
}

DesignStore::~DesignStore() { sqlite3_close(db_); }

void DesignStore::execute(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(path_ + ": " + message);
  }
}

void DesignStore::set_meta(const std::string& key, const std::string& value) {
  Statement(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").bind(1, key).bind(2, value).step();
}

std::map<std::string, std::string> DesignStore::meta() const {
  std::map<std::string, std::string> out;
  Statement s(db_, "SELECT key, value FROM meta");
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

void DesignStore::molecule_designed(const DesignedMolecule& m) {
  Statement insert(db_,
                   "INSERT OR REPLACE INTO molecules (episode, formula, smiles, valid, complete, fragments, sanitized, "
                   "ending, steps, n_atoms, return_ev, return_hartree, energy_ev, energy_hartree, relaxed_energy_ev, "
                   "relaxed_energy_hartree, relaxed_return_ev, relaxed_return_hartree, relaxed_smiles, relaxed_valid, "
                   "xyz, relaxed_xyz, radical_electrons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, m.episode).bind(2, m.formula).bind(3, m.smiles).bind(4, m.valid ? 1 : 0).bind(5, m.complete ? 1 : 0);
  insert.bind(6, m.fragments).bind(7, m.sanitized ? 1 : 0).bind(8, m.ending).bind(9, m.steps).bind(10, m.atoms.size());
  insert.bind(11, m.return_ev).bind(12, m.return_ev * units::kEvToHartree);
  insert.bind(13, m.energy_ev).bind(14, m.energy_ev * units::kEvToHartree);
  if (m.relaxed) {
    const RelaxedMolecule& r = *m.relaxed;
    insert.bind(15, r.energy_ev).bind(16, r.energy_ev * units::kEvToHartree);
    insert.bind(17, r.atomization_ev).bind(18, r.atomization_ev * units::kEvToHartree);
    insert.bind(19, r.smiles).bind(20, r.valid ? 1 : 0).bind(22, extxyz(r.atoms));
  } else {
    for (int k = 15; k <= 20; ++k) insert.bind_null(k);
    insert.bind_null(22);
  }
  insert.bind(21, extxyz(m.atoms)).bind(23, m.radical_electrons);
  insert.step();
}

long DesignStore::count() const {
  Statement s(db_, "SELECT COUNT(*) FROM molecules");
  s.step();
  return s.integer(0);
}

}  // namespace equimol::envs
