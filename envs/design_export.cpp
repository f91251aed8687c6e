#include "envs/design_export.h"

#include <stdexcept>

#include "chem/depiction.h"
#include "chem/rdkit_bridge.h"
#include "chem/text_file.h"
#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::envs {

void export_design(const DesignSummary& summary, const std::string& dir, const DesignExport& options) {
  std::vector<Atoms> frames;
  std::vector<BondGraph> graphs;
  std::vector<std::string> legends;
  for (const DesignedMolecule* m : summary.best_distinct) {
    Atoms atoms = m->relaxed ? m->relaxed->atoms : m->atoms;
    atoms.info["smiles"] = m->identity();
    atoms.info["episode"] = std::to_string(m->episode);
    atoms.info["formula"] = m->formula;
    atoms.info["return_ev"] = fixed_decimals(m->return_ev, 6);
    atoms.info["return_hartree"] = fixed_decimals(m->return_ev * units::kEvToHartree, 6);
    atoms.info["energy"] = fixed_decimals(m->relaxed ? m->relaxed->energy_ev : m->energy_ev, 6);
    if (m->relaxed) atoms.info["relaxed_atomization_ev"] = fixed_decimals(m->relaxed->atomization_ev, 6);
    // Without --relax a molecule is its canvas: atoms where the agent put them, not a minimum.
    atoms.info["geometry"] = m->relaxed ? "relaxed" : "canvas";
    atoms.info["energy_unit"] = "eV";  // as explore's minima.extxyz says its unit
    atoms.info["length_unit"] = "Angstrom";
    if (static_cast<int>(legends.size()) < options.top) {
      legends.push_back(m->identity() + "  " + fixed_decimals(m->score_ev(), 2) + " eV (" +
                        fixed_decimals(m->score_ev() * units::kEvToHartree, 3) + " Eh)");
    }
    frames.push_back(std::move(atoms));
    graphs.push_back(m->relaxed ? m->relaxed->graph : m->graph);
  }
  write_sdf(dir + "/molecules.sdf", frames, graphs);
  write_extxyz(dir + "/molecules.extxyz", frames);
  const size_t drawn = legends.size();
  const std::string svg = molecule_grid_svg({frames.begin(), frames.begin() + drawn}, {graphs.begin(), graphs.begin() + drawn},
                                            legends);
  write_text_file(dir + "/top.svg", svg);
}

}  // namespace equimol::envs
