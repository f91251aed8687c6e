// DesignEnv: build a molecule atom by atom in 3D (MolGym, Simm et al., ICML 2020), scored by GFN2-xTB.
//
// The state is a canvas of placed atoms (element, position Å) and a bag of atoms still to place. An
// action places one atom of the bag; its reward is the energy it releases,
//   r = E(canvas) + E(atom alone) - E(canvas + atom),
// so the return of an episode that empties the bag is the atomisation energy of the molecule built,
// sum_atoms E(atom) - E(molecule). Every energy is GFN2-xTB with charge 0 and the lowest spin
// multiplicity (uhf = number of electrons mod 2), as MolGym's PM6 reward; isolated atoms follow the same
// rule (C and O singlets, H/N/F doublets), are computed once per element and cached. Rewards are eV;
// Info::values carries the Hartree value alongside for comparison with MolGym.
//
// Rules (MolGym's defaults, DesignEnvOptions):
//  - The first atom costs nothing (E(empty) = 0, so r = 0) and is put at the origin whatever the action's
//    position: only its element matters, and the canvas frame is anchored there.
//  - Invalid placements: closer than min_distance to an atom; an H, F, Cl or Br with no atom other than
//    H/F/Cl/Br within max_solo_distance (MolGym's `_all_covered`); an element not left in the bag; an SCF
//    failure (which MolGym does not handle). The atom is not placed, the reward is min_reward and the
//    episode terminates. Each kind is counted (DesignCounters, Info::values).
//  - A reward below min_reward is clipped to it; the atom is placed and the episode terminates.
//  - The episode terminates when the bag is empty or the canvas is full.
//
// Action (a Box of 4; build it with place_action or focus_action):
//   [Z, x, y, z]   element (atomic number, rounded) and position in Å, in the canvas frame.
// An equivariant agent picks a focus atom, an element, a distance and a direction; focus_action turns
// that into the env's action (position = focus position + distance * direction).
//
// Observation (GraphSpace, max_atoms = canvas_size, no extra node features): the canvas atoms' Z and
// positions; globals[k] = atoms of elements()[k] left in the bag. The first observation has no atoms.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chem/atoms.h"
#include "chem/xtb_calculator.h"
#include "envs/design_task.h"
#include "envs/env.h"

namespace equimol::envs {

struct DesignEnvOptions {
  DesignTask task = DesignTask::single({{6, 1}, {1, 3}, {7, 1}, {8, 1}});  ///< CH3NO
  int canvas_size = 25;                ///< most atoms on the canvas; MolGym's default
  std::string method = "gfn2";         ///< gfn2 | gfn1 (xtb; Wiberg bond orders come with every call)
  int xtb_threads = 1;
  double min_distance_ang = 0.6;       ///< closer to any atom is invalid
  double max_solo_distance_ang = 2.0;  ///< an H/F/Cl/Br needs another kind of atom this close
  double min_reward_hartree = -0.6;    ///< the invalid-action reward and the clipping floor, Eh
  void check() const;                  ///< throws InputError naming a bad value (e.g. a bag too large)
};

/// How the last step ended.
enum class DesignOutcome { kNone, kPlaced, kClipped, kTooClose, kIsolated, kNotInBag, kScfFailure };
std::string to_string(DesignOutcome outcome);
inline bool is_invalid(DesignOutcome o) {
  return o == DesignOutcome::kTooClose || o == DesignOutcome::kIsolated || o == DesignOutcome::kNotInBag ||
         o == DesignOutcome::kScfFailure;
}

/// Counts since the env was made (also in Info::values under these names, but `clipped` as
/// "clipped_total": "clipped" there flags the step itself).
struct DesignCounters {
  long placements = 0;   ///< atoms placed (clipped ones included)
  long calculations = 0; ///< xtb calls of the canvas (isolated atoms excluded)
  long too_close = 0;
  long isolated = 0;
  long not_in_bag = 0;
  long scf_failures = 0;
  long clipped = 0;
};

/// [Z, x, y, z] for an atom of element `atomic_number` at `position_ang` (canvas frame, Å).
Action place_action(int atomic_number, const Eigen::RowVector3d& position_ang);
/// The atom at canvas[focus] + distance_ang * direction / |direction|; at the origin on an empty canvas
/// (focus then ignored). Throws std::invalid_argument for a focus outside the canvas or a zero direction.
Action focus_action(const Atoms& canvas, int focus, int atomic_number, double distance_ang,
                    const Eigen::RowVector3d& direction);

class DesignEnv final : public Env {
 public:
  explicit DesignEnv(DesignEnvOptions options);
  ~DesignEnv() override;

  std::string name() const override { return "design"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  /// Fixed size 4 * canvas_size + elements().size(): per slot [Z, x, y, z] (Z = 0: empty, placed atoms
  /// first, in order), then the bag counts in elements() order. set_state recomputes E(canvas).
  std::vector<double> state() const override;

  const DesignEnvOptions& options() const { return options_; }
  /// Elements of the task, ascending Z: the order of the bag counts in observations and state.
  const std::vector<int>& elements() const { return elements_; }
  const Atoms& canvas() const { return canvas_; }
  const Bag& bag() const { return bag_; }
  /// The bag drawn at the last reset (the formula the episode builds).
  const Bag& episode_bag() const { return episode_bag_; }
  /// E(canvas), eV (0 for an empty canvas).
  double canvas_energy_ev() const { return canvas_energy_ev_; }
  /// Wiberg bond orders of the canvas ([n][n]; zeros for a single atom).
  const Eigen::MatrixXd& canvas_bond_orders() const { return canvas_bond_orders_; }
  /// E(atom alone), eV, cached for every element of the task; throws std::invalid_argument for others.
  double atom_energy_ev(int atomic_number) const;
  double min_reward_ev() const;
  DesignOutcome last_outcome() const { return last_outcome_; }
  const DesignCounters& counters() const { return counters_; }
  /// Seconds spent inside xtb for the canvas (to tell the agent's overhead from the chemistry).
  double calculator_seconds() const;

 protected:
  void reset_state(Rng& rng) override;
  StepOutcome step_state(const Action& action) override;
  void write_obs(Observation& obs) const override;
  void write_info(Info& info) const override;
  std::size_t state_size() const override { return 4 * static_cast<std::size_t>(options_.canvas_size) + elements_.size(); }
  void assign_state(const std::vector<double>& state) override;

 private:
  DesignOutcome check_placement(int z, const Eigen::RowVector3d& position) const;
  StepOutcome reject(DesignOutcome outcome);

  DesignEnvOptions options_;
  std::unique_ptr<Calculator> calculator_;
  std::vector<int> elements_;
  std::vector<double> atom_energies_ev_;  // parallel to elements_
  Atoms canvas_;
  Bag bag_;
  Bag episode_bag_;
  double canvas_energy_ev_ = 0.0;
  Eigen::MatrixXd canvas_bond_orders_;
  double last_reward_ev_ = 0.0;
  DesignOutcome last_outcome_ = DesignOutcome::kNone;
  DesignCounters counters_;
  Space observation_space_;
  Space action_space_;
};

/// uhf of the neutral structure in its lowest spin state: number of electrons mod 2.
int lowest_uhf(const std::vector<int>& atomic_numbers);

/// E(atom alone), eV: neutral, lowest spin, the median of a few fresh xtb calculations (see the .cpp
/// for the xtb glitch this guards against). Throws std::runtime_error when xtb fails.
double isolated_atom_energy_ev(int atomic_number, const XtbOptions& xtb);

}  // namespace equimol::envs
