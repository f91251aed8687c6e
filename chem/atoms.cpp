#include "atoms.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "elements.h"
#include "errors.h"

namespace equimol {

Atoms::Atoms(std::vector<int> numbers_, Positions positions_, int charge_, int uhf_)
    : numbers(std::move(numbers_)), positions(std::move(positions_)), charge(charge_), uhf(uhf_) {}

void validate(const Atoms& atoms, const std::string& source) {
  if (atoms.numbers.empty()) throw InputError(source + ": structure has no atoms");
  if (atoms.positions.rows() != atoms.size()) {
    throw InputError(source + ": " + std::to_string(atoms.size()) + " atoms but " +
                     std::to_string(atoms.positions.rows()) + " positions");
  }
  if (atoms.uhf < 0) throw InputError(source + ": negative number of unpaired electrons");
  for (int i = 0; i < atoms.size(); ++i) {
    const int z = atoms.numbers[i];
    if (z < 1 || z > kMaxAtomicNumber) {
      throw InputError(source + ": atom " + std::to_string(i + 1) + " has atomic number " +
                       std::to_string(z) + " (supported: 1..86)");
    }
    if (!atoms.positions.row(i).allFinite()) {
      throw InputError(source + ": atom " + std::to_string(i + 1) + " has a non-finite coordinate");
    }
  }
  const double min_sq = kCoincidentAtomsAng * kCoincidentAtomsAng;
  for (int i = 0; i < atoms.size(); ++i) {
    for (int j = i + 1; j < atoms.size(); ++j) {
      if ((atoms.positions.row(i) - atoms.positions.row(j)).squaredNorm() < min_sq) {
        throw InputError(source + ": atoms " + std::to_string(i + 1) + " and " + std::to_string(j + 1) +
                         " (counting from 1) are at the same place");
      }
    }
  }
}

namespace {

// Electrons xtb's GFN methods treat explicitly (its minimal valence basis); the core ones count with
// the nuclei. Zn, Cd and Hg keep their full d shell in the core, lanthanides their 4f shell (three
// valence electrons, as La): the counts xtb 6.5 prints as "# electrons" for neutral atoms.
int xtb_valence_electrons(int z) {
  if (z == 30 || z == 48 || z == 80) return 2;
  if (z <= 2) return z;
  if (z <= 10) return z - 2;
  if (z <= 18) return z - 10;
  if (z <= 30) return z - 18;  // K-Zn: 4s (3d)
  if (z <= 36) return z - 28;  // Ga-Kr: 3d in the core
  if (z <= 48) return z - 36;
  if (z <= 54) return z - 46;
  if (z <= 56) return z - 54;
  if (z <= 71) return 3;
  if (z <= 80) return z - 68;
  return z - 78;
}

}  // namespace

std::string electron_count_problem(const Atoms& atoms) {
  if (atoms.uhf < 0) return "uhf must be >= 0, got " + std::to_string(atoms.uhf);
  long long protons = 0;  // wide: -charge overflows an int at INT_MIN
  for (int z : atoms.numbers) protons += z;
  const long long electrons = protons - atoms.charge;
  if (electrons <= 0) {
    return "charge " + std::to_string(atoms.charge) + " leaves no electrons: the nuclei add up to +" +
           std::to_string(protons);
  }
  if (electrons > std::numeric_limits<int>::max()) {
    return "charge " + std::to_string(atoms.charge) + " is out of range (" + std::to_string(electrons) + " electrons)";
  }
  long long valence = 0;
  for (int z : atoms.numbers) valence += xtb_valence_electrons(z);
  const long long valence_electrons = valence - atoms.charge;
  if (valence_electrons < std::max(1, atoms.uhf)) {
    return "charge " + std::to_string(atoms.charge) + " leaves " + std::to_string(std::max(0LL, valence_electrons)) +
           " valence electrons" + (atoms.uhf > 0 ? " for uhf " + std::to_string(atoms.uhf) : "") +
           ": xtb treats only valence electrons (" + std::to_string(valence) + " here), the core ones count with the nuclei";
  }
  // The parity xtb needs is of its valence electrons; that of all electrons is the same (closed core
  // shells) except with a lanthanide, whose 4f electrons xtb puts in the core.
  if ((valence_electrons - atoms.uhf) % 2 != 0) {
    const bool same_parity = (electrons - valence_electrons) % 2 == 0;
    return (same_parity ? std::to_string(electrons) + " electrons"
                        : std::to_string(valence_electrons) + " valence electrons (xtb keeps 4f shells in the core)") +
           " cannot have " + std::to_string(atoms.uhf) +
           " unpaired (uhf must have the parity of the electron count and not exceed it)";
  }
  return "";
}

std::string chemical_formula(const Atoms& atoms) {
  std::map<std::string, int> counts;
  for (int z : atoms.numbers) ++counts[std::string(element(z).symbol)];
  std::ostringstream out;
  auto emit = [&](const std::string& symbol) {
    const int n = counts[symbol];
    out << symbol;
    if (n > 1) out << n;
  };
  const bool has_carbon = counts.count("C") > 0;
  if (has_carbon) {
    emit("C");
    if (counts.count("H")) emit("H");
  }
  for (const auto& [symbol, n] : counts) {
    if (has_carbon && (symbol == "C" || symbol == "H")) continue;
    if (n > 0) emit(symbol);
  }
  return out.str();
}

}  // namespace equimol
