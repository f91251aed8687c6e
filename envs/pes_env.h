// PesEnv: explore a potential-energy surface by perturbing and relaxing (basin-hopping moves as an MDP).
//
// The state is the current local minimum. An action perturbs it, the structure is relaxed with L-BFGS,
// and the env moves to the minimum reached. The reward is for minima not seen before in the episode:
// new_minimum (within energy_window above the lowest found), plus bond_change_bonus when the bond graph
// changed; 0 for a revisit; failure_penalty when the relaxation fails (SCF failure, no convergence) or
// the structure falls apart while fragments are not allowed, and then the env stays where it was.
// Optionally every step also pays gradient_call_cost per gradient call it spent.
// An episode is `budget` steps; it ends by termination (the remaining budget is observed, so the end
// is part of the MDP), never by a TimeLimit.
//
// Actions (a Box; build them with kick_action / drive_action / restart_action / hop_action):
//   [mode, i, j, target, d_1x, d_1y, d_1z, ..., d_Nx, d_Ny, d_Nz]
//   mode 0, kick:    every atom moves by d_k, each capped at max_kick (kick_cap when set);
//                    centre-of-mass motion removed.
//   mode 1, drive:   atoms i and j are pulled to distance `target` under a harmonic restraint
//                    (drive_force_constant), relaxed so, then relaxed freely: bonds form and break.
//   mode 2, restart: a new random structure (atomic clusters only): random-restart search.
//   mode 3, hop:     atom i comes in along d_i from far away, towards the centroid of the others, and
//                    lands where it first touches one (envs/pes_hop.h: a surface or angular move).
//
// Units follow the calculator: Å and eV for xtb, σ and ε for Lennard-Jones.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chem/calculator.h"
#include "chem/hessian.h"
#include "chem/optimizer.h"
#include "chem/restrained_calculator.h"
#include "envs/env.h"
#include "envs/pes_registry.h"

