// Categorical and diagonal Gaussian against closed forms; the MLP agent's shapes and initial policy.
#include "rl/distributions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "rl/agents.h"
#include "envs/registry.h"

namespace equimol::rl {
namespace {

constexpr double kHalfLogTwoPi = 0.91893853320467274178;

TEST(rl_Distributions, CategoricalMatchesClosedForm) {
  // logits (0, ln 3): probabilities (1/4, 3/4).
  const Categorical dist(torch::tensor({{0.0, std::log(3.0)}}, torch::kDouble));
  EXPECT_NEAR(dist.log_prob(torch::tensor({1})).item<double>(), std::log(0.75), 1e-12);
  EXPECT_NEAR(dist.log_prob(torch::tensor({0})).item<double>(), std::log(0.25), 1e-12);
  EXPECT_NEAR(dist.entropy().item<double>(), -(0.25 * std::log(0.25) + 0.75 * std::log(0.75)), 1e-12);
  EXPECT_EQ(dist.mode().item<std::int64_t>(), 1);
  torch::manual_seed(0);
  const Categorical many(torch::tensor({0.0, std::log(3.0)}, torch::kDouble).expand({20000, 2}));
  EXPECT_NEAR(many.sample().to(torch::kDouble).mean().item<double>(), 0.75, 0.02);
}

TEST(rl_Distributions, DiagGaussianMatchesClosedForm) {
  // mean (0, 1), sigma (1, 2), a = (1, 3): z = (1, 1);
  // log p = sum(-z^2/2 - log sigma - log(2 pi)/2) = -1 - ln 2 - 2 * 0.918939.
  const DiagGaussian dist(torch::tensor({{0.0, 1.0}}, torch::kDouble), torch::tensor({0.0, std::log(2.0)}, torch::kDouble));
  const double log_p = -1.0 - std::log(2.0) - 2 * kHalfLogTwoPi;
  EXPECT_NEAR(dist.log_prob(torch::tensor({{1.0, 3.0}}, torch::kDouble)).item<double>(), log_p, 1e-12);
  EXPECT_NEAR(dist.entropy().item<double>(), 2 * (0.5 + kHalfLogTwoPi) + std::log(2.0), 1e-12);
  EXPECT_TRUE(torch::equal(dist.mode(), torch::tensor({{0.0, 1.0}}, torch::kDouble)));
  torch::manual_seed(0);
  const DiagGaussian many(torch::zeros({20000, 1}, torch::kDouble), torch::tensor({std::log(2.0)}, torch::kDouble));
  EXPECT_NEAR(many.sample().std().item<double>(), 2.0, 0.05);
}

TEST(rl_Agents, MlpHasTheEnvShapesAndStartsNearUniform) {
  torch::manual_seed(1);
  const auto cartpole = envs::make_env("CartPole-v1");
  const ActorCritic agent =
      make_agent("mlp", cartpole->observation_space(), cartpole->action_space(), nlohmann::json::object());
  const PolicyOutput out = agent->forward(torch::randn({5, 4}));
  EXPECT_EQ(out.value.sizes(), (std::vector<std::int64_t>{5}));
  EXPECT_EQ(out.distribution->sample().sizes(), (std::vector<std::int64_t>{5}));
  // Policy output gain 0.01: the initial policy is within a few percent of uniform.
  EXPECT_NEAR(out.distribution->log_prob(torch::zeros({5}, torch::kLong)).exp().mean().item<double>(), 0.5, 0.05);
  // 4->64->64->2 actor and 4->64->64->1 critic.
  std::int64_t count = 0;
  for (const auto& p : agent->parameters()) count += p.numel();
  EXPECT_EQ(count, (4 * 64 + 64 + 64 * 64 + 64 + 64 * 2 + 2) + (4 * 64 + 64 + 64 * 64 + 64 + 64 + 1));

  const auto pendulum = envs::make_env("Pendulum-v1");
  const ActorCritic gaussian = make_agent("mlp", pendulum->observation_space(), pendulum->action_space(),
                                          {{"hidden_sizes", {32}}, {"log_std_init", -0.5}});
  const PolicyOutput g = gaussian->forward(torch::randn({3, 3}));
  EXPECT_EQ(g.distribution->sample().sizes(), (std::vector<std::int64_t>{3, 1}));
  EXPECT_NEAR(g.distribution->entropy()[0].item<double>(), 0.5 + kHalfLogTwoPi - 0.5, 1e-6);
}

TEST(rl_Agents, RejectsUnknownNamesAndOptions) {
  const auto env = envs::make_env("CartPole-v1");
  const auto& obs = env->observation_space();
  const auto& act = env->action_space();
  EXPECT_THROW(make_agent("egnn-not-yet", obs, act, nlohmann::json::object()), std::invalid_argument);
  EXPECT_THROW(make_agent("mlp", obs, act, {{"hidden", {64}}}), std::invalid_argument);
  EXPECT_THROW(make_agent("mlp", obs, act, {{"activation", "gelu"}}), std::invalid_argument);
  EXPECT_THROW(make_agent("mlp", obs, act, {{"hidden_sizes", "wide"}}), std::invalid_argument);
  EXPECT_THROW(make_agent("mlp", obs, act, {{"hidden_sizes", {0}}}), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::rl
