// The augmentation baseline `mlp-augment`: the MLP agent (rl/mlp_actor_critic.h) unchanged, trained on
// each rollout plus its images under the env's symmetries (CartPole: the mirrored copy (-s, swapped
// action)). The network is not constrained: it only sees symmetric data. PPO adds the copies to the
// batch (rl/augmentation.h says how the importance ratio is kept).
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <vector>

#include "envs/spaces.h"
#include "rl/env_symmetry.h"
#include "rl/mlp_actor_critic.h"

namespace equimol::rl {

class MlpAugmentActorCriticImpl : public MlpActorCriticImpl {
 public:
  MlpAugmentActorCriticImpl(const EnvSymmetry& symmetry, const MlpActorCriticOptions& options = {});

  /// (L_g obs, K_g actions) for every non-identity g of the env's group.
  std::vector<SymmetricCopy> symmetric_copies(const torch::Tensor& obs, const torch::Tensor& actions) override;

  const EnvSymmetry symmetry;
};

/// The registry entry (rl/agents.cpp): `mlp-augment`, with the mlp agent's options.
ActorCritic make_mlp_augment_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                   const nlohmann::json& options);

}  // namespace equimol::rl
