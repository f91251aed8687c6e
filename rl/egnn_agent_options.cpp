#include "rl/egnn_agent_options.h"

#include <set>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace equimol::rl {

namespace {

template <typename T>
void read(const nlohmann::json& j, const char* key, T& value) {
  if (!j.contains(key)) return;
  const nlohmann::json& given = j.at(key);
  // nlohmann converts 2.7 to an integer 2 without a word: a width must be given whole.
  const bool fits = std::is_same_v<T, bool>       ? given.is_boolean()
                    : std::is_integral_v<T>       ? given.is_number_integer()
                                                  : given.is_number();
  if (!fits) throw std::invalid_argument(std::string("agent_options: '") + key + "' has the wrong type (" + given.dump() + ")");
  value = given.get<T>();
}

void positive(std::int64_t value, const char* key) {
  if (value < 1) throw std::invalid_argument(std::string("agent_options: ") + key + " must be >= 1, got " + std::to_string(value));
}

}  // namespace

EgnnAgentOptions egnn_agent_options_from_json(const nlohmann::json& j, EgnnAgentKind kind) {
  const std::set<std::string> common = {"hidden", "layers", "embedding"};
  const std::set<std::string> pes = {"kick_log_std_init", "per_atom_kick_std", "hop"};
  const std::set<std::string> design = {"distance_components", "direction_components"};
  const bool for_pes = kind == EgnnAgentKind::kPes;
  for (const auto& item : j.items()) {
    const std::string& k = item.key();
    if (common.count(k) || (for_pes ? pes : design).count(k)) continue;
    if ((for_pes ? design : pes).count(k)) {
      throw std::invalid_argument("agent_options: '" + k + "' is for the " + (for_pes ? "design" : "pes") +
                                  " agent, not this " + (for_pes ? "pes" : "design") + " one");
    }
    throw std::invalid_argument("agent_options: unknown key '" + k + "' for the egnn agent");
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
