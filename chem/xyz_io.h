// XYZ and extended XYZ (ASE-compatible), multi-frame.
//
// Extended XYZ comment line: key=value pairs, values with spaces in double quotes, e.g.
//   Properties=species:S:1:pos:R:3:forces:R:3 energy=-137.8 pbc="F F F"
// Energies are in eV and forces in eV/Å, as ASE reads them.
#pragma once

#include <istream>
#include <string>
#include <vector>

#include "atoms.h"

namespace equimol {

/// Reads every frame of a plain or extended XYZ file. The comment line is parsed as extended XYZ
/// when it has a Properties= key; its other key=value pairs go to Atoms::info, "charge"/"uhf" set
/// those fields. A plain comment is kept as info["comment"], and its charge=/uhf= keys set the fields
/// too when they are whole numbers. Throws InputError as "FILE:LINE: problem" for a missing file or
/// folder, a bad or huge atom count, a truncated frame, an unknown element, a non-numeric or
/// non-finite coordinate, coincident atoms.
std::vector<Atoms> read_xyz(const std::string& path);

/// The same from a stream; `source` names it in error messages.
std::vector<Atoms> read_xyz(std::istream& in, const std::string& source);

/// Writes frames as extended XYZ: species, pos (and forces when every frame has them), info keys.
void write_extxyz(const std::string& path, const std::vector<Atoms>& frames);
void write_extxyz(std::ostream& out, const Atoms& atoms);

/// A number for an info value (energy=-5.07021633): fixed notation with `decimals` digits, where
/// std::to_string would keep only six (0.1 meV of an eV energy, less than a same-minimum test needs).
std::string fixed_decimals(double value, int decimals);

/// Writes plain XYZ; the comment line is `comment`.
void write_xyz(std::ostream& out, const Atoms& atoms, const std::string& comment = "");

}  // namespace equimol
