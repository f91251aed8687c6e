// Bond orders, formal charges and radicals for a connectivity graph (xyz2mol's problem, simplified).
//
// RDKit 2022.09 (Debian bookworm) predates RDKit's DetermineBonds, so EquiMol assigns orders itself:
// each atom gets the smallest neutral valence that fits its degree, the missing valence
// ("unsaturation") is paired across bonds by matching (greedy, then alternating paths), and then one
// atom's valence, two bonded atoms' (charged forms: N+, O-, C-, ...) or two ions' is changed while that
// gives a better Lewis structure: the requested total charge, fewer radicals, more bonds, fewer charges.
// Whatever stays unpaired becomes radical electrons. docs/chem.md lists the valences and the order.
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
