// The EGNN agents of the molecular envs, chosen from the spaces: PesEnv (graph observations with
// per-atom features, Box [mode, i, j, target, d...]) or DesignEnv (graph of the canvas, Box [Z, x, y, z]).
#pragma once

#include <nlohmann/json.hpp>

#include "envs/spaces.h"
#include "rl/actor_critic.h"

namespace equimol::rl {

/// The PES or design EGNN actor-critic for these spaces; nullptr when the observations are not graphs
/// (the registry's "egnn" then falls back to the classic-control EGNN agent).
ActorCritic make_egnn_molecular_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                      const nlohmann::json& options);

}  // namespace equimol::rl
