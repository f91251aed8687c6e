// Acrobot-v1 against Gymnasium's book dynamics (RK4), wrapping, clipping and termination.
#include "envs/acrobot.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::expect_near;
using testing::values;

constexpr double kPi = Acrobot::kPi;

Acrobot at(const std::vector<double>& state) {
  Acrobot env;
  env.reset(0);
  env.set_state(state);
  return env;
}

TEST(envs_Acrobot, HangingAtRestStaysAtRestWithoutTorque) {
  // theta1 = theta2 = 0 is the stable equilibrium: phi1 = phi2 = 0 (cos(-pi/2) = 0 up to rounding),
  // so every derivative vanishes and the observation is (1, 0, 1, 0, 0, 0).
  Acrobot env = at({0, 0, 0, 0});
  const StepResult r = env.step(std::int64_t{1});
  expect_near(values(r.obs), {1, 0, 1, 0, 0, 0}, 1e-14);
  EXPECT_EQ(r.reward, -1.0);
  EXPECT_FALSE(r.terminated);
}

TEST(envs_Acrobot, DerivativesAtRestAreTheTorqueResponse) {
  // At rest and hanging, phi1 = phi2 = 0, d1 = 0.25 + (1 + 0.25 + 1) + 2 = 4.5, d2 = 0.25 + 0.5 + 1 =
  // 1.75, so ddtheta2 = a / (0.25 + 1 - 1.75^2/4.5) = a / (1.25 - 0.680556) = a / 0.569444 and
  // ddtheta1 = -d2 ddtheta2 / d1.
  const auto d = Acrobot::derivatives({0, 0, 0, 0}, 1.0);
  const double ddtheta2 = 1.0 / (1.25 - 1.75 * 1.75 / 4.5);
  EXPECT_NEAR(d[0], 0.0, 1e-15);
  EXPECT_NEAR(d[1], 0.0, 1e-15);
  EXPECT_NEAR(d[3], ddtheta2, 1e-12);
  EXPECT_NEAR(d[2], -1.75 * ddtheta2 / 4.5, 1e-12);
}

TEST(envs_Acrobot, StepsFromGivenStateMatchGymnasiumTranscription) {
  // Expected values from tests/envs/gymnasium_reference.py; the observation is (cos, sin) of the
  // angles and the two velocities.
  Acrobot env = at({0.1, -0.2, 0.3, -0.4});
  const std::vector<std::int64_t> actions = {2, 0, 1};
  const std::vector<std::vector<double>> states = {
      {0.1282116312891261, -0.211840321026976, -0.023484731535001357, 0.28679521459777013},
      {0.11784404947450917, -0.15731524450506706, -0.07632067137914837, 0.24745843481895552},
      {0.08636069337858428, -0.08309034842545675, -0.22976340908300208, 0.4771579394626573}};
  for (std::size_t t = 0; t < actions.size(); ++t) {
    const StepResult r = env.step(actions[t]);
    expect_near(env.state(), states[t]);
    const auto& s = states[t];
    expect_near(values(r.obs), {std::cos(s[0]), std::sin(s[0]), std::cos(s[1]), std::sin(s[1]), s[2], s[3]});
    EXPECT_EQ(r.reward, -1.0);
  }
}

TEST(envs_Acrobot, WrapsAnglesAndClipsVelocities) {
  // Spinning link 2 at 100 rad/s: the new velocity is clipped to 9 pi, the angle wrapped into
  // [-pi, pi].
  Acrobot env = at({0.0, 3.0, 0.0, 100.0});
  env.step(std::int64_t{1});
  const auto s = env.state();
  EXPECT_GE(s[0], -kPi);
  EXPECT_LE(s[0], kPi);
  EXPECT_GE(s[1], -kPi);
  EXPECT_LE(s[1], kPi);
  EXPECT_LE(std::abs(s[2]), Acrobot::kMaxVel1);
  EXPECT_LE(std::abs(s[3]), Acrobot::kMaxVel2);
  EXPECT_TRUE(std::abs(s[2]) == Acrobot::kMaxVel1 || std::abs(s[3]) == Acrobot::kMaxVel2);
}

TEST(envs_Acrobot, TerminatesWhenTipIsOneLinkAboveBase) {
  // Both links straight up and still: tip height -cos(pi) - cos(2 pi) = 2 > 1, and a 0.2 s step
  // barely moves it. Reward 0 on the terminating step.
  Acrobot env = at({kPi, 0.0, 0.0, 0.0});
  const StepResult r = env.step(std::int64_t{1});
  EXPECT_TRUE(r.terminated);
  EXPECT_EQ(r.reward, 0.0);
  // Link 1 horizontal, link 2 bent 0.3 rad below vertical, at rest: height
  // -cos(pi/2) - cos(pi - 0.3) = cos(0.3) = 0.955 < 1, and falling from rest lowers it.
  Acrobot low = at({kPi / 2, kPi / 2 - 0.3, 0.0, 0.0});
  EXPECT_FALSE(low.step(std::int64_t{1}).terminated);
}

TEST(envs_Acrobot, TruncatesAtFiveHundredSteps) {
  Acrobot env;
  env.reset(3);
  StepResult r;
  for (int t = 1; t <= 500; ++t) {
    env.set_state({0, 0, 0, 0});
    r = env.step(std::int64_t{1});
    ASSERT_EQ(r.truncated, t == 500);
  }
  EXPECT_FALSE(r.terminated);
  EXPECT_EQ(r.info.episode->episode_return, -500.0);
}

TEST(envs_Acrobot, SeedingIsReproducible) {
  Acrobot a, b;
  EXPECT_EQ(values(a.reset(9).obs), values(b.reset(9).obs));
  for (double v : a.state()) EXPECT_LT(std::abs(v), Acrobot::kResetBound);
  EXPECT_NE(values(a.reset(10).obs), values(b.reset(9).obs));
}

}  // namespace
}  // namespace equimol::envs
