// Envs built from construction options: the molecular envs need a structure, a method or a bag that a
// bare name cannot carry. The options are the JSON object a run stores as "env_options" in its config.
//
//   pes:    one start, {"cluster": "lj:N"} | {"smiles": "CC=O"} | {"xyz": "FILE"}; "method" (lj for
//           clusters, else gfn2), "budget" (steps per episode, 50), "gradient_call_cost" (reward
//           charged per gradient call of a step, 0 = off; PesRewardOptions), "saddle_check"
//           ("lanczos", the default, or "hessian": how a new minimum is told from a saddle; PesEnvOptions)
//   design: {"bag": "CH3NO[,FORMULA...]"}, "method" (gfn2), "canvas_size" (25)
// Any other env id goes to make_env and takes no options.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "envs/env.h"

namespace equimol::envs {

/// A new env. `seed` draws a random LJ cluster start (env i of a VectorEnv gets seed + i, so each
/// explores its own start). Unknown names or keys and bad values throw std::invalid_argument naming them.
std::unique_ptr<Env> make_configured_env(const std::string& name, const nlohmann::json& env_options,
                                         const EnvOptions& options = {}, std::uint64_t seed = 0);

/// Every name make_configured_env takes: the registered envs (registry.h), then pes and design.
std::vector<std::string> configured_env_names();

/// The method of pes env_options: its "method", else lj for a cluster start and gfn2 for a molecule.
/// Throws std::invalid_argument when "method" is not a string.
std::string pes_method(const nlohmann::json& env_options);

/// N of "lj:N"; throws std::invalid_argument otherwise.
int parse_lj_cluster(const std::string& spec);

}  // namespace equimol::envs
