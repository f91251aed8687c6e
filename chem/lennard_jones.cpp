#include "lennard_jones.h"

#include <cmath>
#include <stdexcept>

namespace equimol {

LennardJones::LennardJones(LennardJonesOptions options) : options_(options) {
  if (!(options_.epsilon > 0.0) || !(options_.sigma > 0.0)) {
    throw std::invalid_argument("Lennard-Jones needs epsilon > 0 and sigma > 0, got epsilon=" +
                                std::to_string(options_.epsilon) + " sigma=" + std::to_string(options_.sigma));
  }
}

Results LennardJones::compute(const Atoms& atoms, Properties properties) {
  const int n = atoms.size();
  const double sigma_sq = options_.sigma * options_.sigma;
  Results results;
  results.forces = Positions::Zero(n, 3);
  double energy = 0.0;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      const Eigen::RowVector3d r_ij = atoms.positions.row(i) - atoms.positions.row(j);
      const double inv_r2 = 1.0 / r_ij.squaredNorm();
      const double s6 = sigma_sq * sigma_sq * sigma_sq * inv_r2 * inv_r2 * inv_r2;  // (σ/r)^6
      energy += 4.0 * options_.epsilon * (s6 * s6 - s6);
      // F_i = −dE/dr_i = 24ε (2 (σ/r)^12 − (σ/r)^6) r_ij / r²
      const Eigen::RowVector3d f = 24.0 * options_.epsilon * (2.0 * s6 * s6 - s6) * inv_r2 * r_ij;
      results.forces.row(i) += f;
      results.forces.row(j) -= f;
    }
  }
  results.energy = energy;
  results.ok = std::isfinite(energy);
  if (!results.ok) results.error = "Lennard-Jones energy is not finite (atoms on top of each other)";
  if (!properties.has(Property::kForces)) results.forces.resize(0, 3);
  return results;
}

}  // namespace equimol
