#include "rl/agents.h"

#include <functional>
#include <map>
#include <stdexcept>

#include "chem/errors.h"
#include "rl/egnn_cartpole_actor_critic.h"
#include "rl/mlp_actor_critic.h"
#include "rl/mlp_augment_actor_critic.h"
#include "rl/molecular_agents.h"
#include "rl/symmetrizer_actor_critic.h"

namespace equimol::rl {

namespace {

using Factory = std::function<ActorCritic(const envs::Space&, const envs::Space&, const nlohmann::json&)>;

ActionHead action_head(const envs::Space& action_space) {
  if (const auto* discrete = std::get_if<envs::Discrete>(&action_space)) return {discrete->n, 0};
  if (const auto* box = std::get_if<envs::Box>(&action_space)) return {0, box->dim()};
  throw std::invalid_argument("no agent supports action space " + envs::describe(action_space));
}

ActorCritic make_mlp(const envs::Space& obs_space, const envs::Space& action_space, const nlohmann::json& options) {
  const auto* box = std::get_if<envs::Box>(&obs_space);
  if (box == nullptr) {
    throw std::invalid_argument("mlp agent needs Box observations, not " + envs::describe(obs_space));
  }
  return std::make_shared<MlpActorCriticImpl>(box->dim(), action_head(action_space), mlp_options_from_json(options));
}

// One line per agent; models/ (EGNN, Symmetrizer) add theirs here.
const std::map<std::string, Factory>& registry() {
  static const std::map<std::string, Factory> agents = {
      {"mlp", make_mlp},
      {"mlp-augment", make_mlp_augment_agent},
      {"symmetrizer", make_symmetrizer_agent},
      {"egnn", [](const envs::Space& o, const envs::Space& a, const nlohmann::json& j) {  // pes, design, else CartPole
         if (ActorCritic molecular = make_egnn_molecular_agent(o, a, j)) return molecular;
         return make_egnn_cartpole_agent(o, a, j);
       }},
  };
  return agents;
}

}  // namespace

ActorCritic make_agent(const std::string& name, const envs::Space& observation_space,
                       const envs::Space& action_space, const nlohmann::json& options) {
  const auto it = registry().find(name);
  if (it == registry().end()) {
    throw std::invalid_argument("unknown agent '" + name + "' (known: " + comma_separated(agent_names()) + ")");
  }
  if (!options.is_object()) throw std::invalid_argument("agent_options must be a JSON object");
  return it->second(observation_space, action_space, options);
}

std::vector<std::string> agent_names() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : registry()) names.push_back(name);
  return names;
}

}  // namespace equimol::rl
