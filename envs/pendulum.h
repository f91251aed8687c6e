// Pendulum-v1: swing a frictionless pendulum up and keep it upright with a bounded torque, with
// Gymnasium's constants and rules.
//
// State s = (theta [rad, 0 = upright], theta_dot [rad/s]). Observation (cos theta, sin theta,
// theta_dot). Action: one torque u in [-2, 2] N m (clipped). One step, with g, m, l below:
//   cost = normalize(theta)^2 + 0.1 theta_dot^2 + 0.001 u^2,  reward = -cost
//   theta_dot' = clip(theta_dot + (3 g / (2 l) sin theta + 3 / (m l^2) u) kDt, +-kMaxSpeed)
//   theta' = theta + theta_dot' kDt      (semi-implicit Euler)
// where normalize(x) = ((x + pi) mod 2 pi) - pi with Python's floored modulo. Never terminates;
// truncated at 200 steps. Reset draws theta from [-pi, pi) and theta_dot from [-1, 1).
#pragma once

#include <array>

#include "envs/env.h"

namespace equimol::envs {

class Pendulum : public Env {
 public:
  static constexpr double kPi = 3.14159265358979323846;
  static constexpr double kMaxSpeed = 8.0;    // rad/s
  static constexpr double kMaxTorque = 2.0;   // N m
  static constexpr double kDt = 0.05;         // s per step
  static constexpr double kGravity = 10.0;    // m/s^2 (Gymnasium's default g)
  static constexpr double kMass = 1.0;        // kg
  static constexpr double kLength = 1.0;      // m
  static constexpr double kResetTheta = kPi;  // reset theta from [-pi, pi)
  static constexpr double kResetThetaDot = 1.0;
  static constexpr std::int64_t kMaxEpisodeSteps = 200;

  explicit Pendulum(const EnvOptions& options = {});

  std::string name() const override { return "Pendulum-v1"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override { return {state_.begin(), state_.end()}; }

  /// ((x + pi) mod 2 pi) - pi with the floored (Python) modulo: maps to [-pi, pi).
  static double normalize_angle(double x);

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
