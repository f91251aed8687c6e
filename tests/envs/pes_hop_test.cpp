// The hop move: where surface_site puts an atom, and what a hop does in PesEnv.
#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>

#include "chem/rdkit_bridge.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"
#include "envs/pes_hop.h"
#include "envs/rng.h"
#include "test_util.h"

namespace equimol::envs {
namespace {

Eigen::RowVector3d centroid_without(const Positions& x, int atom) {
  Eigen::RowVector3d c = Eigen::RowVector3d::Zero();
  for (int k = 0; k < x.rows(); ++k)
    if (k != atom) c += x.row(k);
  return c / static_cast<double>(x.rows() - 1);
}

TEST(SurfaceSite, TwoAtomsLandAtContactAlongTheDirection) {
  Positions x(2, 3);
  x << 0.3, -0.2, 0.1, 5.0, 5.0, 5.0;
  const Eigen::RowVector3d site = surface_site(x, 1, Eigen::RowVector3d(0.0, 0.0, -2.0), [](int) { return 1.5; });
  EXPECT_NEAR((site - Eigen::RowVector3d(0.3, -0.2, -1.4)).norm(), 0.0, 1e-12);
}

// Random clusters and directions: the site lies on the ray from the others' centroid, touches one
// atom at its contact distance and is no closer than contact to any other.
TEST(SurfaceSite, TouchesOneAtomAndClearsTheOthers) {
  Rng rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const Atoms cluster = random_cluster(9, rng);
    const Positions& x = cluster.positions;
    const int atom = trial % 9;
    const Eigen::RowVector3d u(rng.uniform(-1, 1), rng.uniform(-1, 1), rng.uniform(-1, 1));
    auto contact = [](int k) { return 1.0 + 0.05 * k; };
    const Eigen::RowVector3d site = surface_site(x, atom, u, contact);
    const Eigen::RowVector3d from_centre = site - centroid_without(x, atom);
    EXPECT_NEAR(from_centre.cross(u.normalized()).norm(), 0.0, 1e-9);
    EXPECT_GE(from_centre.dot(u), 0.0);
    double closest = 1e9;
    for (int k = 0; k < 9; ++k)
      if (k != atom) closest = std::min(closest, (site - x.row(k)).norm() - contact(k));
    EXPECT_NEAR(closest, 0.0, 1e-9) << "trial " << trial;
  }
}

TEST(SurfaceSite, ARayThroughARingLandsOnTheCentroid) {
  Positions x(7, 3);
  for (int k = 0; k < 6; ++k) x.row(k) << 2.0 * std::cos(k * M_PI / 3), 2.0 * std::sin(k * M_PI / 3), 0.0;
  x.row(6) << 3.0, 3.0, 3.0;
  const Eigen::RowVector3d site = surface_site(x, 6, Eigen::RowVector3d(0.0, 0.0, 1.0), [](int) { return 1.0; });
  EXPECT_NEAR(site.norm(), 0.0, 1e-12);
}

TEST(SurfaceSite, RefusesAZeroDirection) {
  Positions x = Positions::Zero(2, 3);
  x(1, 0) = 1.0;
  EXPECT_THROW(surface_site(x, 0, Eigen::RowVector3d::Zero(), [](int) { return 1.0; }), std::invalid_argument);
}

using testing::lj_options;

TEST(PesEnvHop, RandomHopsFindAllFourLj7Minima) {
  PesEnv env(lj_options(7, 1, 300));
  env.reset(1);
  RandomPerturbation hops(2, 0.0, 1.0);
  run_exploration(env, hops, 300);
  std::vector<double> found;
  for (const auto& r : env.registry().records()) found.push_back(r.minimum.energy);
  std::sort(found.begin(), found.end());
  const std::vector<double> expected = {-16.505384, -15.935043, -15.593211, -15.533060};
  ASSERT_EQ(found.size(), expected.size());
  for (size_t k = 0; k < expected.size(); ++k) EXPECT_NEAR(found[k], expected[k], 2e-6);
}

// The hopping atom moves, the others stay for the relaxation to move; the observation marks it.
TEST(PesEnvHop, MovesOneAtomAndMarksIt) {
  PesEnv env(lj_options(7, 1, 10));
  env.reset(1);
  const StepResult r = env.step(hop_action(7, 4, Eigen::RowVector3d(0.0, 1.0, 0.0)));
  const auto& graph = std::get<GraphObservation>(r.obs);
  for (int k = 0; k < 7; ++k) {
    EXPECT_EQ(graph.node_features[2 * k] > 0.0, k == 4) << k;      // times moved
    EXPECT_EQ(graph.node_features[2 * k + 1] > 0.0, k == 4) << k;  // moved in the last step
  }
  EXPECT_EQ(r.info.values.at("relaxations"), 2.0);  // the start and the hop
}

// PesEnv::hop_site, the landing a hop relaxes from: at the LJ pair minimum from the atom it touches,
// no closer to any other.
TEST(PesEnvHop, HopSiteTouchesAtThePairMinimum) {
  PesEnv env(lj_options(7, 1, 10));
  env.reset(1);
  const Atoms& atoms = env.current().minimum.atoms;
  const Eigen::RowVector3d site = env.hop_site(atoms, 4, Eigen::RowVector3d(0.3, -1.0, 0.2));
  double nearest = 1e9;
  for (int k = 0; k < 7; ++k)
    if (k != 4) nearest = std::min(nearest, (atoms.positions.row(k) - site).norm());
  EXPECT_NEAR(nearest, std::pow(2.0, 1.0 / 6.0), 1e-12);
}

TEST(PesEnvHop, AZeroDirectionFailsTheStepAndStays) {
  const PesEnvOptions options = lj_options(7, 1, 10);
  PesEnv env(options);
  env.reset(1);
  const StepResult r = env.step(hop_action(7, 2, Eigen::RowVector3d::Zero()));
  EXPECT_DOUBLE_EQ(r.reward, options.reward.failure_penalty);
  EXPECT_EQ(env.current_id(), 0);
  EXPECT_EQ(r.info.values.at("relaxations"), 1.0);
}

// Vinyl alcohol's hydroxyl H hopped onto the CH2 carbon: the keto tautomer, acetaldehyde (GFN2).
TEST(PesEnvHop, HoppingTheEnolHydrogenOntoCarbonMakesAcetaldehyde) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = atoms_from_smiles("C=CO", 1);
  PesEnv env(options);
  env.reset(1);
  ASSERT_EQ(env.current().smiles, "C=CO");
  const Atoms& a = env.current().minimum.atoms;
  int hydroxyl_h = -1;
  for (const auto& [i, j] : env.current().minimum.graph.bonds) {
    if (a.numbers[i] == 8 && a.numbers[j] == 1) hydroxyl_h = j;
    if (a.numbers[j] == 8 && a.numbers[i] == 1) hydroxyl_h = i;
  }
  const int ch2 = 0;  // RDKit keeps the SMILES order: atom 0 is the CH2 carbon
  ASSERT_EQ(a.numbers[ch2], 6);
  ASSERT_GE(hydroxyl_h, 0);
  const Eigen::RowVector3d towards = a.positions.row(ch2) - centroid_without(a.positions, hydroxyl_h);
  const StepResult r = env.step(hop_action(a.size(), hydroxyl_h, towards));
  EXPECT_EQ(env.current().smiles, "CC=O");
  EXPECT_DOUBLE_EQ(r.reward, options.reward.new_minimum + options.reward.bond_change_bonus);
}

}  // namespace
}  // namespace equimol::envs
