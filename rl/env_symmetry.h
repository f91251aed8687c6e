// The symmetry groups of our envs, recognised from their spaces, and their action on batches.
// Symmetry-aware agents (symmetrizer, mlp-augment) ask for the group of the env they are built for:
//   CartPole-v1   Z2 = {identity, mirror x -> -x}: state -> -state, push-left <-> push-right
//   GridWorld-v0  C4 rotations about the goal: one-hot image pixels permuted, actions a -> a - 1
// (models/symmetry_groups.h has the representations and their derivation).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <string>

#include "envs/spaces.h"
#include "models/representation.h"

namespace equimol::rl {

enum class SymmetryGroup { kCartPoleMirror, kGridRotations };

struct EnvSymmetry {
  SymmetryGroup group;
  std::string name;                    // e.g. "CartPole-v1 Z2 mirror"
  models::Representation observation;  // L_g on the observation vector
  models::Representation actions;      // K_g on the action logits, a permutation
  models::Representation regular;      // the group's regular representation (hidden channels)
  std::int64_t default_channels = 1;   // Symmetrizer hidden channels (see symmetrizer_actor_critic.h)
};

/// True for exactly CartPole-v1's spaces.
bool has_cartpole_spaces(const envs::Space& observation_space, const envs::Space& action_space);

/// The symmetry of the env whose spaces these are: exactly CartPole-v1's spaces, or GridWorld-v0's
/// for some odd size. Anything else throws std::invalid_argument naming `agent` and the spaces.
EnvSymmetry env_symmetry(const envs::Space& observation_space, const envs::Space& action_space,
                         const std::string& agent);

/// L_g obs for a batch of observations [B, dim] (obs L_g^T), in obs's dtype.
torch::Tensor transform_observations(const models::Representation& rep, std::int64_t g, const torch::Tensor& obs);

/// K_g a for a batch of action indices [B] (int64), K_g a permutation: index a goes to the row
/// holding the 1 of column a.
torch::Tensor transform_actions(const models::Representation& rep, std::int64_t g, const torch::Tensor& actions);

/// K_g applied to each row of logits or probabilities [B, n] (x K_g^T).
torch::Tensor transform_logits(const models::Representation& rep, std::int64_t g, const torch::Tensor& logits);

}  // namespace equimol::rl
