#include "envs/pes_explore.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "chem/calculator_factory.h"
#include "chem/elements.h"

namespace equimol::envs {

RandomPerturbation::RandomPerturbation(std::uint64_t seed, double drive_probability, double hop_probability)
    : rng_(seed), drive_probability_(drive_probability), hop_probability_(hop_probability) {
  if (!(drive_probability >= 0.0) || !(hop_probability >= 0.0) || drive_probability + hop_probability > 1.0) {
    throw std::invalid_argument("random perturbation: drive and hop probabilities must be >= 0 with a sum <= 1, got " +
                                std::to_string(drive_probability) + " and " + std::to_string(hop_probability));
  }
}

Action RandomPerturbation::act(const PesEnv& env) {
  const int n = env.n_atoms();
  const PesEnvOptions& o = env.options();
  const double u = rng_.uniform01();
  if (u < drive_probability_) {
    const int i = rng_.uniform_index(n);
    int j = rng_.uniform_index(n - 1);
    if (j >= i) ++j;
    double target = rng_.uniform(o.drive_min_target, o.drive_max_target);
    if (!is_cluster_method(o.method)) {
      const Atoms& atoms = env.current().minimum.atoms;
      const double covalent = element(atoms.numbers[i]).covalent_radius_ang + element(atoms.numbers[j]).covalent_radius_ang;
      const auto& bonds = env.current().minimum.graph.bonds;
      const bool bonded = std::find(bonds.begin(), bonds.end(), std::make_pair(std::min(i, j), std::max(i, j))) != bonds.end();
      target = bonded ? 2.0 * covalent : 1.1 * covalent;
    }
    return drive_action(n, i, j, target);
  }
  if (u < drive_probability_ + hop_probability_) {
    const int i = rng_.uniform_index(n);
    return hop_action(n, i, random_in_unit_ball(rng_).normalized());
  }
  Positions d(n, 3);
  for (int k = 0; k < n; ++k) {
    d.row(k) = random_in_unit_ball(rng_).normalized();  // before the length: the draws keep their order
    d.row(k) *= rng_.uniform(0.0, o.max_kick);
  }
  return kick_action(d);
}

BasinHopping::BasinHopping(std::uint64_t seed, double kt, double step) : rng_(seed), kt_(kt), step_(step) {
  if (!(kt > 0.0) || !(step > 0.0)) {
    throw std::invalid_argument("basin hopping needs kT > 0 and step > 0, got kT=" + std::to_string(kt) +
                                " step=" + std::to_string(step));
  }
}

double BasinHopping::default_kt(const std::string& method) { return is_cluster_method(method) ? 0.8 : 0.05; }
double BasinHopping::default_step(const std::string& method) { return is_cluster_method(method) ? 0.36 : 0.3; }

Action BasinHopping::act(const PesEnv& env) {
  Positions d(env.n_atoms(), 3);
  for (int k = 0; k < d.size(); ++k) d.data()[k] = rng_.uniform(-step_, step_);
  return kick_action(d);
}

void BasinHopping::after_step(PesEnv& env, int from_id, const StepResult& /*result*/) {
  const double e_old = env.registry().at(from_id).minimum.energy;
  const double e_new = env.current().minimum.energy;
  if (env.current_id() == from_id || e_new <= e_old) return;
  if (rng_.uniform01() >= std::exp(-(e_new - e_old) / kt_)) env.jump_to(from_id);  // rejected
}

void run_exploration(PesEnv& env, PesPolicy& policy, long steps, const std::function<void(const PesEnv&)>& progress) {
  for (long k = 0; k < steps; ++k) {
    const int from = env.current_id();
    const Action action = policy.act(env);
    env.hint_next_step(policy.hint());
    const StepResult result = env.step(action);
    policy.after_step(env, from, result);
    if (progress) progress(env);
  }
}

}  // namespace equimol::envs
