// Between envs and tensors: Box observations become float32 rows, tensor actions become env actions
// (continuous ones clipped to the action box, as SB3 does before stepping).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "envs/spaces.h"
#include "envs/types.h"

namespace equimol::rl {

/// Stacks Box observations into [B, obs_dim] float32. Graph observations need their space (the
/// overloads below); without it they throw std::invalid_argument.
torch::Tensor stack_observations(const std::vector<const envs::Observation*>& observations);

/// The observations of a VectorEnv's results as [N, obs_dim].
torch::Tensor stack_observations(const std::vector<envs::StepResult>& results);

/// As above for any observation space: GraphSpace observations become fixed-length padded rows
/// (rl/graph_features.h), which the molecular agents unpack into batched graphs.
torch::Tensor stack_observations(const std::vector<const envs::Observation*>& observations,
                                 const envs::Space& observation_space);
torch::Tensor stack_observations(const std::vector<envs::StepResult>& results, const envs::Space& observation_space);

/// The width of a featurized observation: Box dim or GraphLayout::dim().
std::int64_t observation_dim(const envs::Space& observation_space);

/// Writes actions ([N] int64 for Discrete, [N, d] for Box) into env actions, reusing `out`.
void to_env_actions(const torch::Tensor& actions, const envs::Space& action_space, std::vector<envs::Action>& out);

}  // namespace equimol::rl
