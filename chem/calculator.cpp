#include "calculator.h"

#include <chrono>
#include <stdexcept>

namespace equimol {

bool Calculator::cached(const Atoms& atoms, Properties properties) const {
  return has_last_ && last_.ok && last_.computed.contains(properties) && atoms.charge == last_atoms_.charge &&
         atoms.uhf == last_atoms_.uhf && atoms.numbers == last_atoms_.numbers &&
         atoms.positions.rows() == last_atoms_.positions.rows() && atoms.positions == last_atoms_.positions;
}

const Results& Calculator::calculate(const Atoms& atoms, Properties properties) {
  if (!implemented().contains(properties)) {
    throw std::invalid_argument(name() + " calculator cannot compute the requested properties");
  }
  if (cached(atoms, properties)) return last_;
  ++calls_;
  const auto start = std::chrono::steady_clock::now();
  last_ = compute(atoms, properties);
  compute_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (last_.ok) last_.computed = last_.computed | properties;  // compute() may add cheap extras
  last_atoms_.numbers = atoms.numbers;
  last_atoms_.positions = atoms.positions;
  last_atoms_.charge = atoms.charge;
  last_atoms_.uhf = atoms.uhf;
  has_last_ = true;
  return last_;
}

bool Calculator::forget() {
  if (!forget_history()) return false;
  has_last_ = false;  // the last result may have come from the dropped state
  return true;
}

const Results& Calculator::calculate_fresh(const Atoms& atoms, Properties properties) {
  forget();
  return calculate(atoms, properties);
}

}  // namespace equimol
