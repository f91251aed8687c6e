#include "rl/ppo_options.h"

#include <sstream>
#include <stdexcept>

namespace equimol::rl {

namespace {

template <typename T>
void require(bool ok, const char* name, T value, const char* rule) {
  if (ok) return;
  std::ostringstream message;
  message << "PPO option " << name << " = " << value << " is invalid: must be " << rule;
  throw std::invalid_argument(message.str());
}

}  // namespace

void check(const PpoOptions& o) {
  require(o.num_envs >= 1, "num_envs", o.num_envs, ">= 1");
  require(o.num_steps >= 1, "num_steps", o.num_steps, ">= 1");
  require(o.num_minibatches >= 1, "num_minibatches", o.num_minibatches, ">= 1");
  require(o.rollout_size() % o.num_minibatches == 0 && o.minibatch_size() >= 2, "num_minibatches",
          o.num_minibatches,
          ("a divisor of num_envs * num_steps = " + std::to_string(o.num_envs) + " * " + std::to_string(o.num_steps) +
           " = " + std::to_string(o.rollout_size()) +
           " leaving minibatches of at least 2 (choose --num-envs to fit, or set ppo.num_minibatches in --config)")
              .c_str());
  require(o.num_epochs >= 1, "num_epochs", o.num_epochs, ">= 1");
  require(o.gamma >= 0 && o.gamma <= 1, "gamma", o.gamma, "in [0, 1]");
  require(o.gae_lambda >= 0 && o.gae_lambda <= 1, "gae_lambda", o.gae_lambda, "in [0, 1]");
  require(o.learning_rate > 0, "learning_rate", o.learning_rate, "> 0");
  require(o.clip_range > 0, "clip_range", o.clip_range, "> 0");
  if (o.clip_range_vf) require(*o.clip_range_vf > 0, "clip_range_vf", *o.clip_range_vf, "> 0");
  require(o.ent_coef >= 0, "ent_coef", o.ent_coef, ">= 0");
  require(o.reward_scale > 0, "reward_scale", o.reward_scale, "> 0");
  require(o.vf_coef >= 0, "vf_coef", o.vf_coef, ">= 0");
  require(o.max_grad_norm > 0, "max_grad_norm", o.max_grad_norm, "> 0");
  if (o.target_kl) require(*o.target_kl > 0, "target_kl", *o.target_kl, "> 0");
  require(o.adam_eps > 0, "adam_eps", o.adam_eps, "> 0");
  require(o.env_threads >= 1, "env_threads", o.env_threads, ">= 1");
  require(o.env_workers == "threads" || o.env_workers == "processes", "env_workers", o.env_workers,
          "'threads' or 'processes'");
  require(o.torch_threads >= 1, "torch_threads", o.torch_threads, ">= 1");
  require(o.checkpoint_every >= 1, "checkpoint_every", o.checkpoint_every, ">= 1");
}

PpoOptions ppo_defaults(const std::string& env_name) {
  PpoOptions o;  // SB3 PPO defaults
  if (env_name == "CartPole-v1") {  // rl-baselines3-zoo hyperparams/ppo.yml
    o.num_envs = 8;
    o.num_steps = 32;
    o.num_minibatches = 1;  // batch_size 256 = the whole rollout
    o.gae_lambda = 0.8;
    o.gamma = 0.98;
    o.num_epochs = 20;
    o.ent_coef = 0.0;
    o.learning_rate = 1e-3;
    o.anneal_lr = true;
    o.clip_range = 0.2;
    o.anneal_clip_range = true;
  } else if (env_name == "Acrobot-v1") {  // zoo, without its observation normalisation
    o.num_envs = 16;
    o.num_steps = 256;
    o.num_minibatches = 64;  // batch_size 64
    o.gae_lambda = 0.94;
    o.gamma = 0.99;
    o.num_epochs = 4;
    o.ent_coef = 0.0;
  } else if (env_name == "pes" || env_name == "design") {
    // Molecular envs: every step is a relaxation or an xtb call, so rollouts are short (4 envs x one
    // 50-step PES episode, or ~10 design episodes) and reused for 4 epochs of 4 minibatches.
    o.num_envs = 4;
    o.num_steps = env_name == "pes" ? 50 : 64;
    o.num_minibatches = 4;
    o.num_epochs = 4;
    o.learning_rate = 5e-4;
    if (env_name == "design") {
      // Returns are atomisation energies of 20-40 eV: scaled by 0.1 the critic's targets are of order
      // 1. With lr 1e-3 the 12k-step greedy molecules reach 95 % of the optimum (RESULTS.md); at 5e-4
      // and unscaled rewards they stayed below 90 %, often invalid.
      o.learning_rate = 1e-3;
      o.reward_scale = 0.1;
    }
  }
  return o;
}

}  // namespace equimol::rl
