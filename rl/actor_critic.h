// The agent interface PPO trains: a torch module mapping a batch of featurized observations to an
// action distribution and a state value. Agents are chosen by name with make_agent (agents.h); an
// EGNN or Symmetrizer agent plugs in by deriving from ActorCriticImpl and adding one registry line.
#pragma once

#include <torch/torch.h>

#include <memory>

#include "rl/distributions.h"

namespace equimol::rl {

struct PolicyOutput {
  std::unique_ptr<Distribution> distribution;  // pi(. | s) for each of the B observations
  torch::Tensor value;                         // V(s), [B]
};

class ActorCriticImpl : public torch::nn::Module {
 public:
  /// obs is [B, obs_dim] float (see featurize.h).
  virtual PolicyOutput forward(const torch::Tensor& obs) = 0;
  virtual torch::Tensor value(const torch::Tensor& obs) = 0;
};

using ActorCritic = std::shared_ptr<ActorCriticImpl>;

}  // namespace equimol::rl
