// TrainConfig: what a training run is (env, agent, seed, budget, PPO options), as written to
// RUN_DIR/config.json and read from `equimol train --config FILE`. No LibTorch here.
//
// JSON shape (every key optional when merging; unknown keys are errors, to catch typos):
//   {"env": "CartPole-v1", "agent": "mlp", "seed": 1, "total_steps": 100000,
//    "max_episode_steps": 0, "ppo": {"num_envs": 8, "learning_rate": 0.001, ...},
//    "agent_options": {...},       // agent_options is passed to the agent as is
//    "env_options": {...}}         // construction options of pes/design (envs/env_factory.h)
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "rl/ppo_options.h"

namespace equimol::rl {

struct TrainConfig {
  std::string env = "CartPole-v1";
  std::string agent = "mlp";
  std::uint64_t seed = 0;
  std::int64_t total_steps = 100000;     // env steps, summed over the parallel envs
  std::int64_t max_episode_steps = 0;    // TimeLimit override; 0 keeps the env's own
  PpoOptions ppo = ppo_defaults("CartPole-v1");
  nlohmann::json agent_options = nlohmann::json::object();
  nlohmann::json env_options = nlohmann::json::object();  // envs::make_configured_env's options
};

/// The defaults for an env: its PPO defaults (ppo_defaults) and everything else as above.
TrainConfig default_train_config(const std::string& env);

/// Overwrites the fields present in `json`. Unknown keys and wrong types throw
/// std::invalid_argument naming `source` (a file name) and the key.
void merge(TrainConfig& config, const nlohmann::json& json, const std::string& source);

/// A config from JSON: the defaults of its env (`env`, else the "env" key, else CartPole-v1), then
/// the JSON merged over them.
TrainConfig config_from_json(const nlohmann::json& json, const std::string& source, const std::string& env = "");

nlohmann::json to_json(const TrainConfig& config);

/// Parses a JSON file; an unreadable or malformed file throws std::invalid_argument.
nlohmann::json read_json_file(const std::filesystem::path& path);

/// Writes pretty JSON through a temporary file renamed into place.
void write_json_file(const std::filesystem::path& path, const nlohmann::json& json);

}  // namespace equimol::rl
