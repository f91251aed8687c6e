// Model-screened exploration: any PesPolicy proposes, a model of the surface chooses.
//
// Most steps of a perturb-and-relax search relax back into a minimum it already knows (94 % of a
// trained agent's on LJ9), and each costs a full relaxation. Here the proposing policy (random moves, a
// trained agent) draws K candidate moves; each is relaxed on a SurrogateSurface fitted to every energy
// and force the search has computed so far (chem/surrogate_surface.h; the env's calculator is a
// RecordingCalculator), and compared with the known minima by geometry alone (the model's energies
// are approximate, and it has no bond orders). Of the candidates whose model minimum is new (and
// within the distances the model has learnt), the lowest is played as a kick straight to that model
// minimum, which the true calculator then relaxes and checks as usual, both preconditioned by the
// model's Hessian there (PesEnv::StepHint): on LJ13 ~20 calls for a new minimum where a hop spends ~55
// on the relaxation alone. When none looks new, the first proposal is played as it is. A candidate whose kick the env would cut (an atom moving beyond
// its kick cap) is passed over. GOFEE (Bisbo & Hammer, PRL 124, 086102 (2020)) screens its
// candidates this way. Model evaluations are not gradient calls: only the true calculator's count.
// The env needs a kick cap beyond max_kick (PesEnvOptions::kick_cap) for the long kicks.
#pragma once

#include <memory>

#include "chem/recording_calculator.h"
#include "chem/surrogate_surface.h"
#include "envs/pes_explore.h"

namespace equimol::envs {

struct ScreeningOptions {
  int candidates = 16;       ///< proposals relaxed on the model per step
  /// Which of the candidates that look new is played: the lowest model energy, or the model minimum
  /// farthest (matched RMSD) from every known minimum.
  enum class Choice { kLowest, kFarthest } choice = Choice::kLowest;
  /// The true relaxation of a played kick starts at the model minimum, where the model's Hessian is
  /// a good guess of the true one: passed to the env (PesEnv::StepHint), it preconditions that relaxation,
  /// its polish and the Lanczos check of the minimum it reaches.
  bool hessian_guess = true;
  SurrogateOptions model;
  void check() const;        ///< throws std::invalid_argument naming a bad value
};

class ScreenedPolicy final : public PesPolicy {
 public:
  /// `recorder` must be the calculator of the env this policy acts on (act() checks); `proposer` draws
  /// the candidates.
  ScreenedPolicy(std::unique_ptr<PesPolicy> proposer, RecordingCalculator& recorder, ScreeningOptions options = {});

  std::string name() const override { return proposer_->name(); }
  Action act(const PesEnv& env) override;
  void after_step(PesEnv& env, int from_id, const StepResult& result) override;
  /// A screened step's: the note "screened hop 3" (the proposal its kick was chosen from) and the
  /// model's Hessian at the model minimum (ScreeningOptions::hessian_guess). Otherwise the proposer's
  /// hint for its first proposal, which is then played.
  PesEnv::StepHint hint() const override { return hint_; }

  long steps() const { return steps_; }
  /// Steps played as a kick to a model minimum that looked new.
  long screened_steps() const { return screened_; }
  /// Of those, the steps that found a new minimum on the true surface.
  long screened_new() const { return screened_new_; }
  const SurrogateSurface* model() const { return model_.get(); }

 private:
  /// Relaxes one candidate on the model: its minimum, or false when it did not converge, brought atoms
  /// closer than the model has seen (SurrogateSurface::covers), fell apart or matches a known minimum.
  /// `novelty`: the model minimum's matched RMSD to the nearest known minimum, Å (σ).
  bool looks_new(const PesEnv& env, const PesEnv::Perturbation& p, OptimizeResult& out, double& novelty);
  void learn(const PesEnv& env);

  std::unique_ptr<PesPolicy> proposer_;
  RecordingCalculator& recorder_;
  ScreeningOptions options_;
  std::unique_ptr<SurrogateSurface> model_;
  long steps_ = 0, screened_ = 0, screened_new_ = 0;
  PesEnv::StepHint hint_;
  bool screened_now_ = false;  // the last act() played a model minimum
  int known_before_ = 0;  // minima before the last step
};

/// The kick cap model-screened exploration needs: 4 × max_kick (a hopped atom crosses an LJ13 or a
/// small molecule within it).
double screening_kick_cap(const PesEnvOptions& options);

}  // namespace equimol::envs
