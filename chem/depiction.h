// 2D depictions of structures: a grid of molecules as SVG (RDKit MolDraw2DSVG), for reports.
#pragma once

#include <string>
#include <vector>

#include "atoms.h"
#include "bond_graph.h"

namespace equimol {

struct GridSvgOptions {
  int per_row = 4;        ///< molecules per row
  int panel_px = 260;     ///< width and height of one molecule's panel, pixels
  void check() const;     ///< throws std::invalid_argument naming a bad value
};

/// One SVG drawing `frames[k]` with bonds `graphs[k]` (orders assigned as in to_rdkit), hydrogens
/// folded into their heavy atoms, fresh 2D coordinates, and `legends[k]` under each panel. Structures
/// RDKit cannot sanitise are drawn by connectivity. Empty input gives an empty (1-panel) drawing.
std::string molecule_grid_svg(const std::vector<Atoms>& frames, const std::vector<BondGraph>& graphs,
                              const std::vector<std::string>& legends, const GridSvgOptions& options = {});

}  // namespace equimol
