// The Symmetrizer agent (MDP homomorphic networks, van der Pol et al. 2020): separate actor and
// critic EquivariantMLPs (models/equivariant_mlp.h) on the raw observation, for an env whose
// symmetry group rl/env_symmetry.h knows (CartPole-v1 Z2, GridWorld-v0 C4):
//   policy {observation x 1, regular x C, ..., actions x 1}: pi(L_g s) = K_g pi(s)
//   value  {observation x 1, regular x C, ..., trivial x 1}: V(L_g s) = V(s)
// for every g, by construction. Output gains 0.01 (policy, near-uniform start) and 1 (value), hidden
// sqrt 2, as the MLP agent. Parameters for CartPole with C = 46: 4 C^2 + 15 C + 2 = 9,156.
// Defaults (benchmarks/RESULTS.md, "Equivariant agents on CartPole"): the weight-sharing basis (each
// coefficient one shared weight, as an MLP's weight) and the projected-orthogonal init (the MLP
// agent's orthogonal init restricted to equivariant weights: CartPole's first layer starts ~5x
// smaller than with the fan-in init, so its tanh units do not start saturated). Together they took
// the steps to a 475 training return from 0.81x the MLP's to the figure in RESULTS.md.
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <optional>

#include "envs/spaces.h"
#include "models/activation.h"
#include "models/equivariant_mlp.h"
#include "rl/actor_critic.h"
#include "rl/env_symmetry.h"

namespace equimol::rl {

struct SymmetrizerActorCriticOptions {
  std::optional<std::int64_t> channels;  // copies of the regular representation per hidden layer; none: the group's default
  std::int64_t hidden_layers = 2;
  models::Activation activation = models::Activation::kTanh;
  models::WeightInit init = models::WeightInit::kOrthogonal;  // "orthogonal" | "fan_in" (models/symmetrizer_options.h)
  models::BasisKind basis = models::BasisKind::kSharing;       // "sharing" | "svd"
};

/// Reads {"channels": 46, "hidden_layers": 2, "activation": "tanh"|"relu"|"silu",
/// "init": "orthogonal"|"fan_in", "basis": "sharing"|"svd"}; unknown keys or bad values throw
/// std::invalid_argument.
SymmetrizerActorCriticOptions symmetrizer_options_from_json(const nlohmann::json& json);

class SymmetrizerActorCriticImpl : public ActorCriticImpl {
 public:
  SymmetrizerActorCriticImpl(const EnvSymmetry& symmetry, const SymmetrizerActorCriticOptions& options = {});

  PolicyOutput forward(const torch::Tensor& obs) override;
  torch::Tensor value(const torch::Tensor& obs) override;

  const EnvSymmetry symmetry;

 private:
  models::EquivariantMLP actor_;
  models::EquivariantMLP critic_;
};

/// The registry entry (rl/agents.cpp): `symmetrizer`.
ActorCritic make_symmetrizer_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                   const nlohmann::json& options);

}  // namespace equimol::rl
