// Agents by name (`equimol train --agent NAME`). Each agent reads its own options from the run
// config's "agent_options" object and sizes itself from the env's spaces.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "envs/spaces.h"
#include "rl/actor_critic.h"

namespace equimol::rl {

/// A new agent; unknown names and bad options throw std::invalid_argument.
ActorCritic make_agent(const std::string& name, const envs::Space& observation_space,
                       const envs::Space& action_space, const nlohmann::json& options);

std::vector<std::string> agent_names();

}  // namespace equimol::rl
