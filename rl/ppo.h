// PPO (Schulman et al. 2017) in the shape of CleanRL's ppo.py: a [T, N] rollout from a VectorEnv,
// GAE, then epochs of shuffled minibatches of the clipped objective. One call to iterate() is one
// rollout plus one update; the caller loops, logs and checkpoints (see run.cpp).
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <filesystem>

#include "envs/vector_env.h"
#include "rl/actor_critic.h"
#include "rl/metrics.h"
#include "rl/train_config.h"

namespace equimol::rl {

class Ppo {
 public:
  /// Builds the VectorEnv (env i seeded config.seed + i) and the Adam optimiser over the agent.
  /// Seed torch (torch::manual_seed) before building the agent for a reproducible run.
  Ppo(const TrainConfig& config, ActorCritic agent);

  /// Collects one rollout and updates the agent on it.
  IterationStats iterate();

  std::int64_t global_step() const { return global_step_; }
  std::int64_t iteration() const { return iteration_; }
  /// Iterations in the run: total_steps / rollout size, rounded down (never more env steps than asked).
  std::int64_t num_iterations() const { return num_iterations_; }
  bool done() const { return iteration_ >= num_iterations_; }
  ActorCriticImpl& agent() { return *agent_; }

  void save(const std::filesystem::path& path);
  void load(const std::filesystem::path& path);

 private:
  TrainConfig config_;
  ActorCritic agent_;
  envs::VectorEnv envs_;
  torch::optim::Adam optimizer_;
  std::int64_t num_iterations_;
  std::int64_t global_step_ = 0;
  std::int64_t iteration_ = 0;
  std::int64_t start_step_ = 0;  // for steps/s since this process started (or resumed)
  std::chrono::steady_clock::time_point start_time_;
};

}  // namespace equimol::rl
