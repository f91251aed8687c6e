// PPO's loss pieces against hand-computed values.
#include "rl/ppo_losses.h"

#include <gtest/gtest.h>

#include <cmath>

namespace equimol::rl {
namespace {

TEST(rl_PpoLoss, ClippedSurrogateMatchesHandComputedValues) {
  // ratios r = (1.5, 0.9, 0.5), advantages A = (1, -1, 2), eps = 0.2:
  //   i0: max(-1.5, -1.2) = -1.2 (clipped: r > 1 + eps with A > 0)
  //   i1: max( 0.9,  0.9) =  0.9 (inside the clip range)
  //   i2: max(-1.0, -1.6) = -1.0 (r < 1 - eps with A > 0 keeps the pessimistic unclipped term)
  // loss = (-1.2 + 0.9 - 1.0) / 3; clip fraction = 2/3;
  // approx KL = mean((r - 1) - log r) = (0.5 - ln 1.5 - 0.1 - ln 0.9 - 0.5 - ln 0.5) / 3.
  const auto new_log_prob = torch::tensor({std::log(1.5), std::log(0.9), std::log(0.5)}, torch::kDouble).requires_grad_();
  const auto old_log_prob = torch::zeros({3}, torch::kDouble);
  const auto advantages = torch::tensor({1.0, -1.0, 2.0}, torch::kDouble);
  const PolicyLoss pg = clipped_policy_loss(new_log_prob, old_log_prob, advantages, 0.2);
  EXPECT_NEAR(pg.loss.item<double>(), -1.3 / 3, 1e-12);
  EXPECT_NEAR(pg.clip_fraction.item<double>(), 2.0 / 3, 1e-7);
  const double kl = ((0.5 - std::log(1.5)) + (-0.1 - std::log(0.9)) + (-0.5 - std::log(0.5))) / 3;
  EXPECT_NEAR(pg.approx_kl.item<double>(), kl, 1e-12);
  // Gradient wrt log pi_new: zero where clipped, -A r / 3 elsewhere.
  pg.loss.backward();
  const auto grad = new_log_prob.grad();
  EXPECT_NEAR(grad[0].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(grad[1].item<double>(), 0.9 / 3, 1e-12);
  EXPECT_NEAR(grad[2].item<double>(), -1.0 / 3, 1e-12);
}

TEST(rl_PpoLoss, ValueLossWithAndWithoutClipping) {
  // V = (1, 2), V_old = (0, 2.5), R = (2, 2).
  // Unclipped: mean((1-2)^2, 0^2) = 0.5.
  // Clipped at 0.5: V_clip = (0.5, 2.0): mean(max(1, 2.25), max(0, 0)) = 1.125.
  const auto v = torch::tensor({1.0, 2.0}, torch::kDouble);
  const auto v_old = torch::tensor({0.0, 2.5}, torch::kDouble);
  const auto returns = torch::tensor({2.0, 2.0}, torch::kDouble);
  EXPECT_NEAR(value_loss(v, v_old, returns, std::nullopt).item<double>(), 0.5, 1e-12);
  EXPECT_NEAR(value_loss(v, v_old, returns, 0.5).item<double>(), 1.125, 1e-12);
}

TEST(rl_PpoLoss, AdvantageNormalisationAndExplainedVariance) {
  // (1, 2, 3): mean 2, unbiased std 1.
  const auto normalized = normalize_advantages(torch::tensor({1.0, 2.0, 3.0}, torch::kDouble));
  EXPECT_NEAR(normalized[0].item<double>(), -1.0, 1e-7);
  EXPECT_NEAR(normalized[1].item<double>(), 0.0, 1e-12);
  EXPECT_NEAR(normalized[2].item<double>(), 1.0, 1e-7);
  const auto returns = torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kDouble);
  EXPECT_NEAR(explained_variance(returns, returns), 1.0, 1e-12);
  EXPECT_NEAR(explained_variance(torch::zeros({4}, torch::kDouble) + 2.5, returns), 0.0, 1e-12);
  EXPECT_TRUE(std::isnan(explained_variance(returns, torch::ones({4}, torch::kDouble))));
}

}  // namespace
}  // namespace equimol::rl
