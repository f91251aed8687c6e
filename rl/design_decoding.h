// The design agent's greedy decoding, torch-free (Eigen only) so that both the LibTorch policy
// (DesignActionDistribution::mode) and a batch-size-1 inference path can call it. Input: the canvas and,
// for the chosen element, the policy's law about every canvas atom (rl/design_egnn_agent.h); output: the
// position of the new atom.
#pragma once

#include <Eigen/Core>

#include <vector>

namespace equimol::rl {

struct DirectionLaw {            // one direction component about a focus atom
  bool is_cone = false;          // false: vMF(axis, kappa); true: cone(axis, cone_a, cone_b) (rl/sphere.h)
  Eigen::Vector3d axis = Eigen::Vector3d::UnitZ();  // unit
  double kappa = 0.0, cone_a = 1.0, cone_b = 1.0;
  double log_weight = 0.0;       // log mixture weight, normalised over the components
};

struct PlacementLaw {            // the policy's law for the chosen element placed about one focus atom
  double focus_log_prob = 0.0;   // log p(f | element)
  std::vector<double> distance_log_weight, distance_mean_ang, distance_std_ang;  // K components
  std::vector<DirectionLaw> directions;
};

/// The greedy position (Å, canvas frame) of an atom of element `element` on a canvas of `numbers` and
/// `positions` (n >= 1 atoms): laws[f] is the law about canvas atom f.
Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws);

/// The point of a cone law's circle of modes (μ·u = 2·(a − 1)/(a + b − 2) − 1) at the azimuth of
/// `reference` projected off the axis (any azimuth when the reference is along the axis), as
/// rl/sphere.h's cone_mode.
Eigen::Vector3d cone_mode_point(const Eigen::Vector3d& axis, double cone_a, double cone_b,
                                const Eigen::Vector3d& reference);

}  // namespace equimol::rl
