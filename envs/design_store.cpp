#include "envs/design_store.h"

#include <sstream>
#include <stdexcept>

#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

std::string extxyz(const Atoms& atoms) {
  std::ostringstream out;
  write_extxyz(out, atoms);
  return out.str();
}

}  // namespace

DesignStore::DesignStore(const std::string& path) : db_(path, "design database") {
  db_.execute(
      "CREATE TABLE IF NOT EXISTS molecules (episode INTEGER PRIMARY KEY, formula TEXT NOT NULL, smiles TEXT, "
      "valid INTEGER NOT NULL, complete INTEGER NOT NULL, fragments INTEGER, sanitized INTEGER, ending TEXT, "
      "steps INTEGER, n_atoms INTEGER, return_ev REAL, return_hartree REAL, energy_ev REAL, energy_hartree REAL, "
      "relaxed_energy_ev REAL, relaxed_energy_hartree REAL, relaxed_return_ev REAL, relaxed_return_hartree REAL, "
      "relaxed_smiles TEXT, relaxed_valid INTEGER, xyz TEXT NOT NULL, relaxed_xyz TEXT, radical_electrons INTEGER)");
}

DesignStore::~DesignStore() = default;

void DesignStore::set_meta(const std::string& key, const std::string& value) { db_.set_meta(key, value); }

std::map<std::string, std::string> DesignStore::meta() const { return db_.meta(); }

void DesignStore::molecule_designed(const DesignedMolecule& m) {
  SqliteStatement insert(db_,
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
  SqliteStatement s(db_, "SELECT COUNT(*) FROM molecules");
  s.step();
  return s.integer(0);
}

}  // namespace equimol::envs
