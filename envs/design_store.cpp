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

// An empty canvas (the first placement was invalid) is stored as a frame of 0 atoms, which XYZ readers refuse.
Atoms from_extxyz(long n_atoms, const std::string& text, const std::string& where) {
  if (n_atoms == 0) return Atoms{};
  std::istringstream in(text);
  return read_xyz(in, where).front();
}

BondGraph graph_from_text(int n_atoms, const std::string& text, const std::string& where) {
  try {
    return parse_bonds(n_atoms, text);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(where + ": " + e.what());
  }
}

}  // namespace

DesignStore::DesignStore(const std::string& path) : db_(path, "design database") {
  db_.execute(
      "CREATE TABLE IF NOT EXISTS molecules (episode INTEGER PRIMARY KEY, formula TEXT NOT NULL, smiles TEXT, "
      "valid INTEGER NOT NULL, complete INTEGER NOT NULL, fragments INTEGER, sanitized INTEGER, ending TEXT, "
      "steps INTEGER, n_atoms INTEGER, return_ev REAL, return_hartree REAL, energy_ev REAL, energy_hartree REAL, "
      "relaxed_energy_ev REAL, relaxed_energy_hartree REAL, relaxed_return_ev REAL, relaxed_return_hartree REAL, "
      "relaxed_smiles TEXT, relaxed_valid INTEGER, xyz TEXT NOT NULL, relaxed_xyz TEXT, radical_electrons INTEGER, "
      "bonds TEXT, relaxed_bonds TEXT, relaxed_converged INTEGER, relaxed_radical_electrons INTEGER)");
}

DesignStore::~DesignStore() = default;

void DesignStore::set_meta(const std::string& key, const std::string& value) { db_.set_meta(key, value); }

void DesignStore::set_meta(const std::map<std::string, std::string>& values) { db_.set_meta(values); }

std::map<std::string, std::string> DesignStore::meta() const { return db_.meta(); }

void DesignStore::molecule_designed(const DesignedMolecule& m) {
  SqliteStatement insert(db_,
                   "INSERT OR REPLACE INTO molecules (episode, formula, smiles, valid, complete, fragments, sanitized, "
                   "ending, steps, n_atoms, return_ev, return_hartree, energy_ev, energy_hartree, relaxed_energy_ev, "
                   "relaxed_energy_hartree, relaxed_return_ev, relaxed_return_hartree, relaxed_smiles, relaxed_valid, "
                   "xyz, relaxed_xyz, radical_electrons, bonds, relaxed_bonds, relaxed_converged, relaxed_radical_electrons) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  insert.bind(1, m.episode).bind(2, m.formula).bind(3, m.smiles).bind(4, m.valid ? 1 : 0).bind(5, m.complete ? 1 : 0);
  insert.bind(6, m.fragments).bind(7, m.sanitized ? 1 : 0).bind(8, m.ending).bind(9, m.steps).bind(10, m.atoms.size());
  insert.bind(11, m.return_ev).bind(12, m.return_ev * units::kEvToHartree);
  insert.bind(13, m.energy_ev).bind(14, m.energy_ev * units::kEvToHartree);
  if (m.relaxed) {
    const RelaxedMolecule& r = *m.relaxed;
    insert.bind(15, r.energy_ev).bind(16, r.energy_ev * units::kEvToHartree);
    insert.bind(17, r.atomization_ev).bind(18, r.atomization_ev * units::kEvToHartree);
    insert.bind(19, r.smiles).bind(20, r.valid ? 1 : 0).bind(22, extxyz(r.atoms));
    insert.bind(25, bonds_text(r.graph)).bind(26, r.converged ? 1 : 0).bind(27, r.radical_electrons);
  } else {
    for (int k : {15, 16, 17, 18, 19, 20, 22, 25, 26, 27}) insert.bind_null(k);
  }
  insert.bind(21, extxyz(m.atoms)).bind(23, m.radical_electrons).bind(24, bonds_text(m.graph));
  insert.step();
}

long DesignStore::count() const {
  SqliteStatement s(db_, "SELECT COUNT(*) FROM molecules");
  s.step();
  return s.integer(0);
}

std::vector<DesignedMolecule> DesignStore::load() const {
  std::vector<DesignedMolecule> molecules;
  SqliteStatement row(db_,
                      "SELECT episode, formula, smiles, valid, complete, fragments, sanitized, ending, steps, return_ev, "
                      "energy_ev, xyz, radical_electrons, bonds, relaxed_xyz, relaxed_energy_ev, relaxed_return_ev, "
                      "relaxed_smiles, relaxed_valid, relaxed_bonds, relaxed_converged, relaxed_radical_electrons, n_atoms "
                      "FROM molecules ORDER BY episode");
  while (row.step()) {
    DesignedMolecule m;
    m.episode = row.integer(0);
    const std::string where = path() + " episode " + std::to_string(m.episode);
    m.formula = row.text(1);
    m.smiles = row.text(2);
    m.valid = row.integer(3) != 0;
    m.complete = row.integer(4) != 0;
    m.fragments = static_cast<int>(row.integer(5));
    m.sanitized = row.integer(6) != 0;
    m.ending = row.text(7);
    m.steps = static_cast<int>(row.integer(8));
    m.return_ev = row.real(9);
    m.energy_ev = row.real(10);
    m.atoms = from_extxyz(row.integer(22), row.text(11), where);
    m.radical_electrons = static_cast<int>(row.integer(12));
    m.graph = graph_from_text(m.atoms.size(), row.text(13), where);
    if (!row.is_null(14)) {
      RelaxedMolecule r;
      r.atoms = from_extxyz(row.integer(22), row.text(14), where + " (relaxed)");
      r.energy_ev = row.real(15);
      r.atomization_ev = row.real(16);
      r.smiles = row.text(17);
      r.valid = row.integer(18) != 0;
      r.graph = graph_from_text(r.atoms.size(), row.text(19), where + " (relaxed)");
      r.converged = row.integer(20) != 0;
      r.radical_electrons = static_cast<int>(row.integer(21));
      m.relaxed = std::move(r);
    }
    molecules.push_back(std::move(m));
  }
  return molecules;
}

}  // namespace equimol::envs
