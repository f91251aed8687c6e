#include "rl/mlp_actor_critic.h"

#include <cmath>
#include <stdexcept>

namespace equimol::rl {

namespace {

const double kHiddenGain = std::sqrt(2.0);  // orthogonal gain for tanh/relu hidden layers
constexpr double kPolicyGain = 0.01;        // small policy outputs: near-uniform start
constexpr double kValueGain = 1.0;

torch::nn::Linear linear(std::int64_t in, std::int64_t out, bool ortho_init, double gain) {
  torch::nn::Linear layer(in, out);
  if (ortho_init) {
    torch::NoGradGuard no_grad;
    torch::nn::init::orthogonal_(layer->weight, gain);
    torch::nn::init::constant_(layer->bias, 0.0);
  }
  return layer;
}

torch::nn::Sequential mlp(std::int64_t in, std::int64_t out, const MlpActorCriticOptions& o, double out_gain) {
  torch::nn::Sequential net;
  for (std::int64_t width : o.hidden_sizes) {
    net->push_back(linear(in, width, o.ortho_init, kHiddenGain));
    if (o.activation == Activation::kTanh) net->push_back(torch::nn::Tanh());
    else net->push_back(torch::nn::ReLU());
    in = width;
  }
  net->push_back(linear(in, out, o.ortho_init, out_gain));
  return net;
}

/// The head, after checking that it and obs_dim make sense.
ActionHead checked(std::int64_t obs_dim, ActionHead head) {
  if (obs_dim < 1) throw std::invalid_argument("mlp agent: obs_dim must be >= 1, got " + std::to_string(obs_dim));
  if ((head.discrete_actions > 0) == (head.continuous_dim > 0)) {
    throw std::invalid_argument("mlp agent: exactly one of discrete_actions (" +
                                std::to_string(head.discrete_actions) + ") and continuous_dim (" +
                                std::to_string(head.continuous_dim) + ") must be positive");
  }
  return head;
}

}  // namespace

MlpActorCriticOptions mlp_options_from_json(const nlohmann::json& json) {
  MlpActorCriticOptions o;
  for (const auto& item : json.items()) {
    const std::string& key = item.key();
    const auto& value = item.value();
    try {
      if (key == "hidden_sizes") {
        o.hidden_sizes = value.get<std::vector<std::int64_t>>();
      } else if (key == "activation") {
        const auto name = value.get<std::string>();
        if (name == "tanh") o.activation = Activation::kTanh;
        else if (name == "relu") o.activation = Activation::kReLU;
        else throw std::invalid_argument("mlp agent: activation '" + name + "' is not tanh or relu");
      } else if (key == "ortho_init") {
        o.ortho_init = value.get<bool>();
      } else if (key == "log_std_init") {
        o.log_std_init = value.get<double>();
      } else {
        throw std::invalid_argument("mlp agent: unknown option '" + key + "'");
      }
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("mlp agent: option '" + key + "' has the wrong type (" + value.dump() + ")");
    }
  }
  for (std::int64_t width : o.hidden_sizes) {
    if (width < 1) throw std::invalid_argument("mlp agent: hidden size " + std::to_string(width) + " must be >= 1");
  }
  return o;
}

MlpActorCriticImpl::MlpActorCriticImpl(std::int64_t obs_dim, ActionHead head, const MlpActorCriticOptions& options)
    : head_(checked(obs_dim, head)),
      actor_(mlp(obs_dim, head.discrete_actions > 0 ? head.discrete_actions : head.continuous_dim, options,
                 kPolicyGain)),
      critic_(mlp(obs_dim, 1, options, kValueGain)) {
  register_module("actor", actor_);
  register_module("critic", critic_);
  if (head.continuous_dim > 0) {
    log_std_ = register_parameter("log_std", torch::full({head.continuous_dim}, options.log_std_init));
  }
}

PolicyOutput MlpActorCriticImpl::forward(const torch::Tensor& obs) {
  const torch::Tensor out = actor_->forward(obs);
  PolicyOutput result;
  if (head_.discrete_actions > 0) result.distribution = std::make_unique<Categorical>(out);
  else result.distribution = std::make_unique<DiagGaussian>(out, log_std_);
  result.value = value(obs);
  return result;
}

torch::Tensor MlpActorCriticImpl::value(const torch::Tensor& obs) { return critic_->forward(obs).squeeze(-1); }

}  // namespace equimol::rl
