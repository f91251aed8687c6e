// Exploration drivers for PesEnv: the baselines a user would otherwise run, and the loop that runs
// any policy for a budget of steps.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "envs/pes_env.h"
#include "envs/rng.h"

namespace equimol::envs {

class PesPolicy {
 public:
  virtual ~PesPolicy() = default;
  virtual std::string name() const = 0;
  virtual Action act(const PesEnv& env) = 0;
  /// Called after each step with the minimum the step started from (basin hopping may go back).
  virtual void after_step(PesEnv& /*env*/, int /*from_id*/, const StepResult& /*result*/) {}
  /// What the env should know about the action act() just returned beyond the action itself: what it
  /// stands for (a screened step's kick stands for the proposal it was screened from), and a guess of
  /// the Hessian where it leads.
  virtual PesEnv::StepHint hint() const { return {}; }
};

/// Random perturbations: with probability drive_probability a random atom pair is driven (bonded
/// pairs pulled to 2x their covalent distance, others pushed to 1.1x; clusters: a random target),
/// with probability hop_probability a random atom hops in a random direction, otherwise every atom
/// is kicked in a random direction by a length uniform in [0, max_kick].
class RandomPerturbation final : public PesPolicy {
 public:
  RandomPerturbation(std::uint64_t seed, double drive_probability, double hop_probability = 0.0);
  std::string name() const override { return "random"; }
  Action act(const PesEnv& env) override;

 private:
  Rng rng_;
  double drive_probability_;
  double hop_probability_;
};

/// Basin hopping (Wales & Doye 1997; ASE's BasinHopping): each coordinate of every atom displaced
/// uniformly in [-step, step] from the current minimum; the new minimum is accepted with the
/// Metropolis probability min(1, exp(-(E_new - E_old) / kT)), otherwise the walk returns to the old one.
class BasinHopping final : public PesPolicy {
 public:
  BasinHopping(std::uint64_t seed, double kt, double step);
  std::string name() const override { return "basin-hopping"; }
  Action act(const PesEnv& env) override;
  void after_step(PesEnv& env, int from_id, const StepResult& result) override;

  /// Defaults: Lennard-Jones kT 0.8 ε, step 0.36 σ (Wales & Doye); molecules kT 0.05 eV, step 0.3 Å.
  static double default_kt(const std::string& method);
  static double default_step(const std::string& method);

 private:
  Rng rng_;
  double kt_;
  double step_;
};

/// Random restarts (atomic clusters): every step relaxes a fresh random structure.
class RandomRestart final : public PesPolicy {
 public:
  std::string name() const override { return "random-restart"; }
  Action act(const PesEnv& env) override { return restart_action(env.n_atoms()); }
};

/// Runs `steps` steps of the policy from the env's current state; calls `progress` after each step.
void run_exploration(PesEnv& env, PesPolicy& policy, long steps,
                     const std::function<void(const PesEnv&)>& progress = {});

}  // namespace equimol::envs
