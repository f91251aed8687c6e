#include "envs/formula.h"

#include <cctype>

#include "chem/atoms.h"
#include "chem/elements.h"
#include "chem/errors.h"

namespace equimol::envs {
namespace {

[[noreturn]] void fail(const std::string& formula, const std::string& problem) {
  throw InputError("formula '" + formula + "': " + problem);
}

// Z of a case-sensitive symbol, 0 when it names no element ("CL", "Xx").
int exact_atomic_number(const std::string& symbol) {
  if (!is_element_symbol(symbol)) return 0;
  const int z = atomic_number(symbol);
  return element(z).symbol == symbol ? z : 0;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

Bag parse_formula(const std::string& formula) {
  if (trimmed(formula).empty()) fail(formula, "empty formula");
  Bag bag;
  size_t k = 0;
  while (k < formula.size()) {
    const unsigned char c = static_cast<unsigned char>(formula[k]);
    if (std::isdigit(c)) fail(formula, "count '" + std::string(1, formula[k]) + "' at position " + std::to_string(k + 1) + " follows no element");
    if (!std::isupper(c)) {
      fail(formula, "unexpected character '" + std::string(1, formula[k]) + "' at position " + std::to_string(k + 1) +
                        " (symbols start with a capital letter)");
    }
    std::string symbol(1, formula[k++]);
    while (k < formula.size() && std::islower(static_cast<unsigned char>(formula[k]))) symbol += formula[k++];
    const int z = exact_atomic_number(symbol);
    if (z == 0) {
      const std::string why = unknown_element_message(symbol);
      fail(formula, why.rfind("unknown", 0) == 0 ? why + " (symbols are case-sensitive, e.g. Cl, Br)" : why);
    }
    const size_t digits = k;
    while (k < formula.size() && std::isdigit(static_cast<unsigned char>(formula[k]))) ++k;
    long count = 1;
    if (k > digits) {
      const std::string text = formula.substr(digits, k - digits);
      if (text[0] == '0') fail(formula, "malformed count '" + text + "' after " + symbol + " (a positive whole number without leading zeros)");
      if (text.size() > 4 || std::stol(text) > kMaxFormulaCount) {
        fail(formula, "count " + text + " of " + symbol + " exceeds " + std::to_string(kMaxFormulaCount));
      }
      count = std::stol(text);
    }
    bag[z] += static_cast<int>(count);
    if (bag[z] > kMaxFormulaCount) fail(formula, "more than " + std::to_string(kMaxFormulaCount) + " " + symbol + " atoms");
  }
  return bag;
}

std::vector<Bag> parse_formula_list(const std::string& formulas) {
  if (trimmed(formulas).empty()) throw InputError("formula list '" + formulas + "': empty");
  std::vector<Bag> bags;
  size_t start = 0;
  while (true) {
    const size_t comma = formulas.find(',', start);
    const std::string item = trimmed(formulas.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (item.empty()) {
      throw InputError("formula list '" + formulas + "': item " + std::to_string(bags.size() + 1) + " is empty");
    }
    bags.push_back(parse_formula(item));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return bags;
}

int bag_size(const Bag& bag) {
  int n = 0;
  for (const auto& [z, count] : bag) n += count;
  return n;
}

std::string formula_of(const Bag& bag) {
  Atoms atoms;
  for (const auto& [z, count] : bag) atoms.numbers.insert(atoms.numbers.end(), count, z);
  return chemical_formula(atoms);
}

int electron_count(const Bag& bag) {
  int electrons = 0;
  for (const auto& [z, count] : bag) electrons += z * count;
  return electrons;
}

int usual_valence(int atomic_number) {
  switch (atomic_number) {
    case 1: case 9: case 17: case 35: case 53: return 1;  // H, F, Cl, Br, I
    case 8: case 16: return 2;                            // O, S
    case 5: case 7: case 15: return 3;                    // B, N, P
    case 6: case 14: return 4;                            // C, Si
    default:
      throw InputError("element " + std::string(element(atomic_number).symbol) +
                       " has no usual valence for stochastic bags (H B C N O F Si P S Cl Br I)");
  }
}

int total_valence(const Bag& bag) {
  int valence = 0;
  for (const auto& [z, count] : bag) valence += usual_valence(z) * count;
  return valence;
}

bool has_even_valence(const Bag& bag) { return total_valence(bag) % 2 == 0; }

}  // namespace equimol::envs
