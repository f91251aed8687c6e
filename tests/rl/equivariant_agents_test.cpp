// The symmetry-aware agents: for random states s and every group element g of the env,
// pi(L_g s) = K_g pi(s) and V(L_g s) = V(s), to float64 < 1e-9 and float32 < 1e-4 (design.md), with
// parameters perturbed away from their initial values (equivariance must come from the structure,
// not from the initialisation). The MLP and mlp-augment agents fail the same check. Plus parameter
// counts, the CartPole point cloud, augmentation inside PPO, and a short PPO run of each agent.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "envs/grid_world.h"
#include "envs/registry.h"
#include "models/symmetry_groups.h"
#include "rl/agents.h"
#include "rl/augmentation.h"
#include "rl/egnn_cartpole_actor_critic.h"
#include "rl/env_symmetry.h"
#include "rl/ppo.h"
#include "rl/threads.h"

namespace equimol::rl {
namespace {

constexpr double kTolFloat64 = 1e-9;
constexpr double kTolFloat32 = 1e-4;
constexpr double kBroken = 1e-2;  // a non-equivariant agent misses by at least this much

ActorCritic agent_for(const std::string& name, const std::string& env_name, std::uint64_t seed = 1) {
  torch::manual_seed(seed);
  const auto env = envs::make_env(env_name);
  return make_agent(name, env->observation_space(), env->action_space(), nlohmann::json::object());
}

EnvSymmetry symmetry_of(const std::string& env_name) {
  const auto env = envs::make_env(env_name);
  return env_symmetry(env->observation_space(), env->action_space(), "test");
}

/// Adds N(0, 0.3^2) noise to every parameter, so the check does not rest on the initial values.
void perturb(ActorCriticImpl& agent, std::uint64_t seed) {
  torch::manual_seed(seed);
  torch::NoGradGuard no_grad;
  for (auto& p : agent.parameters()) p.add_(torch::randn_like(p) * 0.3);
}

/// Random CartPole states spread over (and beyond) the non-terminal region.
torch::Tensor cartpole_states(std::int64_t count, torch::Dtype dtype) {
  torch::manual_seed(11);
  const torch::Tensor scale = torch::tensor({2.4, 2.0, 0.21, 2.5}, torch::kFloat64);
  return ((torch::rand({count, 4}, torch::kFloat64) * 2 - 1) * scale).to(dtype);
}

/// log pi(a | s) for every action a: [B, n].
torch::Tensor log_policy(ActorCriticImpl& agent, const torch::Tensor& obs, std::int64_t actions) {
  const PolicyOutput out = agent.forward(obs);
  std::vector<torch::Tensor> columns;
  for (std::int64_t a = 0; a < actions; ++a) {
    columns.push_back(out.distribution->log_prob(torch::full({obs.size(0)}, a, torch::kLong)));
  }
  return torch::stack(columns, 1);
}

/// Errors relative to the size of the outputs, max(1, max |output|): perturbed networks can have
/// log-probabilities in the thousands, where float32 rounding alone is ~1e-3 in absolute terms.
struct Errors {
  double policy = 0.0;  // max |log pi(L_g s) - K_g log pi(s)| over states, actions and g, relative
  double value = 0.0;   // max |V(L_g s) - V(s)|, relative
};

double relative(const torch::Tensor& difference, const torch::Tensor& reference) {
  return difference.abs().max().item<double>() / std::max(1.0, reference.abs().max().item<double>());
}

Errors symmetry_errors(ActorCriticImpl& agent, const EnvSymmetry& symmetry, const torch::Tensor& obs) {
  torch::NoGradGuard no_grad;
  const std::int64_t n = symmetry.actions.dim;
  const torch::Tensor log_pi = log_policy(agent, obs, n);
  const torch::Tensor v = agent.value(obs);
  Errors errors;
  for (std::int64_t g = 1; g < symmetry.observation.group_order(); ++g) {
    const torch::Tensor moved = transform_observations(symmetry.observation, g, obs);
    const torch::Tensor expected = transform_logits(symmetry.actions, g, log_pi);
    errors.policy = std::max(errors.policy, relative(log_policy(agent, moved, n) - expected, log_pi));
    errors.value = std::max(errors.value, relative(agent.value(moved) - v, v));
  }
  return errors;
}

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2e", value);
  return text;
}

std::int64_t parameter_count(ActorCriticImpl& agent) {
  std::int64_t count = 0;
  for (const auto& p : agent.parameters()) count += p.numel();
  return count;
}

TEST(rl_EquivariantAgents, CartPoleAgentsAreMirrorEquivariantInFloat64AndFloat32) {
  const EnvSymmetry symmetry = symmetry_of("CartPole-v1");
  for (const std::string name : {"symmetrizer", "egnn"}) {
    const ActorCritic agent = agent_for(name, "CartPole-v1");
    perturb(*agent, 2);
    const Errors f32 = symmetry_errors(*agent, symmetry, cartpole_states(256, torch::kFloat32));
    EXPECT_LT(f32.policy, kTolFloat32) << name;
    EXPECT_LT(f32.value, kTolFloat32) << name;
    agent->to(torch::kFloat64);
    const Errors f64 = symmetry_errors(*agent, symmetry, cartpole_states(256, torch::kFloat64));
    EXPECT_LT(f64.policy, kTolFloat64) << name;
    EXPECT_LT(f64.value, kTolFloat64) << name;
    RecordProperty(name + "_policy_error_f64", scientific(f64.policy));
    RecordProperty(name + "_value_error_f64", scientific(f64.value));
    RecordProperty(name + "_policy_error_f32", scientific(f32.policy));
  }
}

TEST(rl_EquivariantAgents, CartPoleAgentOptionVariantsAreMirrorEquivariant) {
  // The network-side options of the two equivariant agents (symmetrizer basis and init; EGNN cloud
  // scale, normalised coordinate updates, read-out scale) keep the symmetry exact.
  const EnvSymmetry symmetry = symmetry_of("CartPole-v1");
  const auto env = envs::make_env("CartPole-v1");
  const std::vector<std::pair<std::string, nlohmann::json>> variants = {
      {"symmetrizer", {{"init", "orthogonal"}}},
      {"symmetrizer", {{"basis", "sharing"}}},
      {"symmetrizer", {{"init", "orthogonal"}, {"basis", "sharing"}, {"activation", "relu"}}},
      {"symmetrizer", {{"init", "fan_in"}, {"basis", "svd"}, {"channels", 8}, {"hidden_layers", 3}}},
      {"egnn", {{"coordinate_scale", 1.0 / 2.4}}},
      {"egnn", {{"normalize", false}}},  // the default before 2026-11-22
      {"egnn", {{"logit_scale", 0.25}, {"coordinate_scale", 0.5}, {"normalize", true}}},
  };
  for (const auto& [name, options] : variants) {
    torch::manual_seed(1);
    const ActorCritic agent = make_agent(name, env->observation_space(), env->action_space(), options);
    perturb(*agent, 2);
    const Errors f32 = symmetry_errors(*agent, symmetry, cartpole_states(256, torch::kFloat32));
    EXPECT_LT(f32.policy, kTolFloat32) << name << " " << options.dump();
    EXPECT_LT(f32.value, kTolFloat32) << name << " " << options.dump();
    agent->to(torch::kFloat64);
    const Errors f64 = symmetry_errors(*agent, symmetry, cartpole_states(256, torch::kFloat64));
    EXPECT_LT(f64.policy, kTolFloat64) << name << " " << options.dump();
    EXPECT_LT(f64.value, kTolFloat64) << name << " " << options.dump();
  }
  for (const auto& [name, options] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"symmetrizer", {{"init", "xavier"}}},
           {"symmetrizer", {{"basis", "qr"}}},
           {"egnn", {{"coordinate_scale", 0.0}}},
           {"egnn", {{"logit_scale", -1.0}}},
           {"egnn", {{"normalize", "yes"}}}}) {
    EXPECT_THROW(make_agent(name, env->observation_space(), env->action_space(), options), std::invalid_argument)
        << name << " " << options.dump();
  }
}

