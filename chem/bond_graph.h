// Bond graph of a 3D structure: from xtb Wiberg bond orders when available, else covalent radii.
#pragma once

#include <Eigen/Core>

#include <string>
#include <utility>
#include <vector>

#include "atoms.h"

namespace equimol {

/// Two atoms are bonded when their distance is at most this factor times the sum of their Cordero
/// covalent radii (a common choice between ASE's natural cutoffs, 1.0 + skin, and xyz2mol's 1.3).
inline constexpr double kCovalentBondScale = 1.2;
/// ... and never closer than this above the radii sum: 20 % of two hydrogen radii (0.74 Å) is shorter
/// than H2 relaxed by GFN2 (0.775 Å) or GFN-FF (0.778 Å), which then read as two atoms.
inline constexpr double kCovalentBondMinSlackAng = 0.2;
/// A Wiberg bond order at or above this counts as a bond (single bonds sit near 1, H-bonds near 0.05).
inline constexpr double kWibergBondThreshold = 0.5;

struct BondGraph {
  int n_atoms = 0;
  std::vector<std::pair<int, int>> bonds;  // i < j, sorted

  bool operator==(const BondGraph& other) const { return n_atoms == other.n_atoms && bonds == other.bonds; }
  bool operator!=(const BondGraph& other) const { return !(*this == other); }
  std::vector<std::vector<int>> neighbours() const;
};

/// Bonded when d <= max(scale (r_i + r_j), r_i + r_j + kCovalentBondMinSlackAng).
BondGraph bonds_from_covalent_radii(const Atoms& atoms, double scale = kCovalentBondScale);
/// Pairs closer than `cutoff` (same length unit as the positions): contact graphs of LJ clusters.
BondGraph bonds_within(const Atoms& atoms, double cutoff);
BondGraph bonds_from_wiberg(const Eigen::MatrixXd& bond_orders, double threshold = kWibergBondThreshold);
/// A Wiberg bond longer than this factor times the radii sum is none: π delocalisation gives the two
/// ends of a 1,3-dipole (ozone, azides, N2O, nitrile oxides) an order near 0.5 at 2.1-2.4 Å, which
/// made ozone a ring (o1oo1). Bonds of relaxed minima are far shorter.
inline constexpr double kWibergBondMaxScale = 1.5;
/// Wiberg bonds of a structure, none longer than kWibergBondMaxScale (r_i + r_j).
BondGraph bonds_from_wiberg(const Eigen::MatrixXd& bond_orders, const Atoms& atoms);
/// A molecule's bonds as EquiMol perceives them: Wiberg bonds (capped) when `bond_orders` has a row per
/// atom (GFN1/GFN2 give them), else covalent radii (GFN-FF gives none).
BondGraph molecular_bonds(const Atoms& atoms, const Eigen::MatrixXd& bond_orders);

/// Number of connected components (molecules) in the graph.
int fragment_count(const BondGraph& graph);

/// The same graph with atom i renamed to permutation[i].
BondGraph permuted(const BondGraph& graph, const std::vector<int>& permutation);

/// Weisfeiler-Lehman hash of the element-labelled graph (3 rounds): equal for isomorphic graphs,
/// almost always different otherwise. A cheap key for registries; not a proof of isomorphism.
std::string graph_hash(const std::vector<int>& numbers, const BondGraph& graph);

/// "0-1 0-4 1-2": the bonds as text, for stores (SQLite columns) and back. parse_bonds throws
/// std::invalid_argument for a malformed pair or an atom outside [0, n_atoms).
std::string bonds_text(const BondGraph& graph);
BondGraph parse_bonds(int n_atoms, const std::string& text);

}  // namespace equimol
