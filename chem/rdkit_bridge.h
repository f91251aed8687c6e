// The bridge to RDKit: SMILES -> 3D structure, 3D structure -> RDKit molecule -> canonical SMILES,
// SDF read/write. RDKit types are forward-declared; only rdkit_bridge.cpp includes RDKit.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atoms.h"
#include "bond_graph.h"

namespace RDKit {
class RWMol;
}

namespace equimol {

/// The RDKit release linked, e.g. "2022.09.3" (for --version and run provenance).
std::string rdkit_version();

/// SMILES -> 3D: hydrogens added, ETKDGv3 embedding with `seed`, then MMFF94 (UFF where MMFF has no
/// parameters). Charge is the sum of formal charges, uhf the number of radical electrons.
/// Throws InputError("invalid SMILES '...'") for unparsable input and when embedding fails.
Atoms atoms_from_smiles(const std::string& smiles, int seed = 42);

/// An RDKit molecule with the atoms, bonds (orders assigned by assign_bond_orders), charges and
/// radicals of the structure, its coordinates as a conformer and stereochemistry from 3D.
/// `sanitized` tells whether RDKit's sanitisation accepted it.
struct RdkitMolecule {
  std::unique_ptr<RDKit::RWMol> mol;
  bool sanitized = false;
  RdkitMolecule();
  ~RdkitMolecule();
  RdkitMolecule(RdkitMolecule&&) noexcept;
  RdkitMolecule& operator=(RdkitMolecule&&) noexcept;
};
RdkitMolecule to_rdkit(const Atoms& atoms, const BondGraph& graph);

/// Canonical isomeric SMILES (hydrogens implicit, stereo from 3D) of the structure with this graph.
/// When sanitisation fails, a connectivity-only SMILES is returned instead (never throws for that).
std::string canonical_smiles(const Atoms& atoms, const BondGraph& graph);

/// RDKit's canonical SMILES of a SMILES string; throws InputError when it does not parse.
std::string canonicalize_smiles(const std::string& smiles);

/// True when the structure's graph makes an RDKit molecule that passes sanitisation.
bool passes_sanitization(const Atoms& atoms, const BondGraph& graph);

/// SDF with 3D coordinates (hydrogens kept). Throws InputError naming the file and record.
std::vector<Atoms> read_sdf(const std::string& path);
/// Writes each structure as an SDF record with bonds from `graphs` (parallel to `frames`);
/// Atoms::info entries become SDF properties.
void write_sdf(const std::string& path, const std::vector<Atoms>& frames, const std::vector<BondGraph>& graphs);

}  // namespace equimol
