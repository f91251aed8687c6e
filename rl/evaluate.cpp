#include "rl/evaluate.h"

#include <cmath>
#include <memory>
#include <stdexcept>

#include "envs/registry.h"
#include "rl/featurize.h"

namespace equimol::rl {

EvalResult evaluate(ActorCriticImpl& agent, const std::string& env_name, const EvalOptions& options) {
  return evaluate(agent, [&] { return envs::make_env(env_name, {options.max_episode_steps}); }, options);
}

EvalResult evaluate(ActorCriticImpl& agent, const std::function<std::unique_ptr<envs::Env>()>& make_env,
                    const EvalOptions& options) {
  if (options.episodes < 1) {
    throw std::invalid_argument("evaluate: episodes must be >= 1, got " + std::to_string(options.episodes));
  }
  torch::NoGradGuard no_grad;
  const auto n = static_cast<std::size_t>(options.episodes);
  std::vector<std::unique_ptr<envs::Env>> env_list;
  std::vector<envs::StepResult> results(n);
  EvalResult eval;
  eval.returns.assign(n, 0.0);
  eval.lengths.assign(n, 0);
  std::vector<std::size_t> running;  // envs still in their episode
  for (std::size_t i = 0; i < n; ++i) {
    env_list.push_back(make_env());
    env_list[i]->reset_into(options.seed + i, results[i].obs, results[i].info);
    running.push_back(i);
  }
  const envs::Space& action_space = env_list.front()->action_space();
  const envs::Space& observation_space = env_list.front()->observation_space();
  std::vector<envs::Action> actions;
  while (!running.empty()) {
    std::vector<const envs::Observation*> observations;
    for (std::size_t i : running) observations.push_back(&results[i].obs);
    const PolicyOutput out = agent.forward(stack_observations(observations, observation_space));
    to_env_actions(agent.env_actions(options.greedy ? out.distribution->mode() : out.distribution->sample()),
                   action_space, actions);
    std::vector<std::size_t> still_running;
    for (std::size_t k = 0; k < running.size(); ++k) {
      const std::size_t i = running[k];
      env_list[i]->step_into(actions[k], results[i]);
      eval.returns[i] += results[i].reward;
      ++eval.lengths[i];
      if (!results[i].terminated && !results[i].truncated) still_running.push_back(i);
    }
    running.swap(still_running);
  }
  double sum = 0.0, sum_sq = 0.0;
  for (double r : eval.returns) sum += r;
  eval.mean_return = sum / static_cast<double>(n);
  for (double r : eval.returns) sum_sq += (r - eval.mean_return) * (r - eval.mean_return);
  eval.std_return = std::sqrt(sum_sq / static_cast<double>(n));
  return eval;
}

}  // namespace equimol::rl