TEST(rl_EquivariantAgents, EgnnCloudScaleMultipliesPositionsAndVelocities) {
  torch::Tensor s = cartpole_states(3, torch::kFloat64);
  EgnnCartPoleActorCriticImpl agent;
  const models::Graph& graph = agent.graph(3);
  const CartPoleCloud metres = cartpole_cloud(s, graph), track = cartpole_cloud(s, graph, 0.5);
  EXPECT_TRUE(torch::allclose(track.x, metres.x * 0.5, 0, 1e-15));
  EXPECT_TRUE(torch::allclose(track.v, metres.v * 0.5, 0, 1e-15));
  // Height scales as a length, speed^2 and the edge attributes as squares.
  EXPECT_TRUE(torch::allclose(track.h.slice(1, 3, 4), metres.h.slice(1, 3, 4) * 0.5, 0, 1e-15));
  EXPECT_TRUE(torch::allclose(track.h.slice(1, 4, 5), metres.h.slice(1, 4, 5) * 0.25, 0, 1e-15));
  EXPECT_TRUE(torch::allclose(track.edge_attr, metres.edge_attr * 0.25, 0, 1e-15));
  EXPECT_TRUE(torch::equal(track.h.slice(1, 0, 3), metres.h.slice(1, 0, 3)));
}

