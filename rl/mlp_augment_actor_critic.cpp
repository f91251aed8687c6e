#include "rl/mlp_augment_actor_critic.h"

namespace equimol::rl {

MlpAugmentActorCriticImpl::MlpAugmentActorCriticImpl(const EnvSymmetry& symmetry_, const MlpActorCriticOptions& options)
    : MlpActorCriticImpl(symmetry_.observation.dim, ActionHead{symmetry_.actions.dim, 0}, options), symmetry(symmetry_) {}

std::vector<SymmetricCopy> MlpAugmentActorCriticImpl::symmetric_copies(const torch::Tensor& obs,
                                                                       const torch::Tensor& actions) {
  std::vector<SymmetricCopy> copies;
  for (std::int64_t g = 1; g < symmetry.observation.group_order(); ++g) {  // element 0 is the identity
    copies.push_back({transform_observations(symmetry.observation, g, obs), transform_actions(symmetry.actions, g, actions)});
  }
  return copies;
}

ActorCritic make_mlp_augment_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                   const nlohmann::json& options) {
  const MlpActorCriticOptions o = mlp_options_from_json(options);
  return std::make_shared<MlpAugmentActorCriticImpl>(env_symmetry(observation_space, action_space, "mlp-augment"), o);
}

}  // namespace equimol::rl