namespace equimol::envs {

struct PesRewardOptions {
  double new_minimum = 1.0;         ///< for a minimum not seen before, within the energy window
  double bond_change_bonus = 0.5;   ///< added when the new minimum's bond graph differs from the last
  double failure_penalty = -0.5;    ///< failed relaxation or forbidden dissociation
  /// Charged on every step, per gradient call it spent (relaxations, drives, Hessian checks):
  /// reward -= gradient_call_cost * calls. Units: reward per gradient call (0.002 = 0.2 per 100 calls,
  /// a fifth of a new minimum). 0 (the default) = off, every step is free and the return counts new
  /// minima per step; > 0 makes the return new minima minus their cost, so cheaper moves pay.
  double gradient_call_cost = 0.0;
  /// Minima more than this above the lowest found are recorded but earn nothing. Molecules:
  /// 50 kcal/mol (2.17 eV), wide enough for isomerisations; CREST's conformer window is 6 kcal/mol.
  /// Lennard-Jones: unbounded, every minimum of a cluster counts.
  double energy_window = 50.0 * 0.0433641043;
};

/// How PesEnv finds the softest internal mode of a candidate minimum (see PesEnvOptions).
enum class SaddleCheck { kLanczos, kHessian };

/// "lanczos" | "hessian"; throws std::invalid_argument naming the value otherwise.
SaddleCheck parse_saddle_check(const std::string& name);

struct PesEnvOptions {
  Atoms start;                 ///< start structure (relaxed at reset)
  std::string method = "gfn2"; ///< gfn2 | gfn1 | gfnff | lj
  int budget = 50;             ///< steps per episode
  int xtb_threads = 1;
  OptimizerOptions relax;      ///< fmax, max steps and step cap of every relaxation
  /// A relaxed structure that matches no known minimum is relaxed on to this fmax, eV/Å (ε/σ), before
  /// it is compared again, checked for a saddle and registered, so every registered minimum has max
  /// force <= polish_fmax and a reproducible energy. The loose relax.fmax of every step leaves flat
  /// modes (methyl torsions, per-H force < 0.02 eV/Å over most of the turn) anywhere in their flat
  /// region, up to 0.4 kcal/mol above the minimum: duplicates under CREST's 0.05 kcal/mol test.
  /// 0 = off (Lennard-Jones: relax.fmax is already tight).
  double polish_fmax = 0.0;
  double max_kick = 1.0;       ///< largest displacement of one atom in a kick, Å (σ)
  /// A kick's per-atom displacements are cut to this, Å (σ); 0: max_kick. Model-screened exploration
  /// (envs/pes_screening.h) plays kicks straight to a model's minimum, which a hopped atom can reach
  /// only across the cluster or molecule, so it raises the cap; max_kick keeps its other roles (the
  /// action bounds agents learn in, random kick lengths).
  double kick_cap = 0.0;
  /// The cut a kick's displacements get: kick_cap when set, else max_kick, Å (σ).
  double kick_limit() const { return kick_cap > 0.0 ? kick_cap : max_kick; }
  double drive_force_constant = 5.0;  ///< eV/Å² (ε/σ²); molecules default to 20 (defaults_for)
  double drive_min_target = 0.8;      ///< allowed drive target distances, Å (σ)
  double drive_max_target = 4.0;
  /// A hop lands its atom at this multiple of the contact distance to the atom it touches: the LJ pair
  /// minimum 2^(1/6) σ for clusters, the sum of covalent radii for molecules.
  double hop_contact_scale = 1.0;
  bool allow_fragments = false;
  /// L-BFGS stops wherever the forces vanish, saddle points included. Before a structure is
  /// registered as a new minimum, its softest internal curvature (translations and rotations
  /// projected out) is checked: while it is below saddle_curvature, the structure is displaced along
  /// that mode (largest atom moving saddle_displacement) and relaxed again, up to 3 times.
  /// saddle_check chooses how the softest mode is found (finite-difference step hessian_step either way):
  ///   kLanczos (default): Lanczos on Hessian-vector products, 2 force calls each (chem/lowest_mode.h).
  ///     It stops as soon as a Ritz value (an upper bound of the lowest eigenvalue) is below
  ///     saddle_curvature, or when the lowest Ritz pair's residual is below saddle_residual and clear
  ///     of the threshold: ~42 force calls on LJ10 minima instead of 60, 10-40 at saddles.
  ///   kHessian: the full central-difference Hessian, 6n force calls (the behaviour before Lanczos).
  bool verify_minima = true;
  SaddleCheck saddle_check = SaddleCheck::kLanczos;
  double hessian_step = 0.005;        ///< Å (σ)
  double saddle_curvature = -0.02;    ///< eV/Å² (ε/σ²); above it, curvature is FD noise or a true minimum
  /// Lanczos convergence: residual |H y - θ y| of the softest Ritz pair, eV/Å² (ε/σ²); 2.5 times
  /// |saddle_curvature|. It bounds |θ - λ| for some eigenvalue λ; looser (10x) let the Ritz value settle
  /// on the second-softest mode of molecules with several soft torsions (isobutanol: 0.20 instead of
  /// 0.06 eV/Å²), tighter costs calls near the finite-difference floor (LJ ~5e-4 ε/σ², GFN2 ~0.01 eV/Å²).
  double saddle_residual = 0.05;
  double saddle_displacement = 0.2;   ///< Å (σ)
  /// Contact distance that bonds atoms of a cluster (σ); molecules use Wiberg or covalent radii.
  double cluster_contact = 1.4;
  SameMinimumOptions same;
  PesRewardOptions reward;

