#include "envs/mountain_car.h"

#include <algorithm>
#include <cmath>

namespace equimol::envs {

MountainCar::MountainCar(const EnvOptions& options) : Env(kMaxEpisodeSteps) {
  observation_space_ = make_box({kMinPosition, -kMaxSpeed}, {kMaxPosition, kMaxSpeed});
  action_space_ = Discrete{3};
  apply(options);
}

void MountainCar::reset_state(Rng& rng) {
  state_ = {rng.uniform(kResetLow, kResetHigh), 0.0};
}

StepOutcome MountainCar::step_state(const Action& action) {
  auto [position, velocity] = state_;
  const auto push = static_cast<double>(std::get<std::int64_t>(action) - 1);
  velocity += push * kForce + std::cos(3 * position) * (-kGravity);
  velocity = std::clamp(velocity, -kMaxSpeed, kMaxSpeed);
  position += velocity;
  position = std::clamp(position, kMinPosition, kMaxPosition);
  if (position == kMinPosition && velocity < 0) velocity = 0;
  state_ = {position, velocity};
  const bool terminated = position >= kGoalPosition && velocity >= kGoalVelocity;
  return {-1.0, terminated};
}

void MountainCar::write_obs(Observation& obs) const {
  auto& values = box_values(obs, 2);
  values[0] = state_[0];
  values[1] = state_[1];
}

void MountainCar::assign_state(const std::vector<double>& state) {
  state_ = {state[0], state[1]};
}

}  // namespace equimol::envs
