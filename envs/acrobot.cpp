#include "envs/acrobot.h"

#include <algorithm>
#include <cmath>

namespace equimol::envs {

namespace {

/// Gymnasium's wrap(): shift x by whole periods into [low, high].
double wrap(double x, double low, double high) {
  const double period = high - low;
  while (x > high) x -= period;
  while (x < low) x += period;
  return x;
}

Acrobot::State axpy(const Acrobot::State& y, double h, const Acrobot::State& k) {
  return {y[0] + h * k[0], y[1] + h * k[1], y[2] + h * k[2], y[3] + h * k[3]};
}

}  // namespace

Acrobot::Acrobot(const EnvOptions& options) : Env(kMaxEpisodeSteps) {
  observation_space_ = make_box({-1, -1, -1, -1, -kMaxVel1, -kMaxVel2}, {1, 1, 1, 1, kMaxVel1, kMaxVel2});
  action_space_ = Discrete{3};
  apply(options);
}

Acrobot::State Acrobot::derivatives(const State& s, double a) {
  constexpr double m1 = kLinkMass1, m2 = kLinkMass2, l1 = kLinkLength1;
  constexpr double lc1 = kLinkComPos1, lc2 = kLinkComPos2, I1 = kLinkMoi, I2 = kLinkMoi, g = kGravity;
  const auto [theta1, theta2, dtheta1, dtheta2] = s;
  const double d1 = m1 * lc1 * lc1 + m2 * (l1 * l1 + lc2 * lc2 + 2 * l1 * lc2 * std::cos(theta2)) + I1 + I2;
  const double d2 = m2 * (lc2 * lc2 + l1 * lc2 * std::cos(theta2)) + I2;
  const double phi2 = m2 * lc2 * g * std::cos(theta1 + theta2 - kPi / 2.0);
  const double phi1 = -m2 * l1 * lc2 * dtheta2 * dtheta2 * std::sin(theta2) -
                      2 * m2 * l1 * lc2 * dtheta2 * dtheta1 * std::sin(theta2) +
                      (m1 * lc1 + m2 * l1) * g * std::cos(theta1 - kPi / 2) + phi2;
  const double ddtheta2 = (a + d2 / d1 * phi1 - m2 * l1 * lc2 * dtheta1 * dtheta1 * std::sin(theta2) - phi2) /
                          (m2 * lc2 * lc2 + I2 - d2 * d2 / d1);
  const double ddtheta1 = -(d2 * ddtheta2 + phi1) / d1;
  return {dtheta1, dtheta2, ddtheta1, ddtheta2};
}

void Acrobot::reset_state(Rng& rng) {
  for (double& value : state_) value = rng.uniform(-kResetBound, kResetBound);
}

StepOutcome Acrobot::step_state(const Action& action) {
  const double torque = kTorques[static_cast<std::size_t>(std::get<std::int64_t>(action))];
  // One RK4 step over [0, kDt], as Gymnasium's rk4(derivs, s, [0, dt]).
  const State& y = state_;
  const State k1 = derivatives(y, torque);
  const State k2 = derivatives(axpy(y, kDt / 2, k1), torque);
  const State k3 = derivatives(axpy(y, kDt / 2, k2), torque);
  const State k4 = derivatives(axpy(y, kDt, k3), torque);
  State next;
  for (std::size_t i = 0; i < next.size(); ++i) {
    next[i] = y[i] + kDt / 6.0 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
  }
  next[0] = wrap(next[0], -kPi, kPi);
  next[1] = wrap(next[1], -kPi, kPi);
  next[2] = std::clamp(next[2], -kMaxVel1, kMaxVel1);
  next[3] = std::clamp(next[3], -kMaxVel2, kMaxVel2);
  state_ = next;
  const bool terminated = is_terminal();
  return {terminated ? 0.0 : -1.0, terminated};
}

bool Acrobot::is_terminal() const {
  return -std::cos(state_[0]) - std::cos(state_[1] + state_[0]) > 1.0;
}

void Acrobot::write_obs(Observation& obs) const {
  auto& values = box_values(obs, 6);
  values[0] = std::cos(state_[0]);
  values[1] = std::sin(state_[0]);
  values[2] = std::cos(state_[1]);
  values[3] = std::sin(state_[1]);
  values[4] = state_[2];
  values[5] = state_[3];
}

void Acrobot::assign_state(const std::vector<double>& state) {
  for (std::size_t i = 0; i < state_.size(); ++i) state_[i] = state[i];
}

}  // namespace equimol::envs