  /// Defaults for a method: LJ uses reduced units (fmax 1e-3 ε/σ, energy tolerance 1e-4 ε, RMSD 0.1 σ,
  /// mirror images merged, no graph comparison beyond contacts, unbounded window).
  static PesEnvOptions defaults_for(const std::string& method);
  void check() const;  ///< throws std::invalid_argument naming a bad value
};

enum class PesMode { kKick = 0, kDrive = 1, kRestart = 2, kHop = 3 };

Action kick_action(const Positions& displacements);
/// `displacements` less their mass-weighted mean: a kick moves no centre of mass.
Positions without_centre_of_mass_motion(const Atoms& atoms, Positions displacements);
Action drive_action(int n_atoms, int i, int j, double target);
Action restart_action(int n_atoms);
/// Atom `atom` hops in `direction` (its length does not matter; a zero direction fails the step).
Action hop_action(int n_atoms, int atom, const Eigen::RowVector3d& direction);

/// Counters of everything an exploration did (also reported in Info::values).
struct PesCounters {
  long steps = 0;
  long relaxations = 0;
  long gradient_calls = 0;
  long scf_failures = 0;
  long unconverged = 0;
  long dissociations = 0;
  long new_minima = 0;
  long saddles = 0;  ///< relaxations that ended on a saddle point and were sent downhill
  long saddle_checks = 0;       ///< softest-mode evaluations (Lanczos or full Hessian)
  long saddle_check_calls = 0;  ///< their gradient calls (included in gradient_calls)
};

/// Receives what the env finds, as it finds it (the campaign store writes it to SQLite).
class PesObserver {
 public:
  virtual ~PesObserver() = default;
  virtual void minimum_found(const MinimumRecord& record) = 0;
  virtual void transition(const Transition& transition, const MinimaRegistry& registry) = 0;
  /// The exploration went back to a known minimum without a step (jump_to), after step `step`.
  virtual void moved_to(int /*minimum_id*/, long /*step*/) {}
};

class PesEnv final : public Env {
 public:
  explicit PesEnv(PesEnvOptions options);
  /// With a calculator of one's own (e.g. one that records every call) instead of options.method's;
  /// its name() must be options.method, whose defaults the options carry.
  PesEnv(PesEnvOptions options, std::unique_ptr<Calculator> calculator);
  ~PesEnv() override;