TEST(rl_EquivariantAgents, MlpAgentsAreNotEquivariant) {
  // The negative control: the same check on the plain and the augmented MLP (whose symmetry is only
  // learned from data) fails by orders of magnitude.
  const EnvSymmetry symmetry = symmetry_of("CartPole-v1");
  for (const std::string name : {"mlp", "mlp-augment"}) {
    const ActorCritic agent = agent_for(name, "CartPole-v1");
    perturb(*agent, 2);
    agent->to(torch::kFloat64);
    const Errors errors = symmetry_errors(*agent, symmetry, cartpole_states(256, torch::kFloat64));
    EXPECT_GT(errors.policy, kBroken) << name;
    EXPECT_GT(errors.value, kBroken) << name;
  }
}

TEST(rl_EquivariantAgents, GridWorldSymmetrizerIsEquivariantUnderAllFourRotations) {
  const EnvSymmetry symmetry = symmetry_of("GridWorld-v0");
  ASSERT_EQ(symmetry.group, SymmetryGroup::kGridRotations);
  const ActorCritic agent = agent_for("symmetrizer", "GridWorld-v0");
  perturb(*agent, 3);
  // Every cell's one-hot observation, plus random real vectors (the layers are linear in between).
  envs::GridWorld env;
  env.reset(0);
  std::vector<torch::Tensor> cells;
  for (std::int64_t x = -3; x <= 3; ++x) {
    for (std::int64_t y = -3; y <= 3; ++y) {
      env.set_state({static_cast<double>(x), static_cast<double>(y)});
      cells.push_back(torch::tensor(std::get<std::vector<double>>(env.observe()), torch::kFloat32));
    }
  }
  torch::manual_seed(5);
  const torch::Tensor states = torch::cat({torch::stack(cells), torch::randn({64, 49})});
  const Errors f32 = symmetry_errors(*agent, symmetry, states);
  EXPECT_LT(f32.policy, kTolFloat32);
  EXPECT_LT(f32.value, kTolFloat32);
  agent->to(torch::kFloat64);
  const Errors f64 = symmetry_errors(*agent, symmetry, states.to(torch::kFloat64));
  EXPECT_LT(f64.policy, kTolFloat64);
  EXPECT_LT(f64.value, kTolFloat64);
  // The greedy policy is not constant: the check is not passed by a trivial network.
  EXPECT_GT(log_policy(*agent, states.to(torch::kFloat64), 4).std().item<double>(), kBroken);
  const ActorCritic mlp = agent_for("mlp", "GridWorld-v0");
  perturb(*mlp, 3);
  EXPECT_GT(symmetry_errors(*mlp, symmetry, states).policy, kBroken);
}

