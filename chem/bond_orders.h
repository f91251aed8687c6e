// Bond orders, formal charges and radicals for a connectivity graph (xyz2mol's problem, simplified).
//
// RDKit 2022.09 (Debian bookworm) predates RDKit's DetermineBonds, so EquiMol assigns orders itself:
// each atom gets the smallest usual valence that fits its degree, the missing valence ("unsaturation")
// is paired across bonds by maximum matching (twice, for triple bonds), then leftover unsaturation is
// resolved with the common charge-separated forms (nitro, N-oxides) and the requested total charge,
// and whatever remains becomes radical electrons.
#pragma once

#include <vector>

#include "bond_graph.h"

namespace equimol {

struct BondOrderAssignment {
  std::vector<int> orders;          // parallel to BondGraph::bonds: 1, 2 or 3
  std::vector<int> formal_charges;  // per atom
  std::vector<int> radicals;        // unpaired electrons per atom
};

BondOrderAssignment assign_bond_orders(const std::vector<int>& numbers, const BondGraph& graph, int total_charge);

}  // namespace equimol
