// DesignStore: a design campaign's molecules in SQLite, one committed row per episode as it ends, so a
// killed run keeps every molecule it reported. Tables:
//   meta(key, value)   run settings: bag, agent, seed, episodes, method, canvas size, atom energies
//   molecules(episode, formula, smiles, valid, complete, fragments, sanitized, ending, steps, n_atoms,
//             return_ev, return_hartree, energy_ev, energy_hartree,
//             relaxed_energy_ev, relaxed_energy_hartree, relaxed_return_ev, relaxed_return_hartree,
//             relaxed_smiles, relaxed_valid, xyz, relaxed_xyz, radical_electrons,
//             bonds, relaxed_bonds, relaxed_converged, relaxed_radical_electrons)
// Energies in eV with the Hartree value alongside; xyz columns are extended-XYZ frames; bonds "0-1 1-2".
// load() reads the molecules back (a resumed campaign ranks and exports them with its new ones); stores
// written before the bond columns existed have no bonds to read and cannot be resumed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "envs/design_campaign.h"
#include "envs/sqlite_database.h"

namespace equimol::envs {

class DesignStore final : public DesignObserver {
 public:
  /// Opens (creating when absent) the database at `path`.
  explicit DesignStore(const std::string& path);
  ~DesignStore() override;
  DesignStore(const DesignStore&) = delete;
  DesignStore& operator=(const DesignStore&) = delete;

  void set_meta(const std::string& key, const std::string& value);
  void set_meta(const std::map<std::string, std::string>& values);  ///< in one transaction
  std::map<std::string, std::string> meta() const;
  void molecule_designed(const DesignedMolecule& molecule) override;
  /// Rows in the molecules table.
  long count() const;
  /// Every stored molecule, by episode. Positions come back to the 1e-10 Å of the extended-XYZ text.
  std::vector<DesignedMolecule> load() const;

  const std::string& path() const { return db_.path(); }

 private:
  SqliteDatabase db_;
};

}  // namespace equimol::envs
