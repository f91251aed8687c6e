// The few error types of chem/ (after ASE's InputError / CalculationFailed).
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace equimol {

/// Bad input from a user: a file, a SMILES, an option. The message names the input and the problem.
/// Derives from std::invalid_argument so that the CLI maps it (and option checks) to exit code 2.
class InputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// "a, b, c": the known names an error message lists (envs, agents, commands).
inline std::string comma_separated(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : ", ") + name;
  return text;
}

}  // namespace equimol
