// GAE against a hand-computed rollout with a termination and a truncation inside it.
#include "rl/gae.h"

#include <gtest/gtest.h>

namespace equimol::rl {
namespace {

TEST(rl_Gae, MatchesHandComputedExampleWithTerminationAndTruncation) {
  // T = 3 steps, N = 2 envs, gamma = lambda = 0.5 (so gamma * lambda = 0.25).
  // Env 0 terminates at t = 1; its later step bootstraps from last_value = 4:
  //   t=2: delta = 1 + 0.5*4 - 2 = 1                     A = 1
  //   t=1: delta = 1 + 0 (terminated) - 0.5 = 0.5        A = 0.5 (trace cut)
  //   t=0: delta = 1 + 0.5*V(s1)=0.25 - 0.5 = 0.75       A = 0.75 + 0.25*0.5 = 0.875
  // Env 1 is truncated at t = 0 with V(final obs) = 6; last_value = 2:
  //   t=2: delta = 1 + 0.5*2 - 3 = -1                    A = -1
  //   t=1: delta = 2 + 0.5*3 - 2 = 1.5                   A = 1.5 + 0.25*(-1) = 1.25
  //   t=0: delta = 0 + 0.5*6 (final obs) - 1 = 2         A = 2 (trace cut)
  const auto rewards = torch::tensor({1.0f, 0.0f, 1.0f, 2.0f, 1.0f, 1.0f}).reshape({3, 2});
  const auto values = torch::tensor({0.5f, 1.0f, 0.5f, 2.0f, 2.0f, 3.0f}).reshape({3, 2});
  const auto terminated = torch::tensor({0.0f, 0.0f, 1.0f, 0.0f, 0.0f, 0.0f}).reshape({3, 2});
  const auto truncated = torch::tensor({0.0f, 1.0f, 0.0f, 0.0f, 0.0f, 0.0f}).reshape({3, 2});
  const auto final_values = torch::tensor({0.0f, 6.0f, 99.0f, 0.0f, 0.0f, 0.0f}).reshape({3, 2});
  const auto last_values = torch::tensor({4.0f, 2.0f});
  const GaeResult gae = compute_gae(rewards, values, terminated, truncated, final_values, last_values, 0.5, 0.5);
  const auto expected_adv = torch::tensor({0.875f, 2.0f, 0.5f, 1.25f, 1.0f, -1.0f}).reshape({3, 2});
  EXPECT_TRUE(torch::allclose(gae.advantages, expected_adv, 0, 1e-6)) << gae.advantages;
  EXPECT_TRUE(torch::allclose(gae.returns, expected_adv + values, 0, 1e-6)) << gae.returns;
}

TEST(rl_Gae, LambdaOneIsDiscountedReturnMinusValue) {
  // No episode end: with lambda = 1, A_0 = sum_k gamma^k r_k + gamma^T V_last - V_0.
  const auto rewards = torch::tensor({1.0f, 2.0f, 3.0f}).reshape({3, 1});
  const auto values = torch::tensor({0.5f, 0.25f, 0.125f}).reshape({3, 1});
  const auto zeros = torch::zeros({3, 1});
  const GaeResult gae = compute_gae(rewards, values, zeros, zeros, zeros, torch::tensor({8.0f}), 0.9, 1.0);
  const double expected = 1 + 0.9 * 2 + 0.81 * 3 + 0.729 * 8 - 0.5;
  EXPECT_NEAR(gae.advantages[0][0].item<double>(), expected, 1e-5);
  EXPECT_NEAR(gae.returns[0][0].item<double>(), expected + 0.5, 1e-5);
}

}  // namespace
}  // namespace equimol::rl
