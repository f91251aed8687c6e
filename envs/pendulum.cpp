#include "envs/pendulum.h"

#include <algorithm>
#include <cmath>

namespace equimol::envs {

Pendulum::Pendulum(const EnvOptions& options) : Env(kMaxEpisodeSteps) {
  observation_space_ = make_box({-1.0, -1.0, -kMaxSpeed}, {1.0, 1.0, kMaxSpeed});
  action_space_ = make_box({-kMaxTorque}, {kMaxTorque});
  apply(options);
}

double Pendulum::normalize_angle(double x) {
  // Python's float %: fmod, then shift into the divisor's sign.
  constexpr double kTwoPi = 2 * kPi;
  double mod = std::fmod(x + kPi, kTwoPi);
  if (mod != 0.0 && mod < 0.0) mod += kTwoPi;
  return mod - kPi;
}

void Pendulum::reset_state(Rng& rng) {
  state_ = {rng.uniform(-kResetTheta, kResetTheta), rng.uniform(-kResetThetaDot, kResetThetaDot)};
}

StepOutcome Pendulum::step_state(const Action& action) {
  const auto [theta, theta_dot] = state_;
  const double u = std::clamp(std::get<std::vector<double>>(action)[0], -kMaxTorque, kMaxTorque);
  const double angle = normalize_angle(theta);
  const double cost = angle * angle + 0.1 * theta_dot * theta_dot + 0.001 * (u * u);
  double new_theta_dot = theta_dot + (3 * kGravity / (2 * kLength) * std::sin(theta) +
                                      3.0 / (kMass * kLength * kLength) * u) * kDt;
  new_theta_dot = std::clamp(new_theta_dot, -kMaxSpeed, kMaxSpeed);
  const double new_theta = theta + new_theta_dot * kDt;
  state_ = {new_theta, new_theta_dot};
  return {-cost, false};
}

void Pendulum::write_obs(Observation& obs) const {
  auto& values = box_values(obs, 3);
  values[0] = std::cos(state_[0]);
  values[1] = std::sin(state_[0]);
  values[2] = state_[1];
}

void Pendulum::assign_state(const std::vector<double>& state) {
  state_ = {state[0], state[1]};
}

}  // namespace equimol::envs
