#include "envs/cartpole.h"

#include <cmath>
#include <limits>

namespace equimol::envs {

CartPole::CartPole(const EnvOptions& options) : Env(kMaxEpisodeSteps) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  // Observation bounds are twice the termination thresholds, as in Gymnasium.
  const std::vector<double> high = {2 * kXThreshold, kInf, 2 * kThetaThresholdRad, kInf};
  observation_space_ = make_box({-high[0], -kInf, -high[2], -kInf}, high);
  action_space_ = Discrete{2};
  apply(options);
}

void CartPole::reset_state(Rng& rng) {
  for (double& value : state_) value = rng.uniform(-kResetBound, kResetBound);
  steps_beyond_terminated_ = -1;
}

StepOutcome CartPole::step_state(const Action& action) {
  auto [x, x_dot, theta, theta_dot] = state_;
  const double force = std::get<std::int64_t>(action) == 1 ? kForceMag : -kForceMag;
  const double cos_theta = std::cos(theta);
  const double sin_theta = std::sin(theta);
  const double temp = (force + kPoleMassLength * theta_dot * theta_dot * sin_theta) / kTotalMass;
  const double theta_acc = (kGravity * sin_theta - cos_theta * temp) /
                           (kHalfLength * (4.0 / 3.0 - kMassPole * cos_theta * cos_theta / kTotalMass));
  const double x_acc = temp - kPoleMassLength * theta_acc * cos_theta / kTotalMass;

  x = x + kTau * x_dot;  // Euler: positions from the old velocities
  x_dot = x_dot + kTau * x_acc;
  theta = theta + kTau * theta_dot;
  theta_dot = theta_dot + kTau * theta_acc;
  state_ = {x, x_dot, theta, theta_dot};

  const bool terminated = x < -kXThreshold || x > kXThreshold || theta < -kThetaThresholdRad ||
                          theta > kThetaThresholdRad;
  if (!terminated) return {1.0, false};
  if (steps_beyond_terminated_ < 0) {  // the terminating step still earns its reward
    steps_beyond_terminated_ = 0;
    return {1.0, true};
  }
  ++steps_beyond_terminated_;  // Gymnasium warns here; the episode is over
  return {0.0, true};
}

void CartPole::write_obs(Observation& obs) const {
  auto& values = box_values(obs, state_.size());
  for (std::size_t i = 0; i < state_.size(); ++i) values[i] = state_[i];
}

void CartPole::assign_state(const std::vector<double>& state) {
  for (std::size_t i = 0; i < state_.size(); ++i) state_[i] = state[i];
}

}  // namespace equimol::envs
