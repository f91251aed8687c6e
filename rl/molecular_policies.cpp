#include "rl/molecular_policies.h"

#include <torch/torch.h>

#include <stdexcept>
#include <string>

#include "rl/agents.h"
#include "rl/checkpoint.h"
#include "rl/featurize.h"
#include "rl/threads.h"
#include "rl/train_config.h"

namespace equimol::rl {

namespace {

/// The agent of a run, sized for `env`, with its trained parameters.
ActorCritic load_agent(const std::filesystem::path& run_dir, const envs::Env& env, const std::string& env_name) {
  const auto config_path = run_dir / "config.json";
  if (!std::filesystem::exists(config_path)) {
    throw std::invalid_argument("run directory '" + run_dir.string() + "' has no config.json");
  }
  const TrainConfig config = config_from_json(read_json_file(config_path), config_path.string());
  if (config.env != env_name) {
    throw std::invalid_argument("run directory '" + run_dir.string() + "' trained an agent on '" + config.env +
                                "', not on '" + env_name + "'");
  }
  set_torch_threads(config.ppo.torch_threads);
  ActorCritic agent = make_agent(config.agent, env.observation_space(), env.action_space(), config.agent_options);
  load_model(run_dir / "checkpoint.pt", *agent);
  agent->eval();
  return agent;
}

/// One action of the agent for the env's current observation.
envs::Action act(ActorCriticImpl& agent, const envs::Env& env, PolicyMode mode) {
  c10::InferenceMode inference;  // cheaper than NoGradGuard: no autograd bookkeeping at all
  const envs::Observation obs = env.observe();
  const PolicyOutput out = agent.forward(stack_observations({&obs}, env.observation_space()));
  std::vector<envs::Action> actions;
  to_env_actions(mode == PolicyMode::kGreedy ? out.distribution->mode() : out.distribution->sample(),
                 env.action_space(), actions);
  return actions.front();
}

class TrainedPesPolicy final : public envs::PesPolicy {
 public:
  TrainedPesPolicy(ActorCritic agent, PolicyMode mode) : agent_(std::move(agent)), mode_(mode) {}
  std::string name() const override { return "egnn"; }
  envs::Action act(const envs::PesEnv& env) override { return rl::act(*agent_, env, mode_); }

 private:
  ActorCritic agent_;
  PolicyMode mode_;
};

class TrainedDesignPolicy final : public envs::DesignPolicy {
 public:
  TrainedDesignPolicy(ActorCritic agent, PolicyMode mode) : agent_(std::move(agent)), mode_(mode) {}
  std::string name() const override { return "egnn"; }
  envs::Action act(const envs::DesignEnv& env) override { return rl::act(*agent_, env, mode_); }

 private:
  ActorCritic agent_;
  PolicyMode mode_;
};

}  // namespace

std::unique_ptr<envs::PesPolicy> load_pes_policy(const std::filesystem::path& run_dir, const envs::PesEnv& env,
                                                 PolicyMode mode, std::uint64_t seed) {
  ActorCritic agent = load_agent(run_dir, env, "pes");
  torch::manual_seed(seed);
  return std::make_unique<TrainedPesPolicy>(std::move(agent), mode);
}

std::unique_ptr<envs::DesignPolicy> load_design_policy(const std::filesystem::path& run_dir,
                                                       const envs::DesignEnv& env, PolicyMode mode, std::uint64_t seed) {
  ActorCritic agent = load_agent(run_dir, env, "design");
  torch::manual_seed(seed);
  return std::make_unique<TrainedDesignPolicy>(std::move(agent), mode);
}

}  // namespace equimol::rl
