// The design agent's greedy decoding, torch-free (Eigen only) so that both the LibTorch policy
// (DesignActionDistribution::mode) and a batch-size-1 inference path can call it. Input: the canvas and,
// for the chosen element, the policy's law about every canvas atom (rl/design_egnn_agent.h); output: the
// position of the new atom.
//
// greedy_position:
//  1. Paths (focus f, distance component k, direction component c), by mass p(f | Z)·w_k·w_c, the
//     probability that the sampler takes that path; ties by index.
//  2. A path's modes: x_f + r_k·u with r_k the component's mean and u a vMF's axis, or a cone's circle of
//     modes at the azimuths of the references (f's law axes, its vectors to the other atoms and their
//     pairwise cross products, both signs). The canvas's own vectors: the candidates rotate and reflect
//     with it. Only on a collinear canvas, where no equivariant azimuth exists, one fixed azimuth.
//  3. Each candidate is checked (check_placement): DesignEnv's rules (≥ 0.6 Å from every atom; an H/F/Cl/Br
//     needs another kind of atom within 2 Å), no atom but the focus closer than 0.8 × the covalent bond
//     length, every atom within 1.35 bond lengths (bonded) below max_neighbours, the new atom bonded to at
//     least one atom and to no more than its own maximum.
//  4. Score of a passing mode: the path's log mass. When every mode of a path fails (its law is centred
//     where the checks forbid: on a collinear canvas every law is about the line, where the ligands
//     are), its off-mode points: the modes of f's other components and the directions at 90°, 109.47°,
//     120° and 180° from each of f's bonds (at the reference azimuths), at r_k, also scored by the
//     path's mass: the policy's choice of focus and distance is kept, the direction is the one with most
//     room (5). Paths are scanned by mass until none can beat the best score.
//  5. The best score wins; within 1e-9, the point farthest from the atoms other than its focus; then the
//     first. Nothing passes: the same with DesignEnv's rules only; then the top path's mode unchecked.
// So when the top path's mode passes, this is the sub-action greedy of commit de371f7 (most probable
// focus, distance and direction component), except where another focus's path has more mass.
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

struct GreedyOptions {
  bool check_chemistry = true;          // false: take the top choice's point whatever it breaks
  double min_distance_ang = 0.6;        // DesignEnv's too-close rule
  double max_solo_distance_ang = 2.0;   // DesignEnv's rule for H/F/Cl/Br: another kind of atom this close
  double min_contact_fraction = 0.8;    // no atom but the focus closer than this × the covalent bond length
  double bonded_fraction = 1.35;        // closer than this × the covalent bond length counts as bonded
  double tie_tolerance = 1e-9;          // masses (log) and clearances (Å) this close count as equal
};

/// The greedy position (Å, canvas frame) of an atom of element `element` on a canvas of `numbers` and
/// `positions` (n >= 1 atoms): laws[f] is the law about canvas atom f.
Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws);
Eigen::Vector3d greedy_position(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                                int element, const std::vector<PlacementLaw>& laws, const GreedyOptions& options);

/// Why a placement is rejected (kOk: it is not). kTooClose and kIsolated are DesignEnv's rules.
enum class PlacementCheck { kOk, kTooClose, kIsolated, kClash, kOverValent, kUnbonded };

/// The checks of the greedy decoding for an atom of `element` put at `x` about canvas atom `focus`.
/// Numbers 0 (unknown) leave only DesignEnv's rules. `counts`: each canvas atom's bonded neighbours.
PlacementCheck check_placement(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                               int element, std::size_t focus, const Eigen::Vector3d& x, const GreedyOptions& options);
PlacementCheck check_placement(const std::vector<int>& numbers, const std::vector<Eigen::Vector3d>& positions,
                               const std::vector<int>& counts, int element, std::size_t focus, const Eigen::Vector3d& x,
                               const GreedyOptions& options);

/// The most bonded neighbours an atom of element z may have in a neutral closed-shell molecule: H, F, Cl,
/// Br 1; O 2; B, N 3; C, Si 4; P, I 5; S 6 (others 8).
int max_neighbours(int z);

/// A unit vector ⟂ mu: mu × (the x or y axis, whichever is less parallel), as rl/sphere.cpp's
/// perpendicular: the fixed azimuth where no equivariant one exists, and the frame of direction draws.
Eigen::Vector3d perpendicular(const Eigen::Vector3d& mu);

/// The point of a cone law's circle of modes (μ·u = 2·(a − 1)/(a + b − 2) − 1) at the azimuth of
/// `reference` projected off the axis (any azimuth when the reference is along the axis), as
/// rl/sphere.h's cone_mode.
Eigen::Vector3d cone_mode_point(const Eigen::Vector3d& axis, double cone_a, double cone_b,
                                const Eigen::Vector3d& reference);

}  // namespace equimol::rl
