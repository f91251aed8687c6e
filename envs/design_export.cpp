#include "envs/design_export.h"

#include <iomanip>
#include <sstream>
#include <stdexcept>

#include "chem/depiction.h"
#include "chem/rdkit_bridge.h"
#include "chem/text_file.h"
#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::envs {
namespace {

std::string fixed(double value, int digits) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(digits) << value;
  return out.str();
}

}  // namespace

void export_design(const DesignSummary& summary, const std::string& dir, const DesignExport& options) {
  std::vector<Atoms> frames;
  std::vector<BondGraph> graphs;
  std::vector<std::string> legends;
  for (const DesignedMolecule* m : summary.best_distinct) {
    Atoms atoms = m->relaxed ? m->relaxed->atoms : m->atoms;
    atoms.info["smiles"] = m->identity();
    atoms.info["episode"] = std::to_string(m->episode);
    atoms.info["formula"] = m->formula;
    atoms.info["return_ev"] = fixed(m->return_ev, 6);
    atoms.info["return_hartree"] = fixed(m->return_ev * units::kEvToHartree, 6);
    atoms.info["energy"] = fixed(m->relaxed ? m->relaxed->energy_ev : m->energy_ev, 6);
    if (m->relaxed) atoms.info["relaxed_atomization_ev"] = fixed(m->relaxed->atomization_ev, 6);
    if (static_cast<int>(legends.size()) < options.top) {
      legends.push_back(m->identity() + "  " + fixed(m->score_ev(), 2) + " eV (" +
                        fixed(m->score_ev() * units::kEvToHartree, 3) + " Eh)");
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
