#include "envs/campaign_store.h"

#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

/// The counters of the start structure (relaxation and check before the first step), kept in meta.
const std::pair<const char*, long PesCounters::*> kStartCounters[] = {
    {"start_relaxations", &PesCounters::relaxations},
    {"start_gradient_calls", &PesCounters::gradient_calls},
    {"start_saddles", &PesCounters::saddles},
    {"start_saddle_checks", &PesCounters::saddle_checks},
    {"start_saddle_check_calls", &PesCounters::saddle_check_calls},
    {"start_scf_failures", &PesCounters::scf_failures},
    {"start_unconverged", &PesCounters::unconverged},
    {"start_dissociations", &PesCounters::dissociations},
};

}  // namespace

CampaignStore::CampaignStore(const std::string& path) : db_(path, "campaign database") {
  db_.execute(
      "CREATE TABLE IF NOT EXISTS minima (id INTEGER PRIMARY KEY, energy REAL NOT NULL, smiles TEXT, "
      "graph_hash TEXT, first_step INTEGER, visits INTEGER, bonds TEXT, xyz TEXT NOT NULL)");
  db_.execute(
      "CREATE TABLE IF NOT EXISTS transitions (step INTEGER PRIMARY KEY, from_id INTEGER, to_id INTEGER, "
      "action TEXT, outcome TEXT, reward REAL, gradient_calls INTEGER, relaxations INTEGER, bond_change INTEGER, "
      "saddles INTEGER DEFAULT 0, saddle_checks INTEGER DEFAULT 0, saddle_check_calls INTEGER DEFAULT 0, "
      "scf_failures INTEGER, unconverged INTEGER, dissociations INTEGER)");
  // Campaigns stored before these columns existed gain them: saddle counts as zeros (lost), failure
  // counts as NULL (load() then counts the failed outcomes, as it did).
  std::set<std::string> columns;
  for (SqliteStatement info(db_, "PRAGMA table_info(transitions)"); info.step();) columns.insert(info.text(1));
  for (const char* column : {"saddles", "saddle_checks", "saddle_check_calls"}) {
    if (!columns.count(column)) db_.execute(std::string("ALTER TABLE transitions ADD COLUMN ") + column + " INTEGER DEFAULT 0");
  }
  for (const char* column : {"scf_failures", "unconverged", "dissociations"}) {
    if (!columns.count(column)) db_.execute(std::string("ALTER TABLE transitions ADD COLUMN ") + column + " INTEGER");
  }
}

void CampaignStore::start_done(const PesCounters& c) {
  for (const auto& [key, counter] : kStartCounters) set_meta(key, std::to_string(c.*counter));
  commit_step();
}

CampaignStore::~CampaignStore() {
  try {
    commit_step();  // a step cut short by an error keeps what it found
  } catch (...) {
  }
}

void CampaignStore::begin_step() {
  if (step_open_) return;
  db_.execute("BEGIN");
  step_open_ = true;
}

void CampaignStore::commit_step() {
  if (!step_open_) return;
  db_.execute("COMMIT");
  step_open_ = false;
}

void CampaignStore::set_meta(const std::string& key, const std::string& value) { db_.set_meta(key, value); }

std::map<std::string, std::string> CampaignStore::meta() const { return db_.meta(); }

