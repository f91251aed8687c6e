// The agent interface PPO trains: a torch module mapping a batch of featurized observations to an
// action distribution and a state value. Agents are chosen by name with make_agent (agents.h); an
// EGNN or Symmetrizer agent plugs in by deriving from ActorCriticImpl and adding one registry line.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <vector>

#include "rl/distributions.h"

namespace equimol::rl {

struct PolicyOutput {
  std::unique_ptr<Distribution> distribution;  // pi(. | s) for each of the B observations
  torch::Tensor value;                         // V(s), [B]
};

/// A batch seen through a symmetry of the env: observations L_g s and actions K_g a (see
/// symmetric_copies).
struct SymmetricCopy {
  torch::Tensor obs;
  torch::Tensor actions;
};

class ActorCriticImpl : public torch::nn::Module {
 public:
  /// obs is [B, obs_dim] float (see featurize.h).
  virtual PolicyOutput forward(const torch::Tensor& obs) = 0;
  virtual torch::Tensor value(const torch::Tensor& obs) = 0;
  /// Data augmentation: the images (L_g obs, K_g actions) of a flattened rollout under each
  /// non-identity symmetry g of the env. PPO adds them to the batch with the same advantages and
  /// returns (rl/augmentation.h). None by default; `mlp-augment` mirrors CartPole.
  virtual std::vector<SymmetricCopy> symmetric_copies(const torch::Tensor& /*obs*/, const torch::Tensor& /*actions*/) {
    return {};
  }
  /// What the env is sent for sampled actions, before to_env_actions clips them to the action box
  /// per component: the actions themselves by default. An agent whose actions hold vectors (per-atom
  /// displacements) shortens them here to the box, so that the clip never turns a vector: turning it
  /// would break the policy's rotation equivariance. Rollouts keep the sampled actions.
  virtual torch::Tensor env_actions(const torch::Tensor& actions) const { return actions; }
};

using ActorCritic = std::shared_ptr<ActorCriticImpl>;

}  // namespace equimol::rl
