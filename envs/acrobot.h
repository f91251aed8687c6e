// Acrobot-v1: swing a two-link pendulum, actuated at the middle joint, so that its tip rises one
// link length above the base (Sutton 1996; Sutton & Barto 1998), with Gymnasium's "book" dynamics.
//
// State s = (theta1, theta2 [rad], dtheta1, dtheta2 [rad/s]); theta1 = 0 hangs straight down,
// theta2 is relative to link 1. Observation (cos theta1, sin theta1, cos theta2, sin theta2,
// dtheta1, dtheta2). Actions 0, 1, 2 apply torque -1, 0, +1 N m at the middle joint.
// With masses m1, m2, lengths l1, centres of mass lc1, lc2 and moments of inertia I1 = I2:
//   d1 = m1 lc1^2 + m2 (l1^2 + lc2^2 + 2 l1 lc2 cos theta2) + I1 + I2
//   d2 = m2 (lc2^2 + l1 lc2 cos theta2) + I2
//   phi2 = m2 lc2 g cos(theta1 + theta2 - pi/2)
//   phi1 = -m2 l1 lc2 dtheta2^2 sin theta2 - 2 m2 l1 lc2 dtheta2 dtheta1 sin theta2
//          + (m1 lc1 + m2 l1) g cos(theta1 - pi/2) + phi2
//   ddtheta2 = (a + d2/d1 phi1 - m2 l1 lc2 dtheta1^2 sin theta2 - phi2) / (m2 lc2^2 + I2 - d2^2/d1)
//   ddtheta1 = -(d2 ddtheta2 + phi1) / d1
// integrated over kDt by one classical Runge-Kutta-4 step; then the angles are wrapped to [-pi, pi]
// and the velocities clipped to kMaxVel1, kMaxVel2. Terminates when
// -cos theta1 - cos(theta1 + theta2) > 1; reward -1 per step, 0 on the terminating step.
// Truncated at 500 steps. Reset draws each state component uniformly from [-0.1, 0.1).
#pragma once

#include <array>

#include "envs/env.h"

namespace equimol::envs {

class Acrobot : public Env {
 public:
  static constexpr double kPi = 3.14159265358979323846;
  static constexpr double kDt = 0.2;            // s per step
  static constexpr double kLinkLength1 = 1.0;   // m
  static constexpr double kLinkMass1 = 1.0;     // kg
  static constexpr double kLinkMass2 = 1.0;     // kg
  static constexpr double kLinkComPos1 = 0.5;   // m, centre of mass of link 1 from the base
  static constexpr double kLinkComPos2 = 0.5;   // m, centre of mass of link 2 from the joint
  static constexpr double kLinkMoi = 1.0;       // kg m^2, moment of inertia of either link
  static constexpr double kGravity = 9.8;       // m/s^2
  static constexpr double kMaxVel1 = 4 * kPi;   // rad/s
  static constexpr double kMaxVel2 = 9 * kPi;   // rad/s
  static constexpr double kResetBound = 0.1;    // reset draws from [-0.1, 0.1)
  static constexpr std::int64_t kMaxEpisodeSteps = 500;
  static constexpr std::array<double, 3> kTorques = {-1.0, 0.0, 1.0};  // N m

  using State = std::array<double, 4>;

  explicit Acrobot(const EnvOptions& options = {});

  std::string name() const override { return "Acrobot-v1"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override { return {state_.begin(), state_.end()}; }

  /// ds/dt at state s under torque a (the equations above).
  static State derivatives(const State& s, double torque);

 protected:
  void reset_state(Rng& rng) override;
  StepOutcome step_state(const Action& action) override;
  void write_obs(Observation& obs) const override;
  std::size_t state_size() const override { return state_.size(); }
  void assign_state(const std::vector<double>& state) override;

 private:
  bool is_terminal() const;

  Space observation_space_;
  Space action_space_;
  State state_{};
};

}  // namespace equimol::envs
