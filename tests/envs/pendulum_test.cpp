// Pendulum-v1 against Gymnasium's cost, semi-implicit Euler update, clipping and time limit.
#include "envs/pendulum.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::expect_near;
using testing::values;

constexpr double kPi = Pendulum::kPi;

Pendulum at(const std::vector<double>& state) {
  Pendulum env;
  env.reset(0);
  env.set_state(state);
  return env;
}

TEST(envs_Pendulum, StepFromUprightMatchesHandComputedUpdate) {
  // Upright at rest with u = 1: cost = 0 + 0 + 0.001 * 1 = 0.001;
  // theta_dot' = 0 + (15 sin 0 + 3 * 1) * 0.05 = 0.15, theta' = 0 + 0.15 * 0.05 = 0.0075.
  Pendulum env = at({0.0, 0.0});
  const StepResult r = env.step(std::vector<double>{1.0});
  EXPECT_NEAR(r.reward, -0.001, 1e-15);
  expect_near(env.state(), {0.0075, 0.15}, 1e-15);
  expect_near(values(r.obs), {std::cos(0.0075), std::sin(0.0075), 0.15}, 1e-15);
  EXPECT_FALSE(r.terminated);
}

TEST(envs_Pendulum, StepsFromGivenStateMatchGymnasiumTranscription) {
  // From tests/envs/gymnasium_reference.py; the second action, -3, is clipped to -2.
  Pendulum env = at({1.0, -2.0});
  StepResult r = env.step(std::vector<double>{0.5});
  expect_near(env.state(), {0.9353051619302961, -1.2938967613940777});
  EXPECT_NEAR(r.reward, -1.40025, 1e-12);
  r = env.step(std::vector<double>{-3.0});
  expect_near(env.state(), {0.8857895832889446, -0.9903115728270293});
  EXPECT_NEAR(r.reward, -1.0462126288480662, 1e-12);
}

TEST(envs_Pendulum, NormalizesAnglesWithFlooredModulo) {
  EXPECT_NEAR(Pendulum::normalize_angle(1.5 * kPi), -0.5 * kPi, 1e-12);
  EXPECT_NEAR(Pendulum::normalize_angle(-1.5 * kPi), 0.5 * kPi, 1e-12);
  EXPECT_NEAR(Pendulum::normalize_angle(-kPi), -kPi, 1e-12);
  EXPECT_NEAR(Pendulum::normalize_angle(kPi), -kPi, 1e-12);
  // The cost uses the normalized angle: at theta = 2 pi the pendulum is upright, cost 0.
  Pendulum env = at({2 * kPi, 0.0});
  EXPECT_NEAR(env.step(std::vector<double>{0.0}).reward, 0.0, 1e-20);
}

TEST(envs_Pendulum, ClipsSpeed) {
  Pendulum env = at({kPi / 2, 7.9});
  env.step(std::vector<double>{2.0});
  EXPECT_EQ(env.state()[1], Pendulum::kMaxSpeed);
}

TEST(envs_Pendulum, NeverTerminatesAndTruncatesAtTwoHundred) {
  Pendulum env;
  env.reset(2);
  StepResult r;
  for (int t = 1; t <= 200; ++t) {
    r = env.step(std::vector<double>{0.3});
    ASSERT_FALSE(r.terminated);
    ASSERT_EQ(r.truncated, t == 200);
  }
  EXPECT_EQ(r.info.episode->length, 200);
}

TEST(envs_Pendulum, ResetRangesAndSeeding) {
  Pendulum a, b;
  a.reset(11);
  const auto s = a.state();
  EXPECT_LT(std::abs(s[0]), kPi + 1e-12);
  EXPECT_LT(std::abs(s[1]), 1.0);
  b.reset(11);
  EXPECT_EQ(b.state(), s);
  EXPECT_THROW(a.step(std::vector<double>{1.0, 2.0}), std::invalid_argument);
  EXPECT_THROW(a.step(std::int64_t{1}), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::envs