TEST(rl_EquivariantAgents, GridWorldObservationsRotateAsTheImageRepresentation) {
  // The env's pixel layout and models::grid_image describe the same rotation r: (x, y) -> (-y, x).
  const EnvSymmetry symmetry = symmetry_of("GridWorld-v0");
  envs::GridWorld env, rotated;
  env.reset(0);
  rotated.reset(0);
  for (std::int64_t x = -3; x <= 3; ++x) {
    for (std::int64_t y = -3; y <= 3; ++y) {
      env.set_state({static_cast<double>(x), static_cast<double>(y)});
      rotated.set_state({static_cast<double>(-y), static_cast<double>(x)});
      const auto obs = torch::tensor(std::get<std::vector<double>>(env.observe()), torch::kFloat64).unsqueeze(0);
      const auto expected = torch::tensor(std::get<std::vector<double>>(rotated.observe()), torch::kFloat64);
      EXPECT_TRUE(torch::equal(transform_observations(symmetry.observation, 1, obs).squeeze(0), expected)) << x << "," << y;
    }
  }
  // Actions: r turns up (0) into left (3).
  EXPECT_TRUE(torch::equal(transform_actions(symmetry.actions, 1, torch::tensor({0, 1, 2, 3}, torch::kLong)),
                           torch::tensor({3, 0, 1, 2}, torch::kLong)));
}

TEST(rl_EquivariantAgents, CartPoleParameterCountsAreMatched) {
  // MLP: two 4-64-64-{2,1} nets, 4,610 + 4,545. Symmetrizer with 46 channels: 4 C^2 + 15 C + 2.
  EXPECT_EQ(parameter_count(*agent_for("mlp", "CartPole-v1")), 9155);
  EXPECT_EQ(parameter_count(*agent_for("mlp-augment", "CartPole-v1")), 9155);
  EXPECT_EQ(parameter_count(*agent_for("symmetrizer", "CartPole-v1")), 4 * 46 * 46 + 15 * 46 + 2);
  const std::int64_t egnn = parameter_count(*agent_for("egnn", "CartPole-v1"));
  RecordProperty("egnn_parameters", std::to_string(egnn));
  EXPECT_NEAR(static_cast<double>(egnn), 9155.0, 0.1 * 9155.0);
}

TEST(rl_EquivariantAgents, CartPoleCloudMirrorsIntoItselfWithTheLimitsSwapped) {
  torch::Tensor s = cartpole_states(3, torch::kFloat64);
  EgnnCartPoleActorCriticImpl agent;
  const models::Graph& graph = agent.graph(3);
  const CartPoleCloud cloud = cartpole_cloud(s, graph), mirrored = cartpole_cloud(-s, graph);
  // Node order per state: cart, tip, left limit, right limit; the mirror swaps the limits.
  const torch::Tensor swap = torch::tensor({0, 1, 3, 2, 4, 5, 7, 6, 8, 9, 11, 10}, torch::kLong);
  EXPECT_TRUE(torch::allclose(mirrored.x, -cloud.x.index_select(0, swap), 0, 1e-15));
  EXPECT_TRUE(torch::allclose(mirrored.v, -cloud.v.index_select(0, swap), 0, 1e-15));
  EXPECT_TRUE(torch::allclose(mirrored.h, cloud.h.index_select(0, swap), 0, 1e-15));
  // The tip sits a pole length (1 m) from the cart, above the track by cos(theta).
  const double x = s[0][0].item<double>(), theta = s[0][2].item<double>();
  EXPECT_NEAR(cloud.x[1][0].item<double>(), x + std::sin(theta), 1e-15);
  EXPECT_NEAR(cloud.h[1][3].item<double>(), std::cos(theta), 1e-15);
  EXPECT_EQ(cloud.edge_attr.size(0), 3 * 12);
}

