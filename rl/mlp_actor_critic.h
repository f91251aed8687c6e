// The baseline agent: separate actor and critic MLPs (CleanRL's ppo.py and SB3's MlpPolicy), with
// orthogonal initialisation: hidden layers gain sqrt(2), the policy output gain 0.01 (near-uniform
// initial policy), the value output gain 1; biases 0. Discrete actions get a Categorical over the
// actor's logits; continuous ones a DiagGaussian with a learned state-independent log-std.
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "rl/actor_critic.h"

namespace equimol::rl {

enum class Activation { kTanh, kReLU };

struct MlpActorCriticOptions {
  std::vector<std::int64_t> hidden_sizes = {64, 64};  // per hidden layer, same for actor and critic
  Activation activation = Activation::kTanh;
  bool ortho_init = true;
  double log_std_init = 0.0;  // continuous actions: initial log sigma
};

/// Reads {"hidden_sizes": [64, 64], "activation": "tanh"|"relu", "ortho_init": true,
/// "log_std_init": 0.0}; unknown keys or bad values throw std::invalid_argument.
MlpActorCriticOptions mlp_options_from_json(const nlohmann::json& json);

/// What the policy head produces: `discrete_actions` logits, or `continuous_dim` means.
struct ActionHead {
  std::int64_t discrete_actions = 0;
  std::int64_t continuous_dim = 0;
};

class MlpActorCriticImpl : public ActorCriticImpl {
 public:
  MlpActorCriticImpl(std::int64_t obs_dim, ActionHead head, const MlpActorCriticOptions& options = {});

  PolicyOutput forward(const torch::Tensor& obs) override;
  torch::Tensor value(const torch::Tensor& obs) override;

 private:
  ActionHead head_;
  torch::nn::Sequential actor_;
  torch::nn::Sequential critic_;
  torch::Tensor log_std_;  // [continuous_dim], registered only for continuous actions
};

}  // namespace equimol::rl
