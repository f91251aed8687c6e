// Bags of atoms from chemical formulas ("CH3NO", "C2H2O2") and lists of them ("H2O,CHN").
//
// A formula is element symbols, each followed by an optional positive count, e.g. "C2H2O2". Symbols are
// case-sensitive ("Co" is cobalt, "CO" carbon + oxygen); an element may repeat ("CH3CH2OH" is C2H6O).
// Nothing else is accepted: no brackets, charges or spaces inside a formula.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace equimol::envs {

/// Atoms still to place: count per atomic number (only positive counts are stored).
using Bag = std::map<int, int>;

/// Largest count of one element in a formula: well above any canvas, small enough to never overflow.
inline constexpr int kMaxFormulaCount = 1000;

/// Parses one formula; throws InputError naming the formula and the problem (empty, unknown element,
/// malformed or zero count, stray character).
Bag parse_formula(const std::string& formula);

/// Parses a comma-separated list of formulas ("H2O,CHN"); spaces around the commas are ignored.
/// Throws InputError for an empty list or item, or any item parse_formula rejects.
std::vector<Bag> parse_formula_list(const std::string& formulas);

/// Number of atoms in the bag.
int bag_size(const Bag& bag);

/// The bag as a formula in Hill order (C, H, then alphabetical), e.g. "CH3NO".
std::string formula_of(const Bag& bag);

/// Electrons of the neutral bag (sum of Z): its parity fixes the lowest spin multiplicity.
int electron_count(const Bag& bag);

/// Usual valence (number of bonds) of an element as MolGym's stochastic bags count it: H 1, B 3, C 4,
/// N 3, O 2, F 1, extended with Si 4, P 3, S 2, Cl 1, Br 1, I 1. Throws InputError for other elements.
int usual_valence(int atomic_number);

/// Sum of usual valences. A closed-shell molecule has an even sum (every bond uses two ends);
/// stochastic bags with an odd sum are rejected and redrawn.
int total_valence(const Bag& bag);
bool has_even_valence(const Bag& bag);

}  // namespace equimol::envs
