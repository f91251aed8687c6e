// Envs by their Gymnasium id ("CartPole-v1"), as `gymnasium.make(id)`.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "envs/env.h"

namespace equimol::envs {

/// A new env; unknown names throw std::invalid_argument listing the known ones.
std::unique_ptr<Env> make_env(const std::string& name, const EnvOptions& options = {});

/// The registered ids, sorted.
std::vector<std::string> env_names();

}  // namespace equimol::envs
