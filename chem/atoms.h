// Atoms: one structure (atomic numbers, positions in Å, total charge, unpaired electrons, metadata).
#pragma once

#include <Eigen/Core>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace equimol {

/// Cartesian coordinates, one row per atom. Row-major so that the buffer is [n][3] as xtb expects.
using Positions = Eigen::Matrix<double, Eigen::Dynamic, 3, Eigen::RowMajor>;

struct Atoms {
  std::vector<int> numbers;  // atomic numbers Z
  Positions positions;       // Å
  int charge = 0;            // total charge, e
  int uhf = 0;               // number of unpaired electrons (spin multiplicity - 1)
  /// Per-structure metadata, written to and read from the extended-XYZ comment line
  /// (e.g. "energy" in eV, "smiles"); values kept as text.
  std::map<std::string, std::string> info;
  /// Per-atom forces in eV/Å when known (extended XYZ "forces:R:3").
  std::optional<Positions> forces;

  int size() const { return static_cast<int>(numbers.size()); }

  Atoms() = default;
  Atoms(std::vector<int> numbers_, Positions positions_, int charge_ = 0, int uhf_ = 0);
};

/// Minimum distance, in Å, below which two atoms count as "at the same place".
inline constexpr double kCoincidentAtomsAng = 0.01;

/// Checks that the structure is usable: Z in 1..86, as many positions as atoms, finite coordinates,
/// no two atoms within kCoincidentAtomsAng, uhf >= 0. Throws InputError starting with `source`
/// (a file name or "SMILES 'CCO'") so the user knows which input is wrong.
void validate(const Atoms& atoms, const std::string& source);

/// What keeps the structure's electrons from carrying its charge and uhf, or "" when nothing does: a
/// negative uhf, a charge that leaves no electrons (xtb then returns non-finite energies), more
/// electrons than an int counts, a uhf above the electron count or of the other parity, or a charge
/// that leaves xtb no valence electrons (or fewer than uhf): it would return the bare cores' energy.
std::string electron_count_problem(const Atoms& atoms);

/// Chemical formula in Hill order (C, H, then alphabetical), e.g. "C2H6O".
std::string chemical_formula(const Atoms& atoms);

}  // namespace equimol
