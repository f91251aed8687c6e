// MountainCar-v0 against Gymnasium's update, wall, goal and time limit.
#include "envs/mountain_car.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::expect_near;
using testing::values;

MountainCar at(const std::vector<double>& state) {
  MountainCar env;
  env.reset(0);
  env.set_state(state);
  return env;
}

TEST(envs_MountainCar, StepMatchesHandComputedUpdate) {
  // From (-0.5, 0) pushing right: v = 0 + 0.001 - 0.0025 cos(-1.5) = 0.001 - 0.0025 * 0.0707372017,
  // x = -0.5 + v.
  MountainCar env = at({-0.5, 0.0});
  const double v = 0.001 - 0.0025 * 0.0707372016677029;
  StepResult r = env.step(std::int64_t{2});
  expect_near(values(r.obs), {-0.5 + v, v}, 1e-15);
  EXPECT_EQ(r.reward, -1.0);
  EXPECT_FALSE(r.terminated);
  // Coasting (action 1) from there: only the slope acts.
  const double x1 = -0.5 + v;
  const double v2 = v - 0.0025 * std::cos(3 * x1);
  r = env.step(std::int64_t{1});
  expect_near(values(r.obs), {x1 + v2, v2}, 1e-15);
}

TEST(envs_MountainCar, ClipsSpeedAndStopsAtLeftWall) {
  // At the left wall moving left: the position clips to -1.2 and the velocity becomes 0.
  MountainCar wall = at({-1.19, -0.02});
  expect_near(values(wall.step(std::int64_t{0}).obs), {-1.2, 0.0}, 0.0);
  // At x = -0.6 the slope pushes right too: v = 0.07 + 0.001 - 0.0025 cos(-1.8) = 0.0716 is
  // clipped to 0.07 before moving.
  MountainCar fast = at({-0.6, 0.07});
  expect_near(values(fast.step(std::int64_t{2}).obs), {-0.6 + 0.07, 0.07}, 1e-15);
}

TEST(envs_MountainCar, TerminatesAtGoalWithNonNegativeVelocity) {
  MountainCar env = at({0.49, 0.02});
  const StepResult r = env.step(std::int64_t{2});
  EXPECT_GE(values(r.obs)[0], MountainCar::kGoalPosition);
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, -1.0);
  // Past the goal position but moving left: not terminated.
  MountainCar back = at({0.55, -0.01});
  EXPECT_FALSE(back.step(std::int64_t{0}).terminated);
}

TEST(envs_MountainCar, TruncatesAtTwoHundredSteps) {
  MountainCar env;
  env.reset(1);
  StepResult r;
  for (int t = 1; t <= 200; ++t) {
    r = env.step(std::int64_t{1});
    ASSERT_EQ(r.truncated, t == 200);
    ASSERT_FALSE(r.terminated);  // coasting never leaves the valley
  }
  EXPECT_EQ(r.info.episode->episode_return, -200.0);
}

TEST(envs_MountainCar, ResetDrawsPositionInRangeAtRest) {
  MountainCar a, b;
  const auto obs = values(a.reset(4).obs);
  EXPECT_GE(obs[0], -0.6);
  EXPECT_LT(obs[0], -0.4);
  EXPECT_EQ(obs[1], 0.0);
  EXPECT_EQ(values(b.reset(4).obs), obs);
}

}  // namespace
}  // namespace equimol::envs
