// Evaluation: N episodes of an agent, greedy or sampled, each on its own env seeded seed + i, run
// together as one batch per step (every env plays exactly one episode, so short episodes are not
// over-represented).
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "envs/env.h"
#include "rl/actor_critic.h"
#include "rl/run.h"

namespace equimol::rl {

EvalResult evaluate(ActorCriticImpl& agent, const std::string& env_name, const EvalOptions& options);

/// The same with envs from a factory (envs that need construction options, e.g. pes and design).
EvalResult evaluate(ActorCriticImpl& agent, const std::function<std::unique_ptr<envs::Env>()>& make_env,
                    const EvalOptions& options);

}  // namespace equimol::rl
