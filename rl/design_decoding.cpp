#include "rl/design_decoding.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace equimol::rl {

namespace {

/// Index of the first largest value (ties: the first, as torch's argmax).
std::size_t first_argmax(const std::vector<double>& values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

/// A unit vector ⟂ mu: mu × (x or y axis, whichever is less parallel), as rl/sphere.cpp's perpendicular.
Eigen::Vector3d perpendicular(const Eigen::Vector3d& mu) {
  const Eigen::Vector3d e = mu.cross(std::abs(mu.x()) > 0.9 ? Eigen::Vector3d::UnitY() : Eigen::Vector3d::UnitX());
  return e.normalized();
}

}  // namespace

Eigen::Vector3d cone_mode_point(const Eigen::Vector3d& axis, double cone_a, double cone_b,
                                const Eigen::Vector3d& reference) {
  const double spread = cone_a + cone_b - 2.0;  // 0: the uniform law, whose every point is a mode
  const double x = std::clamp(spread > 1e-9 ? (cone_a - 1.0) / spread : 0.5, 0.0, 1.0);
  const double t = 2.0 * x - 1.0;
  Eigen::Vector3d side = reference - reference.dot(axis) * axis;
  const double length = side.norm();
  side = length > 1e-6 ? Eigen::Vector3d(side / length) : perpendicular(axis);
  return t * axis + std::sqrt(std::max(0.0, 1.0 - t * t)) * side;
}

Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws) {
  (void)element;
  const std::size_t n = positions.size();
  if (n == 0 || laws.size() != n || numbers.size() != n) {
    throw std::invalid_argument("greedy_position: needs n >= 1 canvas atoms, each with its number and law");
  }
  // Each sub-action in turn: the most probable focus atom, distance component and direction component.
  std::vector<double> focus(n);
  for (std::size_t i = 0; i < n; ++i) focus[i] = laws[i].focus_log_prob;
  const std::size_t f = first_argmax(focus);
  const PlacementLaw& law = laws[f];
  const double r = std::max(law.distance_mean_ang[first_argmax(law.distance_log_weight)], 1e-3);
  std::vector<double> direction_weights;
  for (const DirectionLaw& d : law.directions) direction_weights.push_back(d.log_weight);
  const DirectionLaw& best_law = law.directions[first_argmax(direction_weights)];
  const Eigen::Vector3d& x_f = positions[f];
  if (!best_law.is_cone) return x_f + r * best_law.axis;  // a vMF law: its axis

  // A cone: its density is the same all round its circle of modes. Candidates at the azimuths of this
  // focus atom's axes, of its bonds to the other atoms and of their cross products (out of a planar
  // canvas), both ways; of them the point farthest from the other atoms (distances are invariant, and
  // the set rotates and reflects with the canvas: the choice stays equivariant; on a planar canvas two
  // mirror images tie and the first wins).
  std::vector<Eigen::Vector3d> in_plane;
  for (const DirectionLaw& d : law.directions) in_plane.push_back(d.axis);
  std::vector<Eigen::Vector3d> others;
  for (std::size_t j = 0; j < n; ++j) {
    if (j != f) others.push_back(positions[j]), in_plane.push_back(positions[j] - x_f);
  }
  std::vector<Eigen::Vector3d> references = in_plane;
  for (std::size_t i = 0; i < in_plane.size(); ++i) {
    for (std::size_t j = i + 1; j < in_plane.size(); ++j) references.push_back(in_plane[i].cross(in_plane[j]));
  }
  std::vector<Eigen::Vector3d> unit;
  for (const Eigen::Vector3d& v : references) {
    if (v.norm() > 1e-6) unit.push_back(v.normalized());
  }
  const std::size_t count = unit.size();
  for (std::size_t i = 0; i < count; ++i) unit.push_back(-unit[i]);
  Eigen::Vector3d best = x_f + r * cone_mode_point(best_law.axis, best_law.cone_a, best_law.cone_b, unit.at(0));
  double best_clearance = -1.0;
  for (const Eigen::Vector3d& reference : unit) {
    const Eigen::Vector3d candidate = x_f + r * cone_mode_point(best_law.axis, best_law.cone_a, best_law.cone_b, reference);
    double clearance = std::numeric_limits<double>::infinity();
    for (const Eigen::Vector3d& x : others) clearance = std::min(clearance, (candidate - x).norm());
    if (others.empty()) return candidate;
    if (clearance > best_clearance) best_clearance = clearance, best = candidate;
  }
  return best;
}

}  // namespace equimol::rl
