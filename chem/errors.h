// The few error types of chem/ (after ASE's InputError / CalculationFailed).
#pragma once

#include <stdexcept>
#include <string>

namespace equimol {

/// Bad input from a user: a file, a SMILES, an option. The message names the input and the problem.
/// Derives from std::invalid_argument so that the CLI maps it (and option checks) to exit code 2.
class InputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

}  // namespace equimol
