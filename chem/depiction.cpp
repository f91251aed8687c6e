#include "depiction.h"

#include <GraphMol/GraphMol.h>
#include <GraphMol/MolDraw2D/MolDraw2DSVG.h>
#include <GraphMol/MolDraw2D/MolDraw2DUtils.h>
#include <GraphMol/MolOps.h>

#include <memory>
#include <stdexcept>

#include "rdkit_bridge.h"

namespace equimol {

void GridSvgOptions::check() const {
  if (per_row < 1) throw std::invalid_argument("grid svg: per_row must be >= 1, got " + std::to_string(per_row));
  if (panel_px < 50) throw std::invalid_argument("grid svg: panel_px must be >= 50, got " + std::to_string(panel_px));
}

std::string molecule_grid_svg(const std::vector<Atoms>& frames, const std::vector<BondGraph>& graphs,
                              const std::vector<std::string>& legends, const GridSvgOptions& options) {
  options.check();
  if (frames.size() != graphs.size() || frames.size() != legends.size()) {
    throw std::invalid_argument("grid svg: one bond graph and one legend per structure");
  }
  std::vector<std::unique_ptr<RDKit::RWMol>> mols;
  for (size_t k = 0; k < frames.size(); ++k) {
    RdkitMolecule rd = to_rdkit(frames[k], graphs[k]);
    RDKit::RWMol& mol = *rd.mol;
    mol.clearConformers();  // a 2D layout, not a projection of the 3D structure
    if (rd.sanitized) {
      RDKit::MolOps::removeHs(mol);
    } else {
      mol.updatePropertyCache(false);
      RDKit::MolOps::findSSSR(mol);
    }
    RDKit::MolDraw2DUtils::prepareMolForDrawing(mol, /*kekulize=*/rd.sanitized, /*addChiralHs=*/rd.sanitized);
    mols.push_back(std::move(rd.mol));
  }
  const int n = std::max<int>(1, static_cast<int>(mols.size()));
  const int columns = std::min(options.per_row, n);
  const int rows = (n + columns - 1) / columns;
  RDKit::MolDraw2DSVG drawer(columns * options.panel_px, rows * options.panel_px, options.panel_px, options.panel_px);
  drawer.drawOptions().legendFontSize = 14;
  std::vector<RDKit::ROMol*> pointers;
  for (auto& mol : mols) pointers.push_back(mol.get());
  if (!pointers.empty()) drawer.drawMolecules(pointers, &legends);
  drawer.finishDrawing();
  return drawer.getDrawingText();
}

}  // namespace equimol
