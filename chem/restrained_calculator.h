// A calculator plus harmonic distance restraints: E = E_inner + Σ ½ k (|r_i − r_j| − d0)².
// Used to drive a pair of atoms to a target distance (bond formation or breaking) before a free
// relaxation. Units follow the inner calculator (eV and Å, or ε and σ). calculate_fresh() reaches the
// inner calculator: the restrained energy then comes from its fresh SCF.
#pragma once

#include <vector>

#include "calculator.h"

namespace equimol {

struct DistanceRestraint {
  int i = 0;
  int j = 0;
  double target = 1.5;          ///< d0, Å
  double force_constant = 5.0;  ///< k, eV/Å²
};

class RestrainedCalculator final : public Calculator {
 public:
  RestrainedCalculator(Calculator& inner, std::vector<DistanceRestraint> restraints);

  std::string name() const override { return inner_.name() + "+restraints"; }
  Properties implemented() const override { return kEnergyAndForces; }
  std::string energy_unit() const override { return inner_.energy_unit(); }

 protected:
  Results compute(const Atoms& atoms, Properties properties) override;
  bool forget_history() override { return inner_.forget(); }

 private:
  Calculator& inner_;
  std::vector<DistanceRestraint> restraints_;
};

}  // namespace equimol
