#include "envs/campaign_store.h"

#include <sqlite3.h>

#include <sstream>
#include <stdexcept>

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
  /// Steps once; true while a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
  }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }
  long integer(int col) const { return static_cast<long>(sqlite3_column_int64(stmt_, col)); }
  bool is_null(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
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

std::string bonds_text(const BondGraph& graph) {
  std::ostringstream out;
  for (size_t k = 0; k < graph.bonds.size(); ++k) out << (k ? " " : "") << graph.bonds[k].first << "-" << graph.bonds[k].second;
  return out.str();
}

BondGraph parse_bonds(int n_atoms, const std::string& text) {
  BondGraph graph{n_atoms, {}};
  std::istringstream in(text);
  for (std::string pair; in >> pair;) {
    const size_t dash = pair.find('-');
    graph.bonds.emplace_back(std::stoi(pair.substr(0, dash)), std::stoi(pair.substr(dash + 1)));
  }
  return graph;
}

}  // namespace

CampaignStore::CampaignStore(const std::string& path) : path_(path) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
    sqlite3_close(db_);
    throw std::runtime_error(path + ": cannot open campaign database (" + message + ")");
  }
  sqlite3_busy_timeout(db_, 5000);
  // WAL with synchronous=NORMAL: a committed statement survives the process being killed.
  execute("PRAGMA journal_mode=WAL");
  execute("PRAGMA synchronous=NORMAL");
  execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  execute(
      "CREATE TABLE IF NOT EXISTS minima (id INTEGER PRIMARY KEY, energy REAL NOT NULL, smiles TEXT, "
      "graph_hash TEXT, first_step INTEGER, visits INTEGER, bonds TEXT, xyz TEXT NOT NULL)");
  execute(
      "CREATE TABLE IF NOT EXISTS transitions (step INTEGER PRIMARY KEY, from_id INTEGER, to_id INTEGER, "
      "action TEXT, outcome TEXT, reward REAL, gradient_calls INTEGER, relaxations INTEGER, bond_change INTEGER)");
}

CampaignStore::~CampaignStore() { sqlite3_close(db_); }

void CampaignStore::execute(const std::string& sql) const {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    const std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    throw std::runtime_error(path_ + ": " + message);
  }
}

void CampaignStore::set_meta(const std::string& key, const std::string& value) {
  Statement(db_, "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").bind(1, key).bind(2, value).step();
}

std::map<std::string, std::string> CampaignStore::meta() const {
  std::map<std::string, std::string> out;
  Statement s(db_, "SELECT key, value FROM meta");
  while (s.step()) out[s.text(0)] = s.text(1);
  return out;
}

void CampaignStore::minimum_found(const MinimumRecord& record) {
  std::ostringstream xyz;
  write_extxyz(xyz, record.minimum.atoms);
  Statement(db_,
            "INSERT OR REPLACE INTO minima (id, energy, smiles, graph_hash, first_step, visits, bonds, xyz) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, record.id)
      .bind(2, record.minimum.energy)
      .bind(3, record.smiles)
      .bind(4, record.graph_hash)
      .bind(5, record.first_step)
      .bind(6, record.visits)
      .bind(7, bonds_text(record.minimum.graph))
      .bind(8, xyz.str())
      .step();
}

void CampaignStore::transition(const Transition& t, const MinimaRegistry& registry) {
  Statement insert(db_,
                   "INSERT OR REPLACE INTO transitions (step, from_id, to_id, action, outcome, reward, "
                   "gradient_calls, relaxations, bond_change) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, t.step).bind(2, t.from);
  if (t.to >= 0) insert.bind(3, t.to); else insert.bind_null(3);
  insert.bind(4, t.action).bind(5, t.outcome).bind(6, t.reward).bind(7, t.gradient_calls).bind(8, t.relaxations);
  insert.bind(9, t.bond_change ? 1 : 0);
  insert.step();
  if (t.to >= 0) {
    Statement(db_, "UPDATE minima SET visits = ? WHERE id = ?").bind(1, registry.at(t.to).visits).bind(2, t.to).step();
  }
}

CampaignStore::Loaded CampaignStore::load(const SameMinimumOptions& options) const {
  Loaded loaded{MinimaRegistry(options), {}, 0, {}};
  Statement minima(db_, "SELECT id, energy, smiles, graph_hash, first_step, visits, bonds, xyz FROM minima ORDER BY id");
  while (minima.step()) {
    MinimumRecord record;
    std::istringstream xyz(minima.text(7));
    record.minimum.atoms = read_xyz(xyz, path_ + " minimum " + std::to_string(minima.integer(0))).front();
    record.minimum.energy = minima.real(1);
    record.smiles = minima.text(2);
    record.minimum.identity = record.smiles;
    record.graph_hash = minima.text(3);
    record.first_step = minima.integer(4);
    record.visits = minima.integer(5);
    record.minimum.graph = parse_bonds(record.minimum.atoms.size(), minima.text(6));
    if (loaded.registry.add(record) != minima.integer(0)) {
      throw std::runtime_error(path_ + ": minima ids are not contiguous; the database was edited");
    }
  }
  Statement steps(db_,
                  "SELECT step, from_id, to_id, action, outcome, reward, gradient_calls, relaxations, bond_change FROM transitions "
                  "ORDER BY step");
  while (steps.step()) {
    Transition t;
    t.step = steps.integer(0);
    t.from = static_cast<int>(steps.integer(1));
    t.to = steps.is_null(2) ? -1 : static_cast<int>(steps.integer(2));
    t.action = steps.text(3);
    t.outcome = steps.text(4);
    t.reward = steps.real(5);
    t.gradient_calls = steps.integer(6);
    t.relaxations = steps.integer(7);
    t.bond_change = steps.integer(8) != 0;
    PesCounters& c = loaded.counters;
    c.steps = std::max(c.steps, t.step);
    c.gradient_calls += t.gradient_calls;
    c.relaxations += t.relaxations;
    c.scf_failures += t.outcome == "scf-failure";
    c.unconverged += t.outcome == "unconverged";
    c.dissociations += t.outcome == "dissociated";
    c.new_minima += t.outcome == "new";
    if (t.to >= 0) loaded.current_id = t.to;
    loaded.transitions.push_back(std::move(t));
  }
  const auto stored = meta();
  // The start structure's relaxation happens before the first step (PesEnv reset).
  if (const auto it = stored.find("start_relaxations"); it != stored.end()) loaded.counters.relaxations += std::stol(it->second);
  if (const auto it = stored.find("start_gradient_calls"); it != stored.end()) {
    loaded.counters.gradient_calls += std::stol(it->second);
  }
  return loaded;
}

}  // namespace equimol::envs
