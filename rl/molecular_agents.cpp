#include "rl/molecular_agents.h"

#include <stdexcept>

#include "rl/design_egnn_agent.h"
#include "rl/pes_egnn_agent.h"

namespace equimol::rl {

ActorCritic make_egnn_molecular_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                      const nlohmann::json& options) {
  const auto* graph = std::get_if<envs::GraphSpace>(&observation_space);
  if (graph == nullptr) return nullptr;
  const auto* box = std::get_if<envs::Box>(&action_space);
  if (box == nullptr) throw std::invalid_argument("egnn agent: graph observations need Box actions");
  if (box->dim() == 4 && graph->node_feature_dim == 0) {
    return std::make_shared<DesignEgnnActorCriticImpl>(*graph, *box, egnn_agent_options_from_json(options, EgnnAgentKind::kDesign));
  }
  return std::make_shared<PesEgnnActorCriticImpl>(*graph, *box, egnn_agent_options_from_json(options, EgnnAgentKind::kPes));
}

}  // namespace equimol::rl
