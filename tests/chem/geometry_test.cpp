// Centre of mass, inertia, Kabsch, atom matching and the same-minimum test.
#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <random>

#include "chem/elements.h"
#include "chem/geometry.h"
#include "chem/rdkit_bridge.h"
#include "lj_clusters.h"
#include "test_support.h"

namespace equimol {
namespace {

// A rigid copy: rotated, translated and with its atoms listed in a shuffled order.
Atoms moved_copy(const Atoms& atoms, std::mt19937& rng, std::vector<int>* order_out = nullptr) {
  const Eigen::Matrix3d rotation = testing::random_rotation(rng);
  const Eigen::RowVector3d shift(3.0, -7.5, 1.25);
  std::vector<int> order(atoms.size());
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin(), order.end(), rng);
  Atoms copy = atoms;
  for (int i = 0; i < atoms.size(); ++i) {
    copy.numbers[i] = atoms.numbers[order[i]];
    copy.positions.row(i) = atoms.positions.row(order[i]) * rotation.transpose() + shift;
  }
  if (order_out) *order_out = order;
  return copy;
}

TEST(Geometry, DiatomicInertiaIsReducedMassTimesDistanceSquared) {
  Atoms co({6, 8}, Positions::Zero(2, 3));
  co.positions(1, 2) = 1.128;
  const double m_c = element(6).mass_amu, m_o = element(8).mass_amu;
  const Eigen::Vector3d moments = principal_moments(co);
  EXPECT_NEAR(moments(0), 0.0, 1e-10);
  EXPECT_NEAR(moments(2), m_c * m_o / (m_c + m_o) * 1.128 * 1.128, 1e-10);
  EXPECT_NEAR(center_of_mass(co)(2), m_o * 1.128 / (m_c + m_o), 1e-12);
}

TEST(Geometry, KabschRecoversARigidMotion) {
  std::mt19937 rng(11);
  const Atoms a = atoms_from_smiles("CC(=O)Nc1ccccc1", 4);
  const Eigen::Matrix3d rotation = testing::random_rotation(rng);
  const Positions b = (a.positions * rotation.transpose()).rowwise() + Eigen::RowVector3d(1, 2, 3);
  const Superposition s = kabsch(a.positions, b);
  EXPECT_LT(s.rmsd, 1e-10);
  EXPECT_LT((s.rotation - rotation).norm(), 1e-10);
  // A mirror image is not a rotation: without reflection its RMSD stays large.
  Positions mirror = a.positions;
  mirror.col(0) *= -1.0;
  EXPECT_GT(aligned_rmsd(mirror, a.positions), 0.1);
  EXPECT_LT(kabsch(mirror, a.positions, true).rmsd, 1e-10);
}

TEST(Geometry, AssignmentMatchesBruteForce) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  for (int trial = 0; trial < 20; ++trial) {
    const int n = 2 + trial % 5;
    Eigen::MatrixXd cost(n, n);
    for (int i = 0; i < n; ++i)
      for (int j = 0; j < n; ++j) cost(i, j) = u(rng);
    const std::vector<int> fast = solve_assignment(cost);
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    double best = 1e300;
    do {
      double c = 0;
      for (int i = 0; i < n; ++i) c += cost(i, perm[i]);
      best = std::min(best, c);
    } while (std::next_permutation(perm.begin(), perm.end()));
    double got = 0;
    for (int i = 0; i < n; ++i) got += cost(i, fast[i]);
    EXPECT_NEAR(got, best, 1e-9);
  }
}

class MovedCopy : public ::testing::TestWithParam<std::string> {};

TEST_P(MovedCopy, IsTheSameMinimumWithTinyRmsd) {
  std::mt19937 rng(2024);
  const Atoms a = GetParam() == "lj13" ? testing::lj13_icosahedron() : atoms_from_smiles(GetParam(), 9);
  for (int trial = 0; trial < 5; ++trial) {
    std::vector<int> order;
    const Atoms b = moved_copy(a, rng, &order);
    const Matching m = match_atoms(b, a);
    EXPECT_LT(m.rmsd, 1e-8) << GetParam() << " trial " << trial;
    const Minimum ma{a, -10.0, bonds_from_covalent_radii(a), ""};
    const Minimum mb{b, -10.0 + 1e-5, bonds_from_covalent_radii(b), ""};
    EXPECT_TRUE(same_minimum(ma, mb)) << GetParam();
  }
}

INSTANTIATE_TEST_SUITE_P(Structures, MovedCopy,
                         ::testing::Values("CC(=O)Nc1ccccc1", "OCC(O)CO", "C1CCCCC1", "CC(C)(C)C", "lj13"),
                         [](const auto& info) { return "case" + std::to_string(info.index); });

// Rotates the atoms on one side of bond (i, j) by `angle` about the bond axis: a new conformer.
Atoms rotate_about_bond(const Atoms& atoms, int i, int j, double angle) {
  const BondGraph graph = bonds_from_covalent_radii(atoms);
  const auto adjacency = graph.neighbours();
  std::vector<bool> side(atoms.size(), false);
  std::vector<int> stack = {j};
  side[j] = true;
  while (!stack.empty()) {
    const int k = stack.back();
    stack.pop_back();
    for (int l : adjacency[k]) {
      if (l == i || side[l]) continue;
      side[l] = true;
      stack.push_back(l);
    }
  }
  const Eigen::Vector3d origin = atoms.positions.row(j).transpose();
  const Eigen::Vector3d axis = (atoms.positions.row(j) - atoms.positions.row(i)).transpose().normalized();
  const Eigen::Matrix3d r = Eigen::AngleAxisd(angle, axis).toRotationMatrix();
  Atoms out = atoms;
  for (int k = 0; k < atoms.size(); ++k) {
    if (side[k] && k != j) out.positions.row(k) = (r * (atoms.positions.row(k).transpose() - origin) + origin).transpose();
  }
  return out;
}

