// The design agent's greedy decoding, torch-free: where the most probable placement of an atom goes,
// given the policy's laws about each canvas atom. DesignActionDistribution::mode() (LibTorch, any batch)
// and DesignInference (batch size 1, no LibTorch dispatch) both decode through greedy_position.
#pragma once

#include <Eigen/Core>

#include <vector>

namespace equimol::rl {

/// One direction component about a focus atom: vMF(axis, kappa) or cone(axis, cone_a, cone_b)
/// (the laws of rl/sphere.h).
struct DirectionLaw {
  bool is_cone = false;
  Eigen::Vector3d axis = Eigen::Vector3d::UnitZ();  // unit
  double kappa = 0.0, cone_a = 1.0, cone_b = 1.0;
  double log_weight = 0.0;  // log mixture weight, normalised over the components
};

/// The policy's law for the chosen element placed about one focus atom.
struct PlacementLaw {
  double focus_log_prob = 0.0;  // log p(f | element)
  std::vector<double> distance_log_weight, distance_mean_ang, distance_std_ang;  // K components
  std::vector<DirectionLaw> directions;
};

/// The greedy position (Å, canvas frame) of an atom of element `element` on a canvas of `numbers` and
/// `positions` (n >= 1 atoms): laws[f] is the law about canvas atom f. One sub-action at a time: the
/// most probable focus atom, the mean of its heaviest distance component, the mode of its heaviest
/// direction component (a vMF's axis; for a cone, the point of its circle of modes farthest from the
/// other atoms among the azimuths of the focus atom's axes, bonds and their cross products).
Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws);

}  // namespace equimol::rl
