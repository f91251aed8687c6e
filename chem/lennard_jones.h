// Lennard-Jones pair potential in reduced units: E = Σ_{i<j} 4ε[(σ/r)^12 − (σ/r)^6], no cutoff.
// Energies are in units of ε and positions in units of σ (Calculator::energy_unit() == "epsilon"),
// which is how LJ cluster minima are tabulated (LJ13 icosahedron: −44.326801 ε).
#pragma once

#include "calculator.h"

namespace equimol {

struct LennardJonesOptions {
  double epsilon = 1.0;  ///< well depth
  double sigma = 1.0;    ///< distance where the pair energy is zero
};

class LennardJones final : public Calculator {
 public:
  explicit LennardJones(LennardJonesOptions options = {});

  std::string name() const override { return "lj"; }
  Properties implemented() const override { return kEnergyAndForces; }
  std::string energy_unit() const override { return "epsilon"; }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override;

 private:
  LennardJonesOptions options_;
};

}  // namespace equimol
