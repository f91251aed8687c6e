// The design agent's torch-free greedy decoding (rl/design_decoding.h): the plain sub-action greedy it
// replaces, the placement checks on hand-made canvases, the fallback off a mode that collides, and exact
// equivariance under rotations and reflections.
#include <gtest/gtest.h>

#include <Eigen/Geometry>

#include <cmath>
#include <random>

#include "rl/design_decoding.h"

namespace equimol::rl {
namespace {

DirectionLaw vmf(const Eigen::Vector3d& axis, double kappa, double weight) {
  DirectionLaw d;
  d.axis = axis.normalized(), d.kappa = kappa, d.log_weight = std::log(weight);
  return d;
}

DirectionLaw cone(const Eigen::Vector3d& axis, double a, double b, double weight) {
  DirectionLaw d;
  d.is_cone = true, d.axis = axis.normalized(), d.cone_a = a, d.cone_b = b, d.log_weight = std::log(weight);
  return d;
}

PlacementLaw law(double focus_prob, double distance_ang, std::vector<DirectionLaw> directions) {
  PlacementLaw l;
  l.focus_log_prob = std::log(focus_prob);
  l.distance_log_weight = {std::log(0.2), std::log(0.8)};
  l.distance_mean_ang = {distance_ang + 0.3, distance_ang};
  l.distance_std_ang = {0.05, 0.05};
  l.directions = std::move(directions);
  return l;
}

// A C–O canvas with laws that break no rule: the decoding is the plain sub-action greedy of commit
// de371f7 (most probable focus, distance and direction component; a cone's circle point farthest from
// the other atoms).
TEST(DesignDecoding, AValidTopChoiceIsThePlainSubActionGreedy) {
  const std::vector<int> numbers = {6, 8};
  const std::vector<Eigen::Vector3d> x = {{0, 0, 0}, {0, 0, 1.2}};
  const Eigen::Vector3d away(0, 0, -1);
  std::vector<PlacementLaw> laws = {law(0.9, 1.09, {vmf(away, 40, 0.7), cone(away, 22, 9.6, 0.3)}),
                                    law(0.1, 0.97, {vmf(Eigen::Vector3d(0, 0, 1), 40, 1.0)})};
  Eigen::Vector3d h = greedy_position(numbers, x, 1, laws);
  EXPECT_LT((h - Eigen::Vector3d(0, 0, -1.09)).norm(), 1e-12) << h.transpose();
  // The cone heavier: its circle (cos θ = 2·21/29.6 − 1 about the away axis) at the azimuths of the
  // canvas's vectors; on this line canvas only the fixed frame of rl/sphere.h is left.
  laws[0].directions[0].log_weight = std::log(0.3), laws[0].directions[1].log_weight = std::log(0.7);
  h = greedy_position(numbers, x, 1, laws);
  EXPECT_NEAR(h.norm(), 1.09, 1e-12);
  EXPECT_NEAR(h.normalized().dot(away), 2.0 * 21.0 / 29.6 - 1.0, 1e-12);
  EXPECT_LT((h - 1.09 * cone_mode_point(away, 22, 9.6, away)).norm(), 1e-12);
}

TEST(DesignDecoding, PlacementChecks) {
  GreedyOptions o;
  // Methane's carbon and one of its H; the other three H about C.
  const double s = 1.09 / std::sqrt(3.0);
  const std::vector<int> ch4 = {6, 1, 1, 1, 1};
  const std::vector<Eigen::Vector3d> x = {{0, 0, 0}, {s, s, s}, {s, -s, -s}, {-s, s, -s}, {-s, -s, s}};
  EXPECT_EQ(check_placement(ch4, x, 1, 0, Eigen::Vector3d(-1.09, 0, 0), o), PlacementCheck::kOverValent);  // a fifth bond on C
  const std::vector<int> ch3 = {6, 1, 1, 1};
  const std::vector<Eigen::Vector3d> x3(x.begin(), x.begin() + 4);
  EXPECT_EQ(check_placement(ch3, x3, 1, 0, x[4], o), PlacementCheck::kOk);
  EXPECT_EQ(check_placement(ch3, x3, 1, 1, x[1] + Eigen::Vector3d(0.5, 0, 0), o), PlacementCheck::kTooClose);
  // An H on an H that is already bonded (CH3NO seed 3's H2): 0.7 Å from it, 1.6 Å from C.
  EXPECT_EQ(check_placement(ch3, x3, 1, 1, x[1] * (1.0 + 0.7 / 1.09), o), PlacementCheck::kOverValent);
  // An O too close to an atom other than its focus (0.9 Å from an H: 0.8 × 0.97 = 0.78 Å is the limit
  // of a clash; 0.9 is a bond, and that H is saturated).
  EXPECT_EQ(check_placement(ch3, x3, 8, 0, x[1] * (1.0 + 0.65 / 1.09), o), PlacementCheck::kClash);
  EXPECT_EQ(check_placement(ch3, x3, 8, 0, x[1] * (1.0 + 0.9 / 1.09), o), PlacementCheck::kOverValent);
  // DesignEnv's rule: an F with no atom but H/F/Cl/Br within 2 Å is isolated.
  const std::vector<int> hf = {9, 1};
  const std::vector<Eigen::Vector3d> xf = {{0, 0, 0}, {0, 0, 0.92}};
  EXPECT_EQ(check_placement(hf, xf, 9, 0, Eigen::Vector3d(0, 0, -1.4), o), PlacementCheck::kIsolated);
  // A heavy atom bonded to nothing (2.5 Å from C) would start a second fragment.
  EXPECT_EQ(check_placement(ch3, x3, 8, 0, Eigen::Vector3d(-2.5, 0, 0), o), PlacementCheck::kUnbonded);
  // Unknown atomic numbers (0) leave DesignEnv's rules only.
  const std::vector<int> unknown = {0, 0, 0, 0};
  EXPECT_EQ(check_placement(unknown, x3, 8, 0, Eigen::Vector3d(-2.5, 0, 0), o), PlacementCheck::kOk);
  EXPECT_EQ(max_neighbours(6), 4);
  EXPECT_EQ(max_neighbours(16), 6);
  EXPECT_EQ(max_neighbours(53), 5);
}

// CH3NO seed 3's failure: the policy's most probable focus is an H already bonded to N. The H goes
// about N instead, the next most probable path.
TEST(DesignDecoding, AnHIsNotPutOnABondedH) {
  const std::vector<int> numbers = {7, 1};
  const std::vector<Eigen::Vector3d> x = {{0, 0, 0}, {0, 0, 1.01}};
  const std::vector<PlacementLaw> laws = {law(0.3, 1.01, {cone(Eigen::Vector3d(0, 0, 1), 12, 20, 1.0)}),
                                          law(0.7, 0.7, {vmf(Eigen::Vector3d(0, 0, 1), 60, 1.0)})};
  const Eigen::Vector3d h = greedy_position(numbers, x, 1, laws);
  EXPECT_NEAR(h.norm(), 1.01, 1e-12);  // about N, at its distance mean
  EXPECT_NEAR(h.normalized().z(), 2.0 * 11.0 / 30.0 - 1.0, 1e-12);  // on the cone's circle of modes
  EXPECT_EQ(check_placement(numbers, x, 1, 0, h, GreedyOptions{}), PlacementCheck::kOk);
  // Without the checks, the H lands on the H (the plain greedy).
  GreedyOptions plain;
  plain.check_chemistry = false;
  EXPECT_LT((greedy_position(numbers, x, 1, laws, plain) - Eigen::Vector3d(0, 0, 1.71)).norm(), 1e-12);
}

// IF5's failure: on the line F–I–F every law of I is about the line, and its only mode is where an F
// already is. The decoding keeps the most probable path (focus I, its distance mean) and takes, of the
// points at the usual bond angles from I's bonds, the one farthest from the other atoms: 90° off the line.
TEST(DesignDecoding, OffTheModeWhenEveryModeCollides) {
  const std::vector<int> numbers = {53, 9, 9};
  const std::vector<Eigen::Vector3d> x = {{0, 0, 0}, {0, 0, 1.91}, {0, 0, -1.91}};
  const std::vector<PlacementLaw> laws = {law(0.999, 1.9, {vmf(Eigen::Vector3d(0, 0, -1), 10.3, 0.5), vmf(Eigen::Vector3d(0, 0, -1), 10.3, 0.5)}),
                                          law(0.0005, 1.4, {vmf(Eigen::Vector3d(0, 0, 1), 50, 1.0)}),
                                          law(0.0005, 1.4, {vmf(Eigen::Vector3d(0, 0, -1), 50, 1.0)})};
  const Eigen::Vector3d f = greedy_position(numbers, x, 9, laws);
  EXPECT_NEAR(f.norm(), 1.9, 1e-12);
  EXPECT_NEAR(f.z(), 0.0, 1e-12);
  EXPECT_EQ(check_placement(numbers, x, 9, 0, f, GreedyOptions{}), PlacementCheck::kOk);
  // Without the checks: on the lower F.
  GreedyOptions plain;
  plain.check_chemistry = false;
  EXPECT_LT((greedy_position(numbers, x, 9, laws, plain) - Eigen::Vector3d(0, 0, -1.9)).norm(), 1e-12);
}

// A generic canvas (no symmetry) and random laws whose axes include the canvas's bonds, so that modes
// collide and the off-mode candidates are searched too: rotating or reflecting the canvas and the axes
// rotates or reflects the greedy position, exactly.
TEST(DesignDecoding, GreedyPositionIsEquivariant) {
  std::mt19937 rng(7);
  std::normal_distribution<double> normal;
  std::uniform_real_distribution<double> uniform(0.05, 1.0);
  const auto random_vector = [&] { return Eigen::Vector3d(normal(rng), normal(rng), normal(rng)); };
  const std::vector<int> numbers = {6, 8, 7, 1, 1};
  const std::vector<Eigen::Vector3d> x = {{0, 0, 0}, {1.21, 0.1, -0.05}, {-0.72, 1.15, 0.2}, {-0.5, -0.9, 0.3}, {-1.6, 1.3, -0.6}};
  int off_mode = 0;
  for (int trial = 0; trial < 40; ++trial) {
    std::vector<PlacementLaw> laws;
    for (std::size_t f = 0; f < x.size(); ++f) {
      std::vector<DirectionLaw> directions;
      for (int c = 0; c < 4; ++c) {
        // Half the axes point at another atom (a mode that collides), the others anywhere.
        const Eigen::Vector3d axis = c % 2 == 0 ? Eigen::Vector3d(x[(f + 1 + c) % x.size()] - x[f]) : random_vector();
        directions.push_back(c < 2 ? vmf(axis, 5 + 100 * uniform(rng), uniform(rng)) : cone(axis, 2 + 30 * uniform(rng), 2 + 30 * uniform(rng), uniform(rng)));
      }
      double total = 0;
      for (const DirectionLaw& d : directions) total += std::exp(d.log_weight);
      for (DirectionLaw& d : directions) d.log_weight -= std::log(total);
      laws.push_back(law(uniform(rng), 0.9 + 0.5 * uniform(rng), directions));
    }
    const int element = trial % 2 == 0 ? 1 : 8;
    const Eigen::Vector3d greedy = greedy_position(numbers, x, element, laws);
    GreedyOptions plain;
    plain.check_chemistry = false;
    if ((greedy - greedy_position(numbers, x, element, laws, plain)).norm() > 1e-6) ++off_mode;
    for (bool reflect : {false, true}) {
      const Eigen::Vector4d v = Eigen::Vector4d(normal(rng), normal(rng), normal(rng), normal(rng)).normalized();
      Eigen::Matrix3d q = Eigen::Quaterniond(v(0), v(1), v(2), v(3)).toRotationMatrix();
      if (reflect) q = -q;
      const Eigen::Vector3d t = 3.0 * random_vector();
      std::vector<Eigen::Vector3d> gx;
      for (const Eigen::Vector3d& p : x) gx.push_back(q * p + t);
      std::vector<PlacementLaw> glaws = laws;
      for (PlacementLaw& l : glaws) {
        for (DirectionLaw& d : l.directions) d.axis = q * d.axis;
      }
      const Eigen::Vector3d g = greedy_position(numbers, gx, element, glaws);
      EXPECT_LT((g - (q * greedy + t)).norm(), 1e-9) << "trial " << trial << " reflect " << reflect;
    }
  }
  EXPECT_GE(off_mode, 5) << "the checks changed too few of the placements to test them";
}

}  // namespace
}  // namespace equimol::rl
