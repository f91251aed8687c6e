// SurrogateSurface: analytic forces, symmetry of the model, and what it learns of a known surface
// (Lennard-Jones) from energies and forces.
#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <random>
#include <stdexcept>

#include "chem/geometry.h"
#include "chem/lennard_jones.h"
#include "chem/optimizer.h"
#include "chem/surrogate_surface.h"
#include "chem/finite_differences.h"
#include "chem/lj_clusters.h"

namespace equimol {
namespace {

/// The LJ7 minimum with every atom moved by up to `amplitude` σ (uniform in a cube).
Atoms jiggled(const Atoms& atoms, double amplitude, std::mt19937& rng) {
  std::uniform_real_distribution<double> u(-amplitude, amplitude);
  Atoms out = atoms;
  for (int i = 0; i < out.size(); ++i)
    for (int d = 0; d < 3; ++d) out.positions(i, d) += u(rng);
  return out;
}

Atoms lj7_minimum() {
  LennardJones lj;
  OptimizerOptions tight;
  tight.fmax = 1e-6;
  return Lbfgs(tight).run(lj, testing::lj7_pentagonal_bipyramid()).atoms;
}

/// A model trained on `count` jiggled copies of the LJ7 minimum.
SurrogateSurface trained_on_lj7(int count, std::mt19937& rng, std::vector<int> numbers = std::vector<int>(7, 18)) {
  LennardJones lj;
  const Atoms minimum = lj7_minimum();
  SurrogateOptions options;
  options.max_force = 100.0;  // ε/σ: jiggles of 0.06 σ push atoms up the walls of the pairs
  SurrogateSurface model(numbers, options);
  for (int k = 0; k < count; ++k) {
    Atoms a = jiggled(minimum, 0.06, rng);
    a.numbers = numbers;
    const Results r = lj.calculate(a);
    EXPECT_TRUE(model.add(a, r.energy, r.forces));
  }
  model.fit();
  return model;
}

TEST(SurrogateSurface, ForcesAreMinusTheGradientOfItsEnergy) {
  std::mt19937 rng(1);
  // Two elements, so the per-element blocks and representatives are exercised.
  const std::vector<int> numbers = {6, 1, 1, 8, 6, 1, 1};
  SurrogateSurface model = trained_on_lj7(30, rng, numbers);
  Atoms probe = jiggled(lj7_minimum(), 0.05, rng);
  probe.numbers = numbers;
  testing::expect_forces_match_finite_differences(model, probe, 1e-5, 1e-6);
}

TEST(SurrogateSurface, EnergyIsInvariantAndForcesRotateWithTheStructure) {
  std::mt19937 rng(2);
  SurrogateSurface model = trained_on_lj7(30, rng);
  const Atoms a = jiggled(lj7_minimum(), 0.05, rng);
  const Results r = model.calculate(a);
  const Eigen::Matrix3d rotation = Eigen::AngleAxisd(0.7, Eigen::Vector3d(1, 2, -1).normalized()).toRotationMatrix();
  Atoms moved = a;
  moved.positions = (a.positions * rotation.transpose()).rowwise() + Eigen::RowVector3d(0.3, -1.0, 2.0);
  moved.positions.row(1).swap(moved.positions.row(4));  // a permutation of like atoms
  const Results m = model.calculate(moved);
  EXPECT_NEAR(m.energy, r.energy, 1e-10);
  Positions expected = r.forces * rotation.transpose();
  expected.row(1).swap(expected.row(4));
  EXPECT_LT((m.forces - expected).cwiseAbs().maxCoeff(), 1e-10);
}

TEST(SurrogateSurface, LearnsLennardJonesForcesNearAMinimumFromFortyStructures) {
  std::mt19937 rng(3);
  SurrogateSurface model = trained_on_lj7(40, rng);
  LennardJones lj;
  const Atoms minimum = lj7_minimum();
  double error2 = 0.0, force2 = 0.0;
  for (int k = 0; k < 20; ++k) {
    const Atoms a = jiggled(minimum, 0.05, rng);
    const Results truth = lj.calculate(a);
    error2 += (model.calculate(a).forces - truth.forces).squaredNorm();
    force2 += truth.forces.squaredNorm();
  }
  // Held-out structures: the model explains most of the force (a constant model explains none).
  EXPECT_LT(std::sqrt(error2 / force2), 0.06);
}

TEST(SurrogateSurface, RelaxingOnTheModelFindsTheTrueMinimum) {
  std::mt19937 rng(4);
  SurrogateSurface model = trained_on_lj7(40, rng);
  const Atoms minimum = lj7_minimum();
  OptimizerOptions relax;
  relax.fmax = 1e-4;
  const OptimizeResult on_model = Lbfgs(relax).run(model, jiggled(minimum, 0.05, rng));
  ASSERT_TRUE(on_model.converged);
  EXPECT_LT(match_atoms(on_model.atoms, minimum, true).rmsd, 0.01);  // σ
  EXPECT_NEAR(on_model.energy, -16.505384, 0.02);                      // ε
}

// Fitted after every structure, as an exploration does, with the oldest structures leaving beyond
// max_points: the first 60 come from another surface (LJ scaled by 1.5), the last 40 from LJ itself.
// Once those 60 have left, the updated normal equations (the representatives are full, so rows are
// added and removed, not rebuilt, after the refresh at structure 81) describe LJ as one fit of the
// structures kept does, and LJ's minimum.
TEST(SurrogateSurface, ForgetsTheStructuresThatLeaveWhenRefittedIncrementally) {
  std::mt19937 rng(6);
  LennardJones lj;
  const Atoms minimum = lj7_minimum();
  SurrogateOptions options;
  options.max_force = 100.0;
  options.max_points = 40;
  options.max_representatives = 100;
  SurrogateSurface model(std::vector<int>(7, 18), options), once(std::vector<int>(7, 18), options);
  for (int k = 0; k < 100; ++k) {
    const Atoms a = jiggled(minimum, 0.06, rng);
    const Results r = lj.calculate(a);
    const double scale = k < 60 ? 1.5 : 1.0;
    ASSERT_TRUE(model.add(a, scale * r.energy, scale * r.forces));
    model.fit();
    if (k >= 60) once.add(a, r.energy, r.forces);
  }
  once.fit();
  EXPECT_EQ(model.size(), 40);
  const double incremental = model.calculate(minimum).energy;
  EXPECT_NEAR(incremental, once.calculate(minimum).energy, 0.05) << "ε, at the LJ7 minimum";  // other representatives
  EXPECT_NEAR(incremental, -16.505384, 0.1);  // -19.26 when the rows that left stay in
}

TEST(SurrogateSurface, ARefitIsSeenByTheNextCalculationOfTheSameStructure) {
  std::mt19937 rng(5);
  SurrogateSurface model = trained_on_lj7(5, rng);
  const Atoms probe = jiggled(lj7_minimum(), 0.05, rng);
  const double before = model.calculate(probe).energy;
  LennardJones lj;
  const Results truth = lj.calculate(probe);
  model.add(probe, truth.energy, truth.forces);
  EXPECT_THROW(model.calculate(probe), std::logic_error);  // added, not yet fitted: no stale prediction
  model.fit();
  const double after = model.calculate(probe).energy;
  EXPECT_GT(std::abs(after - before), 1e-9);  // not the cached prediction of the old weights
  EXPECT_LT(std::abs(after - truth.energy), std::abs(before - truth.energy));
}

TEST(SurrogateSurface, KeepsNeitherNearDuplicatesNorClashes) {
  SurrogateSurface model(std::vector<int>(7, 18));
  LennardJones lj;
  const Atoms minimum = lj7_minimum();
  const Results r = lj.calculate(minimum);
  EXPECT_TRUE(model.add(minimum, r.energy, r.forces));
  Atoms close = minimum;
  close.positions(0, 0) += 0.005;  // below min_separation (0.02)
  EXPECT_FALSE(model.add(close, r.energy, r.forces));
  Atoms clash = minimum;
  clash.positions.row(1) = clash.positions.row(0) + Eigen::RowVector3d(0.8, 0.0, 0.0);
  const Results c = lj.calculate(clash);
  EXPECT_FALSE(model.add(clash, c.energy, c.forces));  // forces far above max_force
  EXPECT_EQ(model.size(), 1);
}

// covers(): pairs no closer than the closest learnt pair of the same elements. Two atoms pushed
// together, or an element pair never seen within the cutoff, are outside the data; a refused clash
// teaches nothing.
TEST(SurrogateSurface, CoversOnlyPairDistancesItHasLearnt) {
  std::mt19937 rng(4);
  SurrogateSurface model = trained_on_lj7(10, rng);
  const Atoms minimum = lj7_minimum();
  EXPECT_TRUE(model.covers(minimum));
  Atoms pushed = minimum;
  pushed.positions.row(1) = pushed.positions.row(0) + Eigen::RowVector3d(0.8, 0.0, 0.0);
  EXPECT_FALSE(model.covers(pushed));
  LennardJones lj;
  const Results r = lj.calculate(pushed);
  EXPECT_FALSE(model.add(pushed, r.energy, r.forces));  // above max_force: not learnt
  EXPECT_FALSE(model.covers(pushed));

  // Two elements, learnt only with the second one far away: that pair is not covered closer.
  SurrogateSurface mixed({18, 18, 10});
  Atoms far = Atoms();
  far.numbers = {18, 18, 10};
  far.positions = Positions::Zero(3, 3);
  far.positions.row(1) << 1.12, 0.0, 0.0;
  far.positions.row(2) << 0.56, 5.0, 0.0;  // beyond the 4 σ cutoff of both
  EXPECT_TRUE(mixed.add(far, lj.calculate(far).energy, lj.calculate(far).forces));
  EXPECT_TRUE(mixed.covers(far));
  Atoms near = far;
  near.positions.row(2) << 0.56, 3.0, 0.0;
  EXPECT_FALSE(mixed.covers(near));
}

TEST(SurrogateSurface, RefusesUndeclaredElementsAndPredictionsBeforeFitting) {
  SurrogateSurface model(std::vector<int>(7, 18));
  const Atoms minimum = lj7_minimum();
  EXPECT_THROW(model.calculate(minimum), std::logic_error);
  EXPECT_THROW(model.fit(), std::logic_error);
  Atoms other = minimum;
  other.numbers[0] = 10;
  EXPECT_THROW(model.add(other, 0.0, Positions::Zero(7, 3)), std::invalid_argument);
  SurrogateOptions bad;
  bad.smearing = 0.0;
  EXPECT_THROW(SurrogateSurface(std::vector<int>(7, 18), bad), std::invalid_argument);
}

}  // namespace
}  // namespace equimol
