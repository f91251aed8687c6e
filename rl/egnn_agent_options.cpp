#include "rl/egnn_agent_options.h"

#include <stdexcept>
#include <string>

namespace equimol::rl {

namespace {

template <typename T>
void read(const nlohmann::json& j, const char* key, T& value) {
  if (!j.contains(key)) return;
  try {
    value = j.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    throw std::invalid_argument(std::string("agent_options: '") + key + "' has the wrong type (" + j.at(key).dump() + ")");
  }
}

void positive(std::int64_t value, const char* key) {
  if (value < 1) throw std::invalid_argument(std::string("agent_options: ") + key + " must be >= 1, got " + std::to_string(value));
}

}  // namespace

EgnnAgentOptions egnn_agent_options_from_json(const nlohmann::json& j) {
  for (const auto& item : j.items()) {
    const std::string& k = item.key();
    if (k != "hidden" && k != "layers" && k != "embedding" && k != "kick_log_std_init" && k != "per_atom_kick_std" && k != "hop" &&
        k != "distance_components" &&
        k != "direction_components") {
      throw std::invalid_argument("agent_options: unknown key '" + k + "' for the egnn agent");
    }
  }
  EgnnAgentOptions o;
  read(j, "hidden", o.hidden);
  read(j, "layers", o.layers);
  read(j, "embedding", o.embedding);
  read(j, "kick_log_std_init", o.kick_log_std_init);
  read(j, "per_atom_kick_std", o.per_atom_kick_std);
  read(j, "hop", o.hop);
  read(j, "distance_components", o.distance_components);
  read(j, "direction_components", o.direction_components);
  positive(o.hidden, "hidden");
  positive(o.layers, "layers");
  positive(o.embedding, "embedding");
  positive(o.distance_components, "distance_components");
  positive(o.direction_components, "direction_components");
  return o;
}

}  // namespace equimol::rl