TEST(Geometry, DifferentConformerIsNotTheSameMinimum) {
  const Atoms butane = atoms_from_smiles("CCCC", 5);  // heavy atoms 0..3
  const Atoms rotated = rotate_about_bond(butane, 1, 2, 2.0 * M_PI / 3.0);
  EXPECT_EQ(bonds_from_covalent_radii(rotated), bonds_from_covalent_radii(butane));  // same graph
  const Minimum a{butane, 0.0, bonds_from_covalent_radii(butane), ""};
  const Minimum b{rotated, 0.0, bonds_from_covalent_radii(rotated), ""};
  EXPECT_GT(match_atoms(rotated, butane).rmsd, SameMinimumOptions{}.rmsd_tolerance);
  EXPECT_FALSE(same_minimum(a, b));
}

TEST(Geometry, EnergyAndGraphAreChecked) {
  const Atoms ethanol = atoms_from_smiles("CCO", 5);
  const BondGraph graph = bonds_from_covalent_radii(ethanol);
  const Minimum a{ethanol, -1.0, graph, ""};
  Minimum higher = a;
  higher.energy += 0.01;  // 0.23 kcal/mol, above CREST's 0.05 kcal/mol
  EXPECT_FALSE(same_minimum(a, higher));
  Minimum broken = a;
  broken.graph.bonds.pop_back();
  EXPECT_FALSE(same_minimum(a, broken));
  SameMinimumOptions no_graph;
  no_graph.compare_graphs = false;
  EXPECT_TRUE(same_minimum(a, broken, no_graph));
}

TEST(Geometry, MirrorImagesDifferUnlessReflectionAllowed) {
  const Atoms chiral = atoms_from_smiles("C[C@H](O)CC", 5);
  Atoms mirror = chiral;
  mirror.positions.col(0) *= -1.0;
  const BondGraph graph = bonds_from_covalent_radii(chiral);
  const Minimum a{chiral, 0.0, graph, ""}, b{mirror, 0.0, graph, ""};
  EXPECT_FALSE(same_minimum(a, b));
  SameMinimumOptions reflect;
  reflect.allow_reflection = true;
  EXPECT_TRUE(same_minimum(a, b, reflect));
}

TEST(BondGraph, FragmentsAndHash) {
  Atoms two_waters = atoms_from_smiles("O.O", 1);
  const BondGraph graph = bonds_from_covalent_radii(two_waters);
  EXPECT_EQ(fragment_count(graph), 2);
  std::mt19937 rng(1);
  const Atoms ethanol = atoms_from_smiles("CCO", 5);
  const Atoms copy = moved_copy(ethanol, rng);
  EXPECT_EQ(graph_hash(ethanol.numbers, bonds_from_covalent_radii(ethanol)),
            graph_hash(copy.numbers, bonds_from_covalent_radii(copy)));
  const Atoms ether = atoms_from_smiles("COC", 5);
  EXPECT_NE(graph_hash(ethanol.numbers, bonds_from_covalent_radii(ethanol)),
            graph_hash(ether.numbers, bonds_from_covalent_radii(ether)));
}

// Short bonds get an absolute slack: H2 as GFN-FF relaxes it (0.778 Å) is one molecule, though 1.2 times
// two hydrogen radii is 0.744 Å; past 0.62 + 0.2 Å it is two atoms. C-C keeps its 1.2 factor (1.824 Å).
TEST(BondGraph, HydrogenMoleculeIsBondedAtItsRelaxedLength) {
  const auto h2 = [](double d) { return Atoms({1, 1}, (Positions(2, 3) << 0, 0, 0, 0, 0, d).finished()); };
  EXPECT_EQ(bonds_from_covalent_radii(h2(0.778)).bonds.size(), 1u);
  EXPECT_EQ(bonds_from_covalent_radii(h2(0.83)).bonds.size(), 0u);
  const auto c2 = [](double d) { return Atoms({6, 6}, (Positions(2, 3) << 0, 0, 0, 0, 0, d).finished()); };
  EXPECT_EQ(bonds_from_covalent_radii(c2(1.82)).bonds.size(), 1u);
  EXPECT_EQ(bonds_from_covalent_radii(c2(1.83)).bonds.size(), 0u);
}

// Stores keep graphs as "i-j" text: it reads back, and a pair that is not two atoms of the structure is
// refused by name rather than becoming a bond to atom 0 (what std::stoi of "x" would make of it).
TEST(BondGraph, TextRoundTripsAndMalformedPairsAreRefused) {
  const BondGraph ethanol = bonds_from_covalent_radii(atoms_from_smiles("CCO", 5));
  EXPECT_EQ(parse_bonds(ethanol.n_atoms, bonds_text(ethanol)), ethanol);
  EXPECT_EQ(parse_bonds(3, ""), (BondGraph{3, {}}));
  for (const char* bad : {"0-3", "0-", "a-1", "1", "0-1x", "-1-2"}) {
    try {
      parse_bonds(3, bad);
      ADD_FAILURE() << bad << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(bad), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace equimol
