// Rigid-body geometry: centre of mass, inertia, Kabsch superposition, RMSD with atom matching,
// and the test that two relaxed structures are the same minimum.
#pragma once

#include <Eigen/Core>

#include <string>
#include <vector>

#include "atoms.h"
#include "bond_graph.h"

namespace equimol {

Eigen::Vector3d center_of_mass(const Atoms& atoms);
/// Inertia tensor about the centre of mass, amu·Å².
Eigen::Matrix3d inertia_tensor(const Atoms& atoms);
/// Principal moments of inertia, ascending, amu·Å².
Eigen::Vector3d principal_moments(const Atoms& atoms);

/// Rigid motion x -> R x + t that best superposes `mobile` onto `reference` (same atom order,
/// equal weights). Proper rotation (det R = +1) unless allow_reflection.
struct Superposition {
  Eigen::Matrix3d rotation = Eigen::Matrix3d::Identity();
  Eigen::Vector3d translation = Eigen::Vector3d::Zero();
  double rmsd = 0.0;  // Å, after superposition
};
Superposition kabsch(const Positions& mobile, const Positions& reference, bool allow_reflection = false);

/// RMSD in Å after optimal superposition, atoms in the given order.
double aligned_rmsd(const Positions& mobile, const Positions& reference);

/// Best superposition when identical atoms may swap: `permutation[i]` is the atom of `mobile` that
/// sits on atom i of `reference`. Candidate orientations come from matching pairs of anchor atoms
/// by distance; each is refined by alternating Hungarian assignment (per element) and Kabsch.
/// Requires the same multiset of elements (else rmsd is +inf).
struct Matching {
  std::vector<int> permutation;
  double rmsd = 0.0;  // Å
  bool reflected = false;
};
Matching match_atoms(const Atoms& mobile, const Atoms& reference, bool allow_reflection = false);

/// Thresholds for same_minimum, in the spirit of CREST's conformer comparison.
struct SameMinimumOptions {
  double energy_tolerance = 0.05 * 0.0433641043;  ///< 0.05 kcal/mol in eV; use ~1e-4 for LJ in ε
  double rmsd_tolerance = 0.125;                  ///< Å (σ for LJ), after matching atoms
  bool compare_graphs = true;                     ///< bond graphs must map onto each other exactly
  bool allow_reflection = false;                  ///< mirror images count as the same minimum
};

/// A relaxed structure with its energy and bond graph.
struct Minimum {
  Atoms atoms;
  double energy = 0.0;
  BondGraph graph;
  /// Optional chemical identity, e.g. canonical isomeric SMILES. When both minima have one, they must
  /// be equal: with reflection allowed this merges mirror-image conformers of an achiral molecule but
  /// keeps enantiomers (different stereo SMILES) apart.
  std::string identity;
};

/// Same minimum when the identities (if both set) are equal, the compositions agree, |ΔE| <=
/// energy_tolerance, the matched RMSD <= rmsd_tolerance, and (if compare_graphs) the bond graphs agree
/// under the matching permutation.
bool same_minimum(const Minimum& a, const Minimum& b, const SameMinimumOptions& options = {});

/// Minimum-cost perfect assignment of a square cost matrix (Hungarian method, O(n^3)).
/// Returns assignment[row] = column.
std::vector<int> solve_assignment(const Eigen::MatrixXd& cost);

}  // namespace equimol
