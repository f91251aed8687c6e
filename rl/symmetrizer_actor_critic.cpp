#include "rl/symmetrizer_actor_critic.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace equimol::rl {

namespace {

const double kHiddenGain = std::sqrt(2.0);
constexpr double kPolicyGain = 0.01;  // near-uniform initial policy, as the MLP agent
constexpr double kValueGain = 1.0;

models::EquivariantMLP network(const EnvSymmetry& symmetry, const SymmetrizerActorCriticOptions& o,
                               const models::Representation& out, double out_gain) {
  const std::int64_t channels = o.channels.value_or(symmetry.default_channels);
  std::vector<models::FeatureType> features = {{symmetry.observation, 1}};
  for (std::int64_t l = 0; l < o.hidden_layers; ++l) features.push_back({symmetry.regular, channels});
  features.push_back({out, 1});
  return models::EquivariantMLP(models::EquivariantMLPOptions(features)
                                    .activation(o.activation)
                                    .init(o.init)
                                    .basis(models::BasisOptions().kind(o.basis))
                                    .hidden_gain(kHiddenGain)
                                    .output_gain(out_gain));
}

models::WeightInit init_from_string(const std::string& name) {
  if (name == "fan_in") return models::WeightInit::kFanIn;
  if (name == "orthogonal") return models::WeightInit::kOrthogonal;
  throw std::invalid_argument("symmetrizer agent: init '" + name + "' is not fan_in or orthogonal");
}

models::BasisKind basis_from_string(const std::string& name) {
  if (name == "svd") return models::BasisKind::kSvd;
  if (name == "sharing") return models::BasisKind::kSharing;
  throw std::invalid_argument("symmetrizer agent: basis '" + name + "' is not svd or sharing");
}

}  // namespace

SymmetrizerActorCriticOptions symmetrizer_options_from_json(const nlohmann::json& json) {
  SymmetrizerActorCriticOptions o;
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    const auto& value = item.value();
    try {
      if (key == "channels") o.channels = value.get<std::int64_t>();
      else if (key == "hidden_layers") o.hidden_layers = value.get<std::int64_t>();
      else if (key == "activation") o.activation = models::activation_from_string(value.get<std::string>());
      else if (key == "init") o.init = init_from_string(value.get<std::string>());
      else if (key == "basis") o.basis = basis_from_string(value.get<std::string>());
      else throw std::invalid_argument("symmetrizer agent: unknown option '" + key + "'");
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("symmetrizer agent: option '" + key + "' has the wrong type (" + value.dump() + ")");
    }
  }
  if (o.channels && *o.channels < 1) {
    throw std::invalid_argument("symmetrizer agent: channels must be >= 1, got " + std::to_string(*o.channels));
  }
  if (o.hidden_layers < 1) {
    // The value needs a hidden layer: V(-s) = V(s) has no linear solution but 0 on CartPole.
    throw std::invalid_argument("symmetrizer agent: hidden_layers must be >= 1, got " + std::to_string(o.hidden_layers));
  }
  return o;
}

SymmetrizerActorCriticImpl::SymmetrizerActorCriticImpl(const EnvSymmetry& symmetry_,
                                                       const SymmetrizerActorCriticOptions& options)
    : symmetry(symmetry_),
      actor_(network(symmetry_, options, symmetry_.actions, kPolicyGain)),
      critic_(network(symmetry_, options, models::trivial(symmetry_.regular.group_order()), kValueGain)) {
  register_module("actor", actor_);
  register_module("critic", critic_);
}

PolicyOutput SymmetrizerActorCriticImpl::forward(const torch::Tensor& obs) {
  PolicyOutput result;
  result.distribution = std::make_unique<Categorical>(actor_->forward(obs));
  result.value = value(obs);
  return result;
}

torch::Tensor SymmetrizerActorCriticImpl::value(const torch::Tensor& obs) { return critic_->forward(obs).squeeze(-1); }

ActorCritic make_symmetrizer_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                   const nlohmann::json& options) {
  const SymmetrizerActorCriticOptions o = symmetrizer_options_from_json(options);
  return std::make_shared<SymmetrizerActorCriticImpl>(env_symmetry(observation_space, action_space, "symmetrizer"), o);
}

}  // namespace equimol::rl
