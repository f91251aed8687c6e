#include "rl/molecular_policies.h"

#include <torch/torch.h>

#include <random>
#include <stdexcept>
#include <string>

#include "rl/agents.h"
#include "rl/checkpoint.h"
#include "rl/design_egnn_agent.h"
#include "rl/design_inference.h"
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
  ActorCritic agent;
  try {
    agent = make_agent(config.agent, env.observation_space(), env.action_space(), config.agent_options);
    load_model(run_dir / "checkpoint.pt", *agent);
  } catch (const std::invalid_argument& e) {  // name the run whose config or checkpoint does not fit
    throw std::invalid_argument("run directory '" + run_dir.string() + "': " + e.what());
  }
  agent->eval();
  return agent;
}

/// One action of the agent for the env's current observation.
envs::Action act(ActorCriticImpl& agent, const envs::Env& env, PolicyMode mode) {
  c10::InferenceMode inference;  // cheaper than NoGradGuard: no autograd bookkeeping at all
  const envs::Observation obs = env.observe();
  const PolicyOutput out = agent.forward(stack_observations({&obs}, env.observation_space()));
  std::vector<envs::Action> actions;
  to_env_actions(agent.env_actions(mode == PolicyMode::kGreedy ? out.distribution->mode() : out.distribution->sample()),
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

/// The EGNN design agent acts through DesignInference: the same policy without LibTorch's per-operator
/// cost at batch size 1 (issue 6's overhead bar). Sampled actions draw from the policy's own generator.
class TrainedDesignPolicy final : public envs::DesignPolicy {
 public:
  TrainedDesignPolicy(DesignEgnnActorCriticImpl& agent, PolicyMode mode, std::uint64_t seed)
      : inference_(agent), mode_(mode), rng_(seed) {}
  std::string name() const override { return "egnn"; }
  envs::Action act(const envs::DesignEnv& env) override {
    const envs::Observation observation = env.observe();
    const auto& canvas = std::get<envs::GraphObservation>(observation);
    return mode_ == PolicyMode::kGreedy ? inference_.greedy(canvas) : inference_.sample(canvas, rng_);
  }

 private:
  DesignInference inference_;
  PolicyMode mode_;
  std::mt19937_64 rng_;
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
  auto* design_agent = dynamic_cast<DesignEgnnActorCriticImpl*>(agent.get());
  if (design_agent == nullptr) {
    throw std::invalid_argument("run directory '" + run_dir.string() + "' holds no EGNN design agent");
  }
  return std::make_unique<TrainedDesignPolicy>(*design_agent, mode, seed);
}

}  // namespace equimol::rl