  std::string name() const override { return "pes"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override;

  void set_observer(PesObserver* observer) { observer_ = observer; }

  /// Continue a stored exploration instead of reset(): registry, current minimum and counters. The
  /// episode goes on from the stored steps (counters.steps): give the whole campaign's budget, so the
  /// observed remaining budget and the end are those of the run that was not interrupted.
  void resume(MinimaRegistry registry, int current_id, const PesCounters& counters, std::uint64_t seed);
  /// Move to a known minimum without a step (basin hopping's rejection goes back this way).
  void jump_to(int minimum_id);
  /// What a step with `action` would relax, from the current minimum: the kicked or hopped structure,
  /// or a drive's start and restraint (the structure is relaxed under it, then freely). A restart has
  /// no structure until it is played (the env draws it).
  struct Perturbation {
    PesMode mode = PesMode::kKick;
    Atoms trial;
    DistanceRestraint restraint;  ///< drives only
    std::vector<double> moved;    ///< each atom's displacement, Å (σ); drives mark the pair with 1
    std::string label;            ///< the transition's action text
    std::string failure;          ///< non-empty when the action cannot be played (a hop without direction)
  };
  Perturbation perturbation(const Action& action) const;
  /// What a policy knows about its next action beyond the action itself; used by the next step only.
  struct StepHint {
    /// Stored with the transition as "ACTION (NOTE)" (e.g. "kick (screened hop 3)").
    std::string note;
    /// A guess of the Hessian at the minimum a kick or hop leads to, [3n][3n] in eV/Å² (ε/σ²), e.g. a
    /// model surface's at its own minimum. It preconditions that step's relaxation and polish
    /// (Lbfgs::run's guess: ~5 instead of ~25 calls on LJ13 from 0.003 σ) and the Lanczos check of
    /// the minimum they reach (LowestModeOptions::hessian_guess), not the checks after a saddle escape
    /// (elsewhere), nor drives or restarts. Empty: none.
    Eigen::MatrixXd hessian_guess;
  };
  /// Throws std::invalid_argument for a guess that is not a finite [3n][3n] matrix. reset() drops it.
  void hint_next_step(StepHint hint);
  /// The bond graph of a structure as the env perceives minima: contacts within cluster_contact for
  /// clusters; for molecules capped Wiberg bonds from `results`' bond orders, else covalent radii.
  BondGraph perceive(const Atoms& atoms, const Results& results) const;
  /// Where atom `atom` of `atoms` lands when it hops in `direction` (non-zero), Å (σ).
  Eigen::RowVector3d hop_site(const Atoms& atoms, int atom, const Eigen::RowVector3d& direction) const;

  const MinimaRegistry& registry() const { return registry_; }
  int current_id() const { return current_id_; }
  const MinimumRecord& current() const { return registry_.at(current_id_); }
  const PesCounters& counters() const { return counters_; }
  const PesEnvOptions& options() const { return options_; }
  const Calculator& calculator() const { return *calculator_; }
  int n_atoms() const { return options_.start.size(); }

 protected:
  void reset_state(Rng& rng) override;
  StepOutcome step_state(const Action& action) override;
  void write_obs(Observation& obs) const override;
  void write_info(Info& info) const override;
  std::size_t state_size() const override { return 3 * static_cast<std::size_t>(n_atoms()); }
  void assign_state(const std::vector<double>& state) override;

 private:
  struct Relaxed;
  struct PendingResume;
  /// Steps of the episode so far, those before a resume included.
  std::int64_t episode_steps() const { return steps_before_ + elapsed_steps(); }
  Relaxed relax(Atoms trial, Calculator& calculator);
  Relaxed relax(Atoms trial, Calculator& calculator, const OptimizerOptions& optimizer,
                const Eigen::MatrixXd& hessian_guess = Eigen::MatrixXd());
  bool polishing() const { return options_.polish_fmax > 0.0; }
  OptimizerOptions polish_options() const;  ///< relax with fmax polish_fmax (relax itself when off)
  /// `guess`: a Hessian guess for the first check (StepHint::hessian_guess), or empty.
  Relaxed descend_from_saddles(Relaxed relaxed, const Eigen::MatrixXd& guess);
  /// false when a calculation failed
  bool softest_mode(const Atoms& atoms, NormalMode& mode, const Eigen::MatrixXd& guess);
  int find_or_add(Relaxed relaxed, Transition& t, const BondGraph* previous_graph,
                  const Eigen::MatrixXd& guess = Eigen::MatrixXd());
  Atoms random_structure();
  /// Where a hopping atom i stops next to atom k, Å (σ).
  double hop_contact(const Atoms& atoms, int i, int k) const;

  PesEnvOptions options_;
  std::unique_ptr<Calculator> calculator_;
  StepHint next_hint_;
  MinimaRegistry registry_;
  PesCounters counters_;
  int current_id_ = -1;
  std::int64_t steps_before_ = 0;  // steps of a resumed exploration done before resume()
  Rng rng_;  // the env's own draws (restarts, verification nudges), seeded from the base stream at reset
  std::vector<double> times_moved_;   // per atom, for the observation
  std::vector<double> last_moved_;
  PesObserver* observer_ = nullptr;
  std::unique_ptr<PendingResume> pending_resume_;
  Space observation_space_;
  Space action_space_;
};

}  // namespace equimol::envs

namespace equimol::envs {
/// N atoms (argon labels) placed uniformly in a sphere of density ~ a liquid LJ cluster, no pair closer
/// than 0.9 σ: the starting point of cluster explorations and random restarts.
Atoms random_cluster(int n_atoms, Rng& rng);
}  // namespace equimol::envs
