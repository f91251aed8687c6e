// MountainCar-v0: drive an under-powered car up the right hill of a valley (Moore 1990), with
// Gymnasium's constants and rules.
//
// State s = (position [-1.2, 0.6], velocity [-0.07, 0.07]); the hill height is sin(3 position).
// Actions 0, 1, 2 accelerate left, not at all, right. One step:
//   velocity += (action - 1) kForce - cos(3 position) kGravity, clipped to +-kMaxSpeed
//   position += velocity, clipped to [kMinPosition, kMaxPosition]
//   at the left wall with velocity < 0 the velocity becomes 0 (inelastic collision).
// Terminates when position >= kGoalPosition and velocity >= kGoalVelocity; reward -1 per step.
// Truncated at 200 steps. Reset draws position uniformly from [-0.6, -0.4), velocity 0.
#pragma once

#include <array>

#include "envs/env.h"

namespace equimol::envs {

class MountainCar : public Env {
 public:
  static constexpr double kMinPosition = -1.2;
  static constexpr double kMaxPosition = 0.6;
  static constexpr double kMaxSpeed = 0.07;      // position units per step
  static constexpr double kGoalPosition = 0.5;
  static constexpr double kGoalVelocity = 0.0;
  static constexpr double kForce = 0.001;        // velocity change per step from the engine
  static constexpr double kGravity = 0.0025;     // scales the slope term cos(3 position)
  static constexpr double kResetLow = -0.6;
  static constexpr double kResetHigh = -0.4;
  static constexpr std::int64_t kMaxEpisodeSteps = 200;

  explicit MountainCar(const EnvOptions& options = {});

  std::string name() const override { return "MountainCar-v0"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override { return {state_.begin(), state_.end()}; }

 protected:
  void reset_state(Rng& rng) override;
  StepOutcome step_state(const Action& action) override;
  void write_obs(Observation& obs) const override;
  std::size_t state_size() const override { return state_.size(); }
  void assign_state(const std::vector<double>& state) override;

 private:
  Space observation_space_;
  Space action_space_;
  std::array<double, 2> state_{};
};

}  // namespace equimol::envs
