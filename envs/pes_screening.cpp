#include "envs/pes_screening.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

#include "chem/bond_graph.h"
#include "chem/geometry.h"
#include "chem/hessian.h"
#include "chem/optimizer.h"
#include "chem/restrained_calculator.h"

namespace equimol::envs {

void ScreeningOptions::check() const {
  if (candidates < 1) throw std::invalid_argument("screening: candidates must be >= 1, got " + std::to_string(candidates));
  model.check();
}

double screening_kick_cap(const PesEnvOptions& options) { return 4.0 * options.max_kick; }

ScreenedPolicy::ScreenedPolicy(std::unique_ptr<PesPolicy> proposer, RecordingCalculator& recorder, ScreeningOptions options)
    : proposer_(std::move(proposer)), recorder_(recorder), options_(options) {
  options_.check();
  if (!proposer_) throw std::invalid_argument("screening: no proposing policy");
}

void ScreenedPolicy::learn(const PesEnv& env) {
  bool added = false;
  if (!model_) {
    model_ = std::make_unique<SurrogateSurface>(env.options().start.numbers, options_.model);
    // A resumed campaign's calculations are gone; its minima (forces ~0) are where the model starts.
    for (const MinimumRecord& record : env.registry().records()) {
      added |= model_->add(record.minimum.atoms, record.minimum.energy, Positions::Zero(env.n_atoms(), 3));
    }
  }
  for (const RecordingCalculator::Record& r : recorder_.take()) added |= model_->add(r.atoms, r.energy, r.forces);
  if (added) model_->fit();
}

bool ScreenedPolicy::looks_new(const PesEnv& env, const PesEnv::Perturbation& p, OptimizeResult& out, double& novelty) {
  const OptimizerOptions& relax = env.options().relax;
  Atoms start = p.trial;
  if (p.mode == PesMode::kDrive) {
    RestrainedCalculator driven(*model_, {p.restraint});
    const OptimizeResult pulled = Lbfgs(relax).run(driven, std::move(start));
    if (!pulled.ok || !pulled.converged) return false;
    start = pulled.atoms;
  }
  out = Lbfgs(relax).run(*model_, std::move(start));
  if (!out.ok || !out.converged || !model_->covers(out.atoms)) return false;
  const BondGraph graph = env.perceive(out.atoms, Results{});  // no bond orders: covalent radii for molecules
  if (!env.options().allow_fragments && fragment_count(graph) > 1) return false;
  // Geometry only (same_minimum's RMSD test): the model's energies are approximate, and the env
  // perceives bonds of minima from the true calculator's bond orders, which the model has not.
  const SameMinimumOptions& same = env.options().same;
  novelty = std::numeric_limits<double>::infinity();
  for (const MinimumRecord& record : env.registry().records()) {
    novelty = std::min(novelty, match_atoms(record.minimum.atoms, out.atoms, same.allow_reflection).rmsd);
    if (novelty <= same.rmsd_tolerance) return false;
  }
  return true;
}

namespace {

/// The kick that moves the current minimum onto `target`, centre-of-mass motion removed as the env
/// removes it; false when an atom would move further than the env's kick cap (the env would cut it and
/// relax another structure than the one screened).
bool kick_to(const PesEnv& env, const Atoms& target, Action& kick) {
  const Atoms& here = env.current().minimum.atoms;
  const Positions d = without_centre_of_mass_motion(here, target.positions - here.positions);
  if (d.rowwise().norm().maxCoeff() > env.options().kick_limit()) return false;
  kick = kick_action(d);
  return true;
}

}  // namespace

Action ScreenedPolicy::act(const PesEnv& env) {
  if (&env.calculator() != &recorder_) {
    throw std::logic_error("screening: the env's calculator is not the RecordingCalculator the model learns from");
  }
  ++steps_;
  learn(env);
  known_before_ = env.registry().size();
  Action first = proposer_->act(env);
  hint_ = proposer_->hint();  // what the first proposal stands for, played when nothing is screened
  screened_now_ = false;
  if (!model_->fitted()) return first;
  bool found = false;
  double best_score = 0.0;  // lower is better
  Action best;
  Atoms best_minimum;
  std::string best_label;
  for (int c = 0; c < options_.candidates; ++c) {
    const Action proposal = c == 0 ? first : proposer_->act(env);
    const PesEnv::Perturbation p = env.perturbation(proposal);
    if (!p.failure.empty() || p.mode == PesMode::kRestart) continue;
    OptimizeResult candidate;
    double novelty = 0.0;
    Action kick;
    if (!looks_new(env, p, candidate, novelty)) continue;
    const double score = options_.choice == ScreeningOptions::Choice::kLowest ? candidate.energy : -novelty;
    if ((found && score >= best_score) || !kick_to(env, candidate.atoms, kick)) continue;
    best = std::move(kick), best_score = score, best_label = p.label, best_minimum = std::move(candidate.atoms);
    found = true;
  }
  if (!found) return first;
  ++screened_;
  screened_now_ = true;
  hint_ = {"screened " + best_label, Eigen::MatrixXd()};
  if (options_.hessian_guess) hint_.hessian_guess = numerical_hessian(*model_, best_minimum, env.options().hessian_step);
  return best;
}

void ScreenedPolicy::after_step(PesEnv& env, int from_id, const StepResult& result) {
  if (screened_now_ && env.registry().size() > known_before_) ++screened_new_;
  proposer_->after_step(env, from_id, result);
}

}  // namespace equimol::envs