TEST(rl_EquivariantAgents, AugmentationAppendsMirroredCopiesWithTheOldPolicyAtTheCopy) {
  const ActorCritic agent = agent_for("mlp-augment", "CartPole-v1");
  torch::NoGradGuard no_grad;
  const torch::Tensor obs = cartpole_states(5, torch::kFloat32);
  const torch::Tensor actions = torch::tensor({0, 1, 1, 0, 1}, torch::kLong);
  const PolicyOutput out = agent->forward(obs);
  FlatBatch batch{obs, actions, out.distribution->log_prob(actions), out.value, torch::arange(5).to(torch::kFloat),
                  torch::arange(5).to(torch::kFloat) * 2};
  const FlatBatch augmented = with_symmetric_copies(*agent, batch);
  ASSERT_EQ(augmented.obs.size(0), 10);
  EXPECT_TRUE(torch::equal(augmented.obs.slice(0, 5), -obs));
  EXPECT_TRUE(torch::equal(augmented.actions.slice(0, 5), 1 - actions));
  EXPECT_TRUE(torch::equal(augmented.advantages.slice(0, 5), batch.advantages));
  EXPECT_TRUE(torch::equal(augmented.returns.slice(0, 5), batch.returns));
  const PolicyOutput mirrored = agent->forward(-obs);
  EXPECT_TRUE(torch::allclose(augmented.log_probs.slice(0, 5), mirrored.distribution->log_prob(1 - actions)));
  EXPECT_TRUE(torch::allclose(augmented.values.slice(0, 5), mirrored.value));
  // Agents without augmentation leave the batch alone.
  const ActorCritic mlp = agent_for("mlp", "CartPole-v1");
  EXPECT_EQ(with_symmetric_copies(*mlp, batch).obs.size(0), 5);
}

TEST(rl_EquivariantAgents, EachAgentTrainsAFewPpoIterations) {
  set_torch_threads(1);
  for (const auto& [name, env] : std::vector<std::pair<std::string, std::string>>{
           {"mlp-augment", "CartPole-v1"}, {"symmetrizer", "CartPole-v1"}, {"egnn", "CartPole-v1"},
           {"symmetrizer", "GridWorld-v0"}, {"mlp-augment", "GridWorld-v0"}}) {
    TrainConfig config = default_train_config(env);
    config.agent = name;
    config.seed = 3;
    config.total_steps = 3 * 256;
    config.ppo.num_envs = 4;
    config.ppo.num_steps = 64;
    config.ppo.num_minibatches = 2;
    config.ppo.num_epochs = 2;
    Ppo ppo(config, agent_for(name, env, config.seed));
    IterationStats stats;
    while (!ppo.done()) stats = ppo.iterate();
    EXPECT_EQ(stats.iteration, 3) << name << " " << env;
    EXPECT_TRUE(std::isfinite(stats.policy_loss)) << name << " " << env;
    EXPECT_TRUE(std::isfinite(stats.value_loss)) << name << " " << env;
  }
}

TEST(rl_EquivariantAgents, RegistryNamesAndErrors) {
  const auto names = agent_names();
  for (const std::string name : {"mlp", "mlp-augment", "symmetrizer", "egnn"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end()) << name;
  }
  const auto pendulum = envs::make_env("Pendulum-v1");
  EXPECT_THROW(make_agent("symmetrizer", pendulum->observation_space(), pendulum->action_space(), nlohmann::json::object()),
               std::invalid_argument);
  const auto grid = envs::make_env("GridWorld-v0");
  EXPECT_THROW(make_agent("egnn", grid->observation_space(), grid->action_space(), nlohmann::json::object()),
               std::invalid_argument);
  const auto cartpole = envs::make_env("CartPole-v1");
  EXPECT_THROW(make_agent("symmetrizer", cartpole->observation_space(), cartpole->action_space(), {{"channels", 0}}),
               std::invalid_argument);
  EXPECT_THROW(make_agent("egnn", cartpole->observation_space(), cartpole->action_space(), {{"hidden", 16}}),
               std::invalid_argument);
  const ActorCritic small = make_agent("symmetrizer", cartpole->observation_space(), cartpole->action_space(),
                                       {{"channels", 8}, {"activation", "relu"}});
  EXPECT_EQ(parameter_count(*small), 4 * 64 + 15 * 8 + 2);
}

}  // namespace
}  // namespace equimol::rl
