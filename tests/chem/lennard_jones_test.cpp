// Lennard-Jones: pair energy, analytic forces, and the tabulated cluster minima.
#include <gtest/gtest.h>

#include <random>

#include "chem/lennard_jones.h"
#include "chem/optimizer.h"
#include "finite_differences.h"
#include "lj_clusters.h"

namespace equimol {
namespace {

TEST(LennardJones, PairEnergyAtMinimumIsMinusEpsilon) {
  LennardJones lj(LennardJonesOptions{2.0, 1.5});
  Atoms dimer;
  dimer.numbers = {18, 18};
  dimer.positions = Positions::Zero(2, 3);
  dimer.positions(1, 0) = std::pow(2.0, 1.0 / 6.0) * 1.5;  // r_min = 2^(1/6) σ
  const Results& r = lj.calculate(dimer);
  EXPECT_NEAR(r.energy, -2.0, 1e-12);
  EXPECT_NEAR(r.forces.norm(), 0.0, 1e-12);
  dimer.positions(1, 0) = 1.5;  // r = σ: zero energy, repulsive
  EXPECT_NEAR(lj.calculate(dimer).energy, 0.0, 1e-12);
  EXPECT_GT(lj.calculate(dimer).forces(1, 0), 0.0);
}

TEST(LennardJones, ForcesMatchFiniteDifferences) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> jitter(-0.1, 0.1);
  Atoms atoms = testing::lj13_icosahedron();
  for (int i = 0; i < atoms.size(); ++i)
    for (int d = 0; d < 3; ++d) atoms.positions(i, d) += jitter(rng);
  LennardJones lj;
  testing::expect_forces_match_finite_differences(lj, atoms, 1e-6, 1e-6);
}

TEST(LennardJones, Lj13IcosahedronRelaxesToTabulatedMinimum) {
  LennardJones lj;
  OptimizerOptions options;
  options.fmax = 1e-4;
  const OptimizeResult result = Lbfgs(options).run(lj, testing::lj13_icosahedron());
  ASSERT_TRUE(result.converged);
  EXPECT_NEAR(result.energy, -44.326801, 1e-6);
}

TEST(LennardJones, Lj7PentagonalBipyramidRelaxesToGlobalMinimum) {
  LennardJones lj;
  OptimizerOptions options;
  options.fmax = 1e-4;
  const OptimizeResult result = Fire(options).run(lj, testing::lj7_pentagonal_bipyramid());
  ASSERT_TRUE(result.converged);
  EXPECT_NEAR(result.energy, -16.505384, 1e-6);
}

TEST(LennardJones, RejectsNonPositiveParameters) {
  EXPECT_THROW(LennardJones(LennardJonesOptions{0.0, 1.0}), std::invalid_argument);
  EXPECT_THROW(LennardJones(LennardJonesOptions{1.0, -1.0}), std::invalid_argument);
}

}  // namespace
}  // namespace equimol
