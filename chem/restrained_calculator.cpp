#include "restrained_calculator.h"

#include <stdexcept>

namespace equimol {

RestrainedCalculator::RestrainedCalculator(Calculator& inner, std::vector<DistanceRestraint> restraints)
    : inner_(inner), restraints_(std::move(restraints)) {
  for (const auto& r : restraints_) {
    if (r.i == r.j || r.i < 0 || r.j < 0) {
      throw std::invalid_argument("restraint needs two different atoms, got " + std::to_string(r.i) + " and " +
                                  std::to_string(r.j));
    }
    if (!(r.target > 0.0) || !(r.force_constant > 0.0)) {
      throw std::invalid_argument("restraint needs target > 0 and force constant > 0");
    }
  }
}

Results RestrainedCalculator::compute(const Atoms& atoms, Properties properties) {
  Results results = inner_.calculate(atoms, kEnergyAndForces);
  if (!results.ok) return results;
  for (const auto& r : restraints_) {
    if (r.i >= atoms.size() || r.j >= atoms.size()) throw std::invalid_argument("restraint atom index out of range");
    const Eigen::RowVector3d d = atoms.positions.row(r.i) - atoms.positions.row(r.j);
    const double distance = d.norm();
    const double stretch = distance - r.target;
    results.energy += 0.5 * r.force_constant * stretch * stretch;
    const Eigen::RowVector3d f = -r.force_constant * stretch * d / distance;  // on atom i
    results.forces.row(r.i) += f;
    results.forces.row(r.j) -= f;
  }
  results.bond_orders.resize(0, 0);
  return results;
}

}  // namespace equimol
