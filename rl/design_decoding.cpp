#include "rl/design_decoding.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace equimol::rl {

namespace {

std::size_t argmax(const std::vector<double>& values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

/// A unit vector ⟂ mu: mu × (x or y axis, whichever is less parallel), as rl/sphere.cpp.
Eigen::Vector3d perpendicular(const Eigen::Vector3d& mu) {
  const Eigen::Vector3d e = mu.cross(std::abs(mu.x()) > 0.9 ? Eigen::Vector3d::UnitY() : Eigen::Vector3d::UnitX());
  return e.normalized();
}

/// The mode of a cone law at the azimuth of `reference` projected off the axis (cone_mode of sphere.h).
Eigen::Vector3d cone_mode(const DirectionLaw& law, const Eigen::Vector3d& reference) {
  const double spread = law.cone_a + law.cone_b - 2.0;  // 0: the uniform law, whose every point is a mode
  const double x = std::clamp(spread > 1e-9 ? (law.cone_a - 1.0) / spread : 0.5, 0.0, 1.0);
  const double t = 2.0 * x - 1.0;
  Eigen::Vector3d side = reference - reference.dot(law.axis) * law.axis;
  const double length = side.norm();
  side = length > 1e-6 ? Eigen::Vector3d(side / length) : perpendicular(law.axis);
  return t * law.axis + std::sqrt(std::max(1.0 - t * t, 0.0)) * side;
}

}  // namespace

Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int /*element*/, const std::vector<PlacementLaw>& laws) {
  const std::size_t n = positions.size();
  if (n == 0 || laws.size() != n || numbers.size() != n) {
    throw std::invalid_argument("greedy_position: needs one law and one atomic number per canvas atom (n >= 1)");
  }
  std::vector<double> focus_log_probs;
  for (const PlacementLaw& law : laws) focus_log_probs.push_back(law.focus_log_prob);
  const std::size_t f = argmax(focus_log_probs);
  const PlacementLaw& law = laws[f];
  const double r = std::max(law.distance_mean_ang[argmax(law.distance_log_weight)], 1e-3);
  std::vector<double> direction_log_weights;
  for (const DirectionLaw& d : law.directions) direction_log_weights.push_back(d.log_weight);
  const DirectionLaw& direction = law.directions[argmax(direction_log_weights)];
  if (!direction.is_cone) return positions[f] + r * direction.axis;

  // A cone's density is the same all round its circle of modes. Candidates at the azimuths of this
  // focus atom's axes, of its bonds to the other atoms and of their cross products (out of a planar
  // canvas), both ways; of them the point farthest from the other atoms (distances are invariant, and
  // the set rotates and reflects with the canvas: the choice stays equivariant; on a planar canvas two
  // mirror images tie and the first wins).
  std::vector<Eigen::Vector3d> others, in_plane;
  for (std::size_t j = 0; j < n; ++j) {
    if (j != f) others.push_back(positions[j]);
  }
  for (const DirectionLaw& d : law.directions) in_plane.push_back(d.axis);
  for (const Eigen::Vector3d& x : others) in_plane.push_back(x - positions[f]);
  std::vector<Eigen::Vector3d> references = in_plane;
  for (std::size_t i = 0; i < in_plane.size(); ++i) {
    for (std::size_t j = i + 1; j < in_plane.size(); ++j) references.push_back(in_plane[i].cross(in_plane[j]));
  }
  std::vector<Eigen::Vector3d> both_ways;
  for (const Eigen::Vector3d& v : references) {
    if (v.norm() > 1e-6) both_ways.push_back(v.normalized());
  }
  const std::size_t count = both_ways.size();
  for (std::size_t i = 0; i < count; ++i) both_ways.push_back(-both_ways[i]);

  Eigen::Vector3d best = positions[f] + r * cone_mode(direction, both_ways.empty() ? Eigen::Vector3d::Zero() : both_ways[0]);
  double best_clearance = -std::numeric_limits<double>::infinity();
  for (const Eigen::Vector3d& reference : both_ways) {
    const Eigen::Vector3d candidate = positions[f] + r * cone_mode(direction, reference);
    double clearance = std::numeric_limits<double>::infinity();
    for (const Eigen::Vector3d& x : others) clearance = std::min(clearance, (candidate - x).norm());
    if (clearance > best_clearance) {
      best_clearance = clearance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace equimol::rl
