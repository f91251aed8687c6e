// Analytic forces against central differences of the energy, for any calculator.
#pragma once

#include <gtest/gtest.h>

#include "chem/calculator.h"

namespace equimol::testing {

/// Expects F = -dE/dx within `tolerance` for every coordinate, with a central step `step`.
inline void expect_forces_match_finite_differences(Calculator& calculator, const Atoms& atoms, double step,
                                                   double tolerance) {
  const Results analytic = calculator.calculate(atoms);
  ASSERT_TRUE(analytic.ok) << analytic.error;
  for (int i = 0; i < atoms.size(); ++i) {
    for (int d = 0; d < 3; ++d) {
      Atoms plus = atoms, minus = atoms;
      plus.positions(i, d) += step;
      minus.positions(i, d) -= step;
      const double e_plus = calculator.calculate(plus, Property::kEnergy).energy;
      const double e_minus = calculator.calculate(minus, Property::kEnergy).energy;
      EXPECT_NEAR(analytic.forces(i, d), -(e_plus - e_minus) / (2 * step), tolerance) << "atom " << i << " axis " << d;
    }
  }
}

}  // namespace equimol::testing
