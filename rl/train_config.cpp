#include "rl/train_config.h"

#include <fstream>
#include <stdexcept>

#include "chem/text_file.h"

namespace equimol::rl {

namespace {

using nlohmann::json;

template <typename T>
void read(const json& object, const char* key, T& value, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return;
  try {
    value = it->template get<T>();
  } catch (const json::exception&) {
    throw std::invalid_argument(where + ": key '" + key + "' has the wrong type (" + it->dump() + ")");
  }
}

template <typename T>
void read(const json& object, const char* key, std::optional<T>& value, const std::string& where) {
  const auto it = object.find(key);
  if (it == object.end()) return;
  if (it->is_null()) {
    value.reset();
    return;
  }
  T inner{};
  read(object, key, inner, where);
  value = inner;
}

template <typename T>
void put(json& object, const char* key, const std::optional<T>& value) {
  object[key] = value ? json(*value) : json(nullptr);
}

void reject_unknown(const json& object, std::initializer_list<const char*> known, const std::string& where) {
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* key : known) found = found || item.key() == key;
    if (!found) throw std::invalid_argument(where + ": unknown key '" + item.key() + "'");
  }
}

void merge_ppo(PpoOptions& o, const json& j, const std::string& where) {
  if (!j.is_object()) throw std::invalid_argument(where + ": 'ppo' must be an object");
  reject_unknown(j, {"num_envs", "num_steps", "num_minibatches", "num_epochs", "gamma", "gae_lambda",
                     "learning_rate", "anneal_lr", "clip_range", "anneal_clip_range", "clip_range_vf",
                     "ent_coef", "reward_scale", "vf_coef", "max_grad_norm", "normalize_advantages", "target_kl",
                     "adam_eps", "env_threads", "env_workers", "torch_threads", "checkpoint_every"},
                 where + " ppo");
  read(j, "num_envs", o.num_envs, where);
  read(j, "num_steps", o.num_steps, where);
  read(j, "num_minibatches", o.num_minibatches, where);
  read(j, "num_epochs", o.num_epochs, where);
  read(j, "gamma", o.gamma, where);
  read(j, "gae_lambda", o.gae_lambda, where);
  read(j, "learning_rate", o.learning_rate, where);
  read(j, "anneal_lr", o.anneal_lr, where);
  read(j, "clip_range", o.clip_range, where);
  read(j, "anneal_clip_range", o.anneal_clip_range, where);
  read(j, "clip_range_vf", o.clip_range_vf, where);
  read(j, "ent_coef", o.ent_coef, where);
  read(j, "reward_scale", o.reward_scale, where);
  read(j, "vf_coef", o.vf_coef, where);
  read(j, "max_grad_norm", o.max_grad_norm, where);
  read(j, "normalize_advantages", o.normalize_advantages, where);
  read(j, "target_kl", o.target_kl, where);
  read(j, "adam_eps", o.adam_eps, where);
  read(j, "env_threads", o.env_threads, where);
  read(j, "env_workers", o.env_workers, where);
  read(j, "torch_threads", o.torch_threads, where);
  read(j, "checkpoint_every", o.checkpoint_every, where);
}

}  // namespace

TrainConfig default_train_config(const std::string& env) {
  TrainConfig config;
  config.env = env;
  config.ppo = ppo_defaults(env);
  return config;
}

void merge(TrainConfig& config, const json& j, const std::string& source) {
  if (!j.is_object()) throw std::invalid_argument(source + ": the config must be a JSON object");
  reject_unknown(j, {"env", "agent", "seed", "total_steps", "max_episode_steps", "ppo", "agent_options", "env_options"},
                 source);
  read(j, "env", config.env, source);
  read(j, "agent", config.agent, source);
  read(j, "seed", config.seed, source);
  read(j, "total_steps", config.total_steps, source);
  read(j, "max_episode_steps", config.max_episode_steps, source);
  if (j.contains("ppo")) merge_ppo(config.ppo, j["ppo"], source);
  if (j.contains("agent_options")) {
    if (!j["agent_options"].is_object()) {
      throw std::invalid_argument(source + ": 'agent_options' must be an object");
    }
    config.agent_options.update(j["agent_options"]);
  }
  if (j.contains("env_options")) {
    if (!j["env_options"].is_object()) throw std::invalid_argument(source + ": 'env_options' must be an object");
    config.env_options.update(j["env_options"]);
  }
  if (config.total_steps < 1) {
    throw std::invalid_argument(source + ": total_steps must be >= 1, got " + std::to_string(config.total_steps));
  }
  if (config.max_episode_steps < 0) {
    throw std::invalid_argument(source + ": max_episode_steps must be >= 0, got " +
                                std::to_string(config.max_episode_steps));
  }
}

TrainConfig config_from_json(const json& j, const std::string& source, const std::string& env) {
  TrainConfig probe;
  merge(probe, j, source);  // checks the JSON and finds its env
  TrainConfig config = default_train_config(env.empty() ? probe.env : env);
  merge(config, j, source);
  if (!env.empty()) config.env = env;
  return config;
}

json to_json(const TrainConfig& c) {
  const PpoOptions& o = c.ppo;
  json ppo = {{"num_envs", o.num_envs},
              {"num_steps", o.num_steps},
              {"num_minibatches", o.num_minibatches},
              {"num_epochs", o.num_epochs},
              {"gamma", o.gamma},
              {"gae_lambda", o.gae_lambda},
              {"learning_rate", o.learning_rate},
              {"anneal_lr", o.anneal_lr},
              {"clip_range", o.clip_range},
              {"anneal_clip_range", o.anneal_clip_range},
              {"ent_coef", o.ent_coef},
              {"reward_scale", o.reward_scale},
              {"vf_coef", o.vf_coef},
              {"max_grad_norm", o.max_grad_norm},
              {"normalize_advantages", o.normalize_advantages},
              {"adam_eps", o.adam_eps},
              {"env_threads", o.env_threads},
              {"env_workers", o.env_workers},
              {"torch_threads", o.torch_threads},
              {"checkpoint_every", o.checkpoint_every}};
  put(ppo, "clip_range_vf", o.clip_range_vf);
  put(ppo, "target_kl", o.target_kl);
  return {{"env", c.env},
          {"agent", c.agent},
          {"seed", c.seed},
          {"total_steps", c.total_steps},
          {"max_episode_steps", c.max_episode_steps},
          {"ppo", ppo},
          {"agent_options", c.agent_options},
          {"env_options", c.env_options}};
}

json read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) throw std::invalid_argument("cannot read config '" + path.string() + "'");
  try {
    return json::parse(in);
  } catch (const json::parse_error& e) {
    throw std::invalid_argument("config '" + path.string() + "' is not valid JSON: " + e.what());
  }
}

void write_json_file(const std::filesystem::path& path, const json& j) {
  const std::filesystem::path tmp = path.string() + ".tmp";
  write_text_file(tmp.string(), j.dump(2) + "\n");
  std::filesystem::rename(tmp, path);
}

}  // namespace equimol::rl
