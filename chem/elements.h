// Element data for Z = 1..86: symbol, standard atomic weight, covalent radius.
#pragma once

#include <string>
#include <string_view>

namespace equimol {

inline constexpr int kMaxAtomicNumber = 86;  // xtb's GFN parametrisations stop at radon

struct Element {
  int number;
  std::string_view symbol;
  double mass_amu;              // IUPAC standard atomic weight (from RDKit's periodic table)
  double covalent_radius_ang;   // Cordero et al., Dalton Trans. 2008, 2832 (as ASE's covalent_radii)
};

/// Throws InputError for Z outside 1..86.
const Element& element(int atomic_number);

/// Symbol -> Z, case-insensitive on input ("cl", "CL" and "Cl" all give 17); throws InputError naming it.
int atomic_number(std::string_view symbol);

/// True when `symbol` names an element 1..86 (case-insensitive).
bool is_element_symbol(std::string_view symbol);

/// Why `species` (a symbol or an atomic number) is refused: "unknown element 'Xx'", or for a real element
/// heavier than radon (U, 92) that xtb's GFN methods do not cover.
std::string unknown_element_message(const std::string& species);

}  // namespace equimol
