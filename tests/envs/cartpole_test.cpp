// CartPole-v1 against Gymnasium's equations, thresholds, time limit and seeding.
#include "envs/cartpole.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::expect_near;
using testing::values;

CartPole at(const std::vector<double>& state) {
  CartPole env;
  env.reset(0);
  env.set_state(state);
  return env;
}

TEST(envs_CartPole, FirstStepFromRestMatchesHandComputedEuler) {
  // From rest, push right (action 1, F = +10 N): sin(theta) = 0, cos(theta) = 1, so
  //   temp   = F / M = 10 / 1.1 = 100/11
  //   theta" = -temp / (l (4/3 - m_p/M)) = -(100/11) / (0.5 * 41/33) = -600/41
  //   x"     = temp - m_p l theta" / M = 100/11 + 0.05 * (600/41) / 1.1 = 4400/451
  // Euler with tau = 0.02 moves positions with the old (zero) velocities:
  //   x = 0, x_dot = 0.02 * 4400/451 = 88/451, theta = 0, theta_dot = 0.02 * (-600/41) = -12/41.
  CartPole env = at({0, 0, 0, 0});
  const StepResult r = env.step(std::int64_t{1});
  expect_near(values(r.obs), {0.0, 88.0 / 451.0, 0.0, -12.0 / 41.0}, 1e-15);
  EXPECT_EQ(r.reward, 1.0);
  EXPECT_FALSE(r.terminated);
  EXPECT_FALSE(r.truncated);
  // Action 0 mirrors it.
  CartPole left = at({0, 0, 0, 0});
  expect_near(values(left.step(std::int64_t{0}).obs), {0.0, -88.0 / 451.0, 0.0, 12.0 / 41.0}, 1e-15);
}

TEST(envs_CartPole, StepsFromGivenStateMatchGymnasiumTranscription) {
  // Expected values from tests/envs/gymnasium_reference.py (Gymnasium's step in float64).
  CartPole env = at({0.01, -0.02, 0.03, 0.04});
  expect_near(values(env.step(std::int64_t{1}).obs),
              {0.009600000000000001, 0.17467919574755525, 0.030799999999999998, -0.2430687179600081});
  expect_near(values(env.step(std::int64_t{0}).obs),
              {0.013093583914951107, -0.020868848948191993, 0.025938625640799837, 0.0591679999394166});
  expect_near(values(env.step(std::int64_t{0}).obs),
              {0.012676206935987267, -0.21635292104612766, 0.02712198563958817, 0.3599205713784138});
  EXPECT_EQ(env.elapsed_steps(), 3);
}

TEST(envs_CartPole, TerminatesPastCartThresholdWithRewardOneThenZero) {
  // x = 2.39 moving at 1 m/s: x' = 2.39 + 0.02 = 2.41 > 2.4.
  CartPole env = at({2.39, 1.0, 0.0, 0.0});
  const StepResult r = env.step(std::int64_t{1});
  EXPECT_NEAR(values(r.obs)[0], 2.41, 1e-12);
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  EXPECT_EQ(r.reward, 1.0);  // the terminating step is rewarded
  ASSERT_TRUE(r.info.episode.has_value());
  EXPECT_EQ(r.info.episode->length, 1);
  const StepResult after = env.step(std::int64_t{1});
  EXPECT_TRUE(after.terminated);
  EXPECT_EQ(after.reward, 0.0);  // steps beyond termination earn nothing
  EXPECT_FALSE(after.info.episode.has_value());
}

TEST(envs_CartPole, ThresholdsAreStrict) {
  // Exactly at x = 2.4 with no velocity the cart stays at 2.4: not beyond it, not terminated.
  CartPole edge = at({2.4, 0.0, 0.0, 0.0});
  EXPECT_FALSE(edge.step(std::int64_t{1}).terminated);
  // theta = 0.2094 with theta_dot = 0.1: theta' = 0.2114 > 12 deg = 0.20944 rad.
  CartPole tilted = at({0.0, 0.0, 0.2094, 0.1});
  EXPECT_TRUE(tilted.step(std::int64_t{1}).terminated);
  CartPole tilted_left = at({0.0, 0.0, -0.2094, -0.1});
  EXPECT_TRUE(tilted_left.step(std::int64_t{0}).terminated);
  EXPECT_NEAR(CartPole::kThetaThresholdRad, 0.20943951023931953, 1e-15);
}

TEST(envs_CartPole, TruncatesAtFiveHundredStepsNotTerminates) {
  CartPole env = at({0, 0, 0, 0});
  StepResult r;
  for (int t = 1; t <= 500; ++t) {
    env.set_state({0, 0, 0, 0});  // keep it balanced; set_state leaves the step counter alone
    r = env.step(std::int64_t{t % 2});
    ASSERT_FALSE(r.terminated);
    ASSERT_EQ(r.truncated, t == 500) << "step " << t;
  }
  ASSERT_TRUE(r.info.episode.has_value());
  EXPECT_EQ(r.info.episode->length, 500);
  EXPECT_EQ(r.info.episode->episode_return, 500.0);
}

TEST(envs_CartPole, TimeLimitCanBeShortened) {
  CartPole env({/*max_episode_steps=*/3});
  env.reset(1);
  EXPECT_FALSE(env.step(std::int64_t{0}).truncated);
  EXPECT_FALSE(env.step(std::int64_t{1}).truncated);
  EXPECT_TRUE(env.step(std::int64_t{0}).truncated);
  EXPECT_THROW(CartPole({-1}), std::invalid_argument);
}

TEST(envs_CartPole, SeedingIsReproducible) {
  CartPole a, b;
  const auto first = values(a.reset(42).obs);
  EXPECT_EQ(values(b.reset(42).obs), first);
  for (double v : first) {
    EXPECT_GE(v, -CartPole::kResetBound);
    EXPECT_LT(v, CartPole::kResetBound);
  }
  EXPECT_NE(values(b.reset(43).obs), first);
  // Without a seed the stream continues: the second episode differs from the first but is the
  // same for two envs seeded alike.
  const auto second = values(a.reset().obs);
  EXPECT_NE(second, first);
  b.reset(42);
  EXPECT_EQ(values(b.reset().obs), second);
}

TEST(envs_CartPole, RejectsMisuse) {
  CartPole env;
  EXPECT_THROW(env.step(std::int64_t{0}), std::logic_error);  // before reset
  env.reset(0);
  EXPECT_THROW(env.step(std::int64_t{2}), std::invalid_argument);
  EXPECT_THROW(env.step(std::vector<double>{1.0}), std::invalid_argument);
  EXPECT_THROW(env.set_state({0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(env.set_state({0, 0, NAN, 0}), std::invalid_argument);
}

TEST(envs_CartPole, SnapshotContinuesExactly) {
  CartPole a;
  a.reset(5);
  a.step(std::int64_t{1});
  CartPole b;
  b.load(a.save());
  EXPECT_EQ(b.elapsed_steps(), 1);
  EXPECT_EQ(values(b.step(std::int64_t{0}).obs), values(a.step(std::int64_t{0}).obs));
  EXPECT_EQ(values(b.reset().obs), values(a.reset().obs));  // the random stream was restored too
}

}  // namespace
}  // namespace equimol::envs
