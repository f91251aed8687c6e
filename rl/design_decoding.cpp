#include "rl/design_decoding.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "rl/design_constants.h"

namespace equimol::rl {

namespace {

using design_constants::covalent_radius_ang;

bool is_terminal_element(int z) { return z == 1 || z == 9 || z == 17 || z == 35; }  // DesignEnv's H/F/Cl/Br

/// The azimuth references about focus f at which circle candidates lie: the focus atom's law axes, its
/// bonds to the other atoms and their pairwise cross products (out of a planar canvas), both ways. Built
/// from the canvas's own vectors, so the set rotates and reflects with it.
std::vector<Eigen::Vector3d> azimuth_references(const std::vector<Eigen::Vector3d>& positions, std::size_t f,
                                                const PlacementLaw& law) {
  std::vector<Eigen::Vector3d> in_plane;
  for (const DirectionLaw& d : law.directions) in_plane.push_back(d.axis);
  for (std::size_t j = 0; j < positions.size(); ++j) {
    if (j != f) in_plane.push_back(positions[j] - positions[f]);
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
  return unit;
}

/// The canvas's bonds (as the checks count them) and each atom's bonded-neighbour count.
std::vector<int> neighbour_counts(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                  double bonded_fraction) {
  std::vector<int> counts(positions.size(), 0);
  for (std::size_t i = 0; i < positions.size(); ++i) {
    for (std::size_t j = i + 1; j < positions.size(); ++j) {
      const double bond_ang = covalent_radius_ang(numbers[i]) + covalent_radius_ang(numbers[j]);
      if ((positions[i] - positions[j]).norm() < bonded_fraction * bond_ang) ++counts[i], ++counts[j];
    }
  }
  return counts;
}

/// The unit vector at cos θ = `cosine` from `axis`, at the azimuth of `reference` (rl/sphere.h's frame
/// when the reference is along the axis).
Eigen::Vector3d point_at(const Eigen::Vector3d& axis, double cosine, const Eigen::Vector3d& reference) {
  Eigen::Vector3d side = reference - reference.dot(axis) * axis;
  const double length = side.norm();
  side = length > 1e-6 ? Eigen::Vector3d(side / length) : perpendicular(axis);
  return cosine * axis + std::sqrt(std::max(0.0, 1.0 - cosine * cosine)) * side;
}

/// The points of the circle at cos θ = `cosine` about `axis` at the azimuths of the references not along
/// the axis. Only when every reference is along it (a collinear canvas, where no equivariant choice of
/// azimuth exists) one point at rl/sphere.h's fixed azimuth.
std::vector<Eigen::Vector3d> circle_points(const Eigen::Vector3d& axis, double cosine,
                                           const std::vector<Eigen::Vector3d>& references) {
  std::vector<Eigen::Vector3d> points;
  for (const Eigen::Vector3d& reference : references) {
    if ((reference - reference.dot(axis) * axis).norm() > 1e-6) points.push_back(point_at(axis, cosine, reference));
  }
  if (points.empty()) points.push_back(point_at(axis, cosine, axis));
  return points;
}

/// cos θ of a cone law's circle of modes: 2·(a − 1)/(a + b − 2) − 1 (0 for the uniform law).
double cone_mode_cosine(double cone_a, double cone_b) {
  const double spread = cone_a + cone_b - 2.0;  // 0: the uniform law, whose every point is a mode
  return 2.0 * std::clamp(spread > 1e-9 ? (cone_a - 1.0) / spread : 0.5, 0.0, 1.0) - 1.0;
}

}  // namespace

Eigen::Vector3d perpendicular(const Eigen::Vector3d& mu) {
  const Eigen::Vector3d e = mu.cross(std::abs(mu.x()) > 0.9 ? Eigen::Vector3d::UnitY() : Eigen::Vector3d::UnitX());
  return e.normalized();
}

int max_neighbours(int z) {
  switch (z) {
    case 1: case 9: case 17: case 35: return 1;  // H and the halogens but iodine
    case 8: return 2;
    case 5: case 7: return 3;
    case 6: case 14: return 4;
    case 15: case 53: return 5;
    case 16: return 6;
    default: return 8;  // not in the design vocabulary: no limit that matters
  }
}

Eigen::Vector3d cone_mode_point(const Eigen::Vector3d& axis, double cone_a, double cone_b,
                                const Eigen::Vector3d& reference) {
  return point_at(axis, cone_mode_cosine(cone_a, cone_b), reference);
}

PlacementCheck check_placement(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                               int element, std::size_t focus, const Eigen::Vector3d& x, const GreedyOptions& o) {
  const std::vector<int> counts = neighbour_counts(numbers, positions, o.bonded_fraction);
  return check_placement(numbers, positions, counts, element, focus, x, o);
}

PlacementCheck check_placement(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                               const std::vector<int>& counts, int element, std::size_t focus, const Eigen::Vector3d& x,
                               const GreedyOptions& o) {
  bool covered = !is_terminal_element(element);
  int bonds = 0;
  bool known = element > 0;
  for (std::size_t j = 0; j < positions.size(); ++j) {
    const double d = (x - positions[j]).norm();
    if (d < o.min_distance_ang) return PlacementCheck::kTooClose;
    if (!is_terminal_element(numbers[j]) && d < o.max_solo_distance_ang) covered = true;
    known = known && numbers[j] > 0;
  }
  if (!covered) return PlacementCheck::kIsolated;
  if (!known) return PlacementCheck::kOk;  // no atomic numbers: only the env's rules can be checked
  for (std::size_t j = 0; j < positions.size(); ++j) {
    const double d = (x - positions[j]).norm();
    const double bond_ang = covalent_radius_ang(numbers[j]) + covalent_radius_ang(element);
    if (j != focus && d < o.min_contact_fraction * bond_ang) return PlacementCheck::kClash;
    if (d < o.bonded_fraction * bond_ang) {
      if (counts[j] + 1 > max_neighbours(numbers[j])) return PlacementCheck::kOverValent;
      ++bonds;
    }
  }
  if (bonds > max_neighbours(element)) return PlacementCheck::kOverValent;
  if (bonds == 0) return PlacementCheck::kUnbonded;
  return PlacementCheck::kOk;
}

Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws) {
  return greedy_position(numbers, positions, element, laws, GreedyOptions{});
}

Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws, const GreedyOptions& o) {
  const std::size_t n = positions.size();
  if (n == 0 || laws.size() != n || numbers.size() != n) {
    throw std::invalid_argument("greedy_position: needs n >= 1 canvas atoms, each with its number and law");
  }
  for (const PlacementLaw& law : laws) {
    if (law.distance_log_weight.empty() || law.distance_mean_ang.size() != law.distance_log_weight.size() ||
        law.directions.empty()) {
      throw std::invalid_argument("greedy_position: every law needs distance and direction components");
    }
  }
  const std::vector<int> counts = neighbour_counts(numbers, positions, o.bonded_fraction);
  // A full focus atom (as many bonds as it may have) fails the valence check for every point within
  // bonding range of it: those paths are skipped whole under the chemistry rules. A shortcut only (the
  // checks would reject each point); it keeps the search cheap when most of a large canvas is full.
  const bool all_known = element > 0 && std::all_of(numbers.begin(), numbers.end(), [](int z) { return z > 0; });
  const auto full_focus_bonds = [&](std::size_t f, double r) {
    return all_known && counts[f] >= max_neighbours(numbers[f]) &&
           r < o.bonded_fraction * (covalent_radius_ang(numbers[f]) + covalent_radius_ang(element));
  };

  // The discrete choices (focus f, distance component k, direction component c), most probable first:
  // log p(f | Z) + log w_k + log w_c, the sampler's probability of taking that path (ties: lowest index).
  struct Choice {
    double log_mass;
    std::size_t f, k, c;
  };
  std::vector<Choice> choices;
  for (std::size_t f = 0; f < n; ++f) {
    for (std::size_t k = 0; k < laws[f].distance_log_weight.size(); ++k) {
      for (std::size_t c = 0; c < laws[f].directions.size(); ++c) {
        choices.push_back({laws[f].focus_log_prob + laws[f].distance_log_weight[k] + laws[f].directions[c].log_weight, f, k, c});
      }
    }
  }
  std::stable_sort(choices.begin(), choices.end(), [](const Choice& a, const Choice& b) { return a.log_mass > b.log_mass; });

  // Per focus atom, the azimuth references (computed on demand: O(n²) vectors).
  std::vector<std::vector<Eigen::Vector3d>> references(n);
  const auto references_of = [&](std::size_t f) -> const std::vector<Eigen::Vector3d>& {
    if (references[f].empty()) references[f] = azimuth_references(positions, f, laws[f]);
    return references[f];
  };
  // The modes of a direction component about f: a vMF law's axis; a cone's circle at the reference azimuths.
  const auto modes = [&](std::size_t f, const DirectionLaw& d) {
    if (!d.is_cone) return std::vector<Eigen::Vector3d>{d.axis};
    return circle_points(d.axis, cone_mode_cosine(d.cone_a, d.cone_b), references_of(f));
  };
  // Clearance: the distance (Å) to the nearest atom other than the focus (infinite on a one-atom canvas).
  const auto clearance = [&](std::size_t f, const Eigen::Vector3d& x) {
    double c = std::numeric_limits<double>::infinity();
    for (std::size_t j = 0; j < n; ++j) {
      if (j != f) c = std::min(c, (x - positions[j]).norm());
    }
    return c;
  };

  // Off-mode candidates about f (computed when a choice's own modes all fail): every component's modes
  // and the directions at the usual bond angles (90°, 109.47°, 120°, 180°) from each bond of f, at the
  // reference azimuths; for each distance component, the points and whether they pass.
  struct Candidate {
    Eigen::Vector3d x;
    double clearance;
  };
  std::vector<std::vector<std::vector<Candidate>>> passing(n);  // [f][k] -> the candidates that pass
  std::vector<std::vector<bool>> done(n);

  // Strictest rules first; when no candidate passes, the env's rules alone; then none (the top choice).
  for (int level = o.check_chemistry ? 2 : 0; level >= 0; --level) {
    const auto passes = [&](std::size_t f, const Eigen::Vector3d& x) {
      if (level == 0) return true;
      const PlacementCheck check = check_placement(numbers, positions, counts, element, f, x, o);
      return level == 2 ? check == PlacementCheck::kOk : check != PlacementCheck::kTooClose && check != PlacementCheck::kIsolated;
    };
    for (std::size_t f = 0; f < n; ++f) passing[f].assign(laws[f].distance_log_weight.size(), {}), done[f].assign(laws[f].distance_log_weight.size(), false);
    const auto off_mode = [&](std::size_t f, std::size_t k) -> const std::vector<Candidate>& {
      if (done[f][k]) return passing[f][k];
      done[f][k] = true;
      std::vector<Eigen::Vector3d> directions;
      for (const DirectionLaw& d : laws[f].directions) {
        for (const Eigen::Vector3d& u : modes(f, d)) directions.push_back(u);
      }
      for (std::size_t j = 0; j < n; ++j) {
        const double bond_ang = covalent_radius_ang(numbers[f]) + covalent_radius_ang(numbers[j]);
        const Eigen::Vector3d b = positions[j] - positions[f];
        if (j == f || !(b.norm() < o.bonded_fraction * bond_ang)) continue;
        for (double cosine : {0.0, -1.0 / 3.0, -0.5}) {
          for (const Eigen::Vector3d& u : circle_points(b.normalized(), cosine, references_of(f))) directions.push_back(u);
        }
        directions.push_back(-b.normalized());
      }
      const double r = std::max(laws[f].distance_mean_ang[k], 1e-3);
      for (const Eigen::Vector3d& u : directions) {
        const Eigen::Vector3d x = positions[f] + r * u;
        if (passes(f, x)) passing[f][k].push_back({x, clearance(f, x)});
      }
      return passing[f][k];
    };

    bool found = false;
    double best_score = 0.0, best_clearance = -1.0;
    Eigen::Vector3d best = Eigen::Vector3d::Zero();
    // Better: a higher score, or (nearly) the same score farther from the other atoms; the first on ties.
    const auto consider = [&](double score, double c, const Eigen::Vector3d& x) {
      if (!found || score > best_score + o.tie_tolerance ||
          (score > best_score - o.tie_tolerance && c > best_clearance + o.tie_tolerance)) {
        found = true, best_score = score, best_clearance = c, best = x;
      }
    };
    for (const Choice& ch : choices) {
      // A candidate's score is at most its choice's mass: later choices cannot win any more.
      if (found && ch.log_mass < best_score - o.tie_tolerance) break;
      const PlacementLaw& law = laws[ch.f];
      const DirectionLaw& d = law.directions[ch.c];
      const double r = std::max(law.distance_mean_ang[ch.k], 1e-3);
      if (level == 2 && full_focus_bonds(ch.f, r)) continue;
      bool mode_passes = false;
      for (const Eigen::Vector3d& u : modes(ch.f, d)) {
        const Eigen::Vector3d x = positions[ch.f] + r * u;
        if (passes(ch.f, x)) mode_passes = true, consider(ch.log_mass, clearance(ch.f, x), x);
      }
      if (level == 0) break;  // no rules: the top choice's mode
      // When every mode of this choice collides, the law is centred on a spot the checks forbid (on a
      // collinear canvas every law is about the line, where the ligands already are), and its density
      // there only says how close to the clash to go. Keep the choice (focus, distance) at its mass and
      // take the point with the most room: the off-mode candidate farthest from the other atoms.
      if (!mode_passes) {
        for (const Candidate& cand : off_mode(ch.f, ch.k)) consider(ch.log_mass, cand.clearance, cand.x);
      }
    }
    if (found) {
      return best;
    }
  }
  return positions[0];  // unreachable: level 0 accepts the top choice's mode
}

}  // namespace equimol::rl