void CampaignStore::minimum_found(const MinimumRecord& record) {
  begin_step();
  std::ostringstream xyz;
  write_extxyz(xyz, record.minimum.atoms);
  SqliteStatement(db_,
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
  begin_step();
  {
    SqliteStatement insert(db_,
                           "INSERT OR REPLACE INTO transitions (step, from_id, to_id, action, outcome, reward, "
                           "gradient_calls, relaxations, bond_change, saddles, saddle_checks, saddle_check_calls, "
                           "scf_failures, unconverged, dissociations) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    insert.bind(1, t.step).bind(2, t.from);
    if (t.to >= 0) insert.bind(3, t.to); else insert.bind_null(3);
    insert.bind(4, t.action).bind(5, t.outcome).bind(6, t.reward).bind(7, t.gradient_calls).bind(8, t.relaxations);
    insert.bind(9, t.bond_change ? 1 : 0).bind(10, t.saddles).bind(11, t.saddle_checks).bind(12, t.saddle_check_calls);
    insert.bind(13, t.scf_failures).bind(14, t.unconverged).bind(15, t.dissociations);
    insert.step();
  }
  if (t.to >= 0) {
    SqliteStatement(db_, "UPDATE minima SET visits = ? WHERE id = ?").bind(1, registry.at(t.to).visits).bind(2, t.to).step();
  }
  commit_step();
}

void CampaignStore::moved_to(int minimum_id, long step) {
  set_meta("position", std::to_string(step) + " " + std::to_string(minimum_id));
}

CampaignStore::Loaded CampaignStore::load(const SameMinimumOptions& options) const {
  Loaded loaded{MinimaRegistry(options), {}, 0, {}};
  SqliteStatement minima(db_, "SELECT id, energy, smiles, graph_hash, first_step, visits, bonds, xyz FROM minima ORDER BY id");
  while (minima.step()) {
    MinimumRecord record;
    std::istringstream xyz(minima.text(7));
    record.minimum.atoms = read_xyz(xyz, db_.path() + " minimum " + std::to_string(minima.integer(0))).front();
    record.minimum.energy = minima.real(1);
    record.smiles = minima.text(2);
    record.minimum.identity = record.smiles;
    record.graph_hash = minima.text(3);
    record.first_step = minima.integer(4);
    record.visits = minima.integer(5);
    record.minimum.graph = parse_bonds(record.minimum.atoms.size(), minima.text(6));
    if (loaded.registry.add(record) != minima.integer(0)) {
      throw std::runtime_error(db_.path() + ": minima ids are not contiguous; the database was edited");
    }
  }
  SqliteStatement steps(db_,
                  "SELECT step, from_id, to_id, action, outcome, reward, gradient_calls, relaxations, bond_change, saddles, "
                  "saddle_checks, saddle_check_calls, scf_failures, unconverged, dissociations FROM transitions "
                  "ORDER BY step");
  long last_move = 0;  // the last step that reached a minimum
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
    t.saddles = steps.integer(9);
    t.saddle_checks = steps.integer(10);
    t.saddle_check_calls = steps.integer(11);
    // NULL in campaigns stored before the failure columns: their step's outcome is all they know.
    t.scf_failures = steps.is_null(12) ? t.outcome == "scf-failure" : steps.integer(12);
    t.unconverged = steps.is_null(13) ? t.outcome == "unconverged" : steps.integer(13);
    t.dissociations = steps.is_null(14) ? t.outcome == "dissociated" : steps.integer(14);
    PesCounters& c = loaded.counters;
    c.steps = std::max(c.steps, t.step);
    c.gradient_calls += t.gradient_calls;
    c.relaxations += t.relaxations;
    c.saddles += t.saddles;
    c.saddle_checks += t.saddle_checks;
    c.saddle_check_calls += t.saddle_check_calls;
    c.scf_failures += t.scf_failures;
    c.unconverged += t.unconverged;
    c.dissociations += t.dissociations;
    c.new_minima += t.outcome == "new";
    if (t.to >= 0) loaded.current_id = t.to, last_move = t.step;
    loaded.transitions.push_back(std::move(t));
  }
  const auto stored = meta();
  if (const auto it = stored.find("position"); it != stored.end()) {  // a jump after the last move wins
    std::istringstream position(it->second);
    long step = -1;
    int id = -1;
    if (position >> step >> id && step >= last_move && id >= 0 && id < loaded.registry.size()) loaded.current_id = id;
  }
  // The start structure's relaxation and check happen before the first step (PesEnv reset).
  for (const auto& [key, counter] : kStartCounters) {
    if (const auto it = stored.find(key); it != stored.end()) loaded.counters.*counter += std::stol(it->second);
  }
  return loaded;
}

}  // namespace equimol::envs
