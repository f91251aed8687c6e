// PpoOptions: every PPO hyperparameter, with SB3's names and meanings, and the per-env defaults
// (rl-baselines3-zoo's tuned values where EquiMol adopts them). No LibTorch here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace equimol::rl {

struct PpoOptions {
  int num_envs = 1;                 // parallel envs (SB3 n_envs)
  int num_steps = 2048;             // steps per env per rollout (SB3 n_steps); rollout = num_envs * num_steps
  int num_minibatches = 32;         // minibatches per epoch (CleanRL); SB3's batch_size = rollout / this
  int num_epochs = 10;              // passes over each rollout (SB3 n_epochs)
  double gamma = 0.99;              // discount
  double gae_lambda = 0.95;         // GAE(lambda)
  double learning_rate = 3e-4;      // Adam step size at the start
  bool anneal_lr = false;           // linear decay to 0 over total_steps (zoo "lin_" schedules)
  double clip_range = 0.2;          // PPO ratio clip epsilon at the start
  bool anneal_clip_range = false;   // linear decay to 0 over total_steps
  std::optional<double> clip_range_vf;  // value clipping around the old values; none = unclipped
  double ent_coef = 0.0;            // entropy bonus weight
  double reward_scale = 1.0;        // rewards x this before GAE: the critic learns returns of order 1
  double vf_coef = 0.5;             // value loss weight (value loss = mean squared error, as SB3)
  double max_grad_norm = 0.5;       // global gradient-norm clip
  bool normalize_advantages = true; // per minibatch, (A - mean) / (std + 1e-8)
  std::optional<double> target_kl;  // stop the epochs early when approx KL exceeds 1.5 * target_kl
  double adam_eps = 1e-5;           // Adam epsilon (SB3 and CleanRL use 1e-5, not torch's 1e-8)
  int env_threads = 1;              // OpenMP threads stepping the VectorEnv
  std::string env_workers = "threads";  // "threads": envs in this process on env_threads threads;
                                        // "processes": one forked worker process per env (envs/vector_env.h)
  int torch_threads = 1;            // torch intra-op threads (1 is fastest for 64-unit MLPs)
  std::int64_t checkpoint_every = 50;  // iterations between checkpoints (and one at the end)

  int rollout_size() const { return num_envs * num_steps; }
  int minibatch_size() const { return rollout_size() / num_minibatches; }
};

/// Throws std::invalid_argument naming the first bad value.
void check(const PpoOptions& options);

/// SB3's PPO defaults (n_steps 2048 and batch 64 as 32 minibatches), with rl-baselines3-zoo's tuned
/// values for CartPole-v1 (n_envs 8, n_steps 32, batch 256 = 1 minibatch, lambda 0.8, gamma 0.98, 20 epochs, lr lin_1e-3, clip lin_0.2) and Acrobot-v1.
PpoOptions ppo_defaults(const std::string& env_name);

}  // namespace equimol::rl
