#include "elements.h"

#include <GraphMol/PeriodicTable.h>

#include <array>
#include <cctype>
#include <cstdlib>

#include "errors.h"

namespace equimol {
namespace {

constexpr std::array<std::string_view, kMaxAtomicNumber> kSymbols = {
    "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si", "P",
    "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn",
    "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru", "Rh",
    "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd",
    "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",  "Re",
    "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn"};

// Cordero et al. 2008 (sp3 C, low-spin Mn/Fe/Co), Å; the table ASE uses for natural cutoffs.
// RDKit 2022.09's own radii are older CSD values (H 0.23, C 0.68) and too short for bond perception.
constexpr std::array<double, kMaxAtomicNumber> kCovalentRadii = {
    0.31, 0.28, 1.28, 0.96, 0.84, 0.76, 0.71, 0.66, 0.57, 0.58, 1.66, 1.41, 1.21, 1.11, 1.07,
    1.05, 1.02, 1.06, 2.03, 1.76, 1.70, 1.60, 1.53, 1.39, 1.39, 1.32, 1.26, 1.24, 1.32, 1.22,
    1.22, 1.20, 1.19, 1.20, 1.20, 1.16, 2.20, 1.95, 1.90, 1.75, 1.64, 1.54, 1.47, 1.46, 1.42,
    1.39, 1.45, 1.44, 1.42, 1.39, 1.39, 1.38, 1.39, 1.40, 2.44, 2.15, 2.07, 2.04, 2.03, 2.01,
    1.99, 1.98, 1.98, 1.96, 1.94, 1.92, 1.92, 1.89, 1.90, 1.87, 1.87, 1.75, 1.70, 1.62, 1.51,
    1.44, 1.41, 1.36, 1.36, 1.32, 1.45, 1.46, 1.48, 1.40, 1.50, 1.50};

std::array<Element, kMaxAtomicNumber> build_table() {
  const auto* periodic_table = RDKit::PeriodicTable::getTable();
  std::array<Element, kMaxAtomicNumber> table{};
  for (int z = 1; z <= kMaxAtomicNumber; ++z) {
    table[z - 1] = Element{z, kSymbols[z - 1], periodic_table->getAtomicWeight(z),
                           kCovalentRadii[z - 1]};
  }
  return table;
}

const std::array<Element, kMaxAtomicNumber>& table() {
  static const auto instance = build_table();
  return instance;
}

int find_symbol(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 2) return 0;
  std::string normal(symbol);
  normal[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(normal[0])));
  if (normal.size() == 2) normal[1] = static_cast<char>(std::tolower(static_cast<unsigned char>(normal[1])));
  for (int z = 1; z <= kMaxAtomicNumber; ++z) {
    if (kSymbols[z - 1] == normal) return z;
  }
  return 0;
}

// Francium to oganesson: real elements that no GFN parametrisation covers.
constexpr std::array<std::string_view, 32> kBeyondRadon = {
    "Fr", "Ra", "Ac", "Th", "Pa", "U",  "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No",
    "Lr", "Rf", "Db", "Sg", "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og"};

}  // namespace

std::string unknown_element_message(const std::string& species) {
  std::string normal = species;
  if (!normal.empty()) normal[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(normal[0])));
  if (normal.size() == 2) normal[1] = static_cast<char>(std::tolower(static_cast<unsigned char>(normal[1])));
  int z = 0;
  for (size_t k = 0; k < kBeyondRadon.size(); ++k) {
    if (kBeyondRadon[k] == normal) z = kMaxAtomicNumber + 1 + static_cast<int>(k);
  }
  char* end = nullptr;
  const long number = std::strtol(species.c_str(), &end, 10);
  if (!species.empty() && *end == '\0' && number > kMaxAtomicNumber && number <= 118) z = static_cast<int>(number);
  if (z == 0) return "unknown element '" + species + "'";
  return "element '" + species + "' (Z = " + std::to_string(z) + ") is beyond radon, where xtb's GFN methods stop";
}

const Element& element(int atomic_number) {
  if (atomic_number < 1 || atomic_number > kMaxAtomicNumber) {
    throw InputError("atomic number " + std::to_string(atomic_number) + " is outside 1.." +
                     std::to_string(kMaxAtomicNumber));
  }
  return table()[atomic_number - 1];
}

int atomic_number(std::string_view symbol) {
  const int z = find_symbol(symbol);
  if (z == 0) throw InputError(unknown_element_message(std::string(symbol)));
  return z;
}

bool is_element_symbol(std::string_view symbol) { return find_symbol(symbol) != 0; }

}  // namespace equimol
