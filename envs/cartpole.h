// CartPole-v1: balance a pole hinged on a cart by pushing the cart left or right
// (Barto, Sutton & Anderson 1983), with Gymnasium's constants, equations and rules.
//
// State s = (x [m], x_dot [m/s], theta [rad, 0 = upright], theta_dot [rad/s]), float64.
// Action 0 pushes with -kForceMag, action 1 with +kForceMag. With F the force, m_p the pole mass,
// l the half-length and M = m_c + m_p the total mass:
//   temp   = (F + m_p l theta_dot^2 sin(theta)) / M
//   theta" = (g sin(theta) - cos(theta) temp) / (l (4/3 - m_p cos^2(theta) / M))
//   x"     = temp - m_p l theta" cos(theta) / M
// integrated by explicit Euler with step kTau: x += tau x_dot, x_dot += tau x", theta += tau
// theta_dot, theta_dot += tau theta" (positions are updated with the old velocities).
// Reward 1 for every step, including the one that terminates; 0 for steps after termination.
// Terminates when |x| > kXThreshold or |theta| > kThetaThresholdRad; truncated at 500 steps.
// Reset draws each state component uniformly from [-0.05, 0.05).
#pragma once

#include <array>

#include "envs/env.h"

namespace equimol::envs {

class CartPole : public Env {
 public:
  static constexpr double kGravity = 9.8;          // m/s^2
  static constexpr double kMassCart = 1.0;         // kg
  static constexpr double kMassPole = 0.1;         // kg
  static constexpr double kTotalMass = kMassCart + kMassPole;
  static constexpr double kHalfLength = 0.5;       // m, half the pole length ("length" in Gymnasium)
  static constexpr double kPoleMassLength = kMassPole * kHalfLength;
  static constexpr double kForceMag = 10.0;        // N
  static constexpr double kTau = 0.02;             // s per step
  static constexpr double kThetaThresholdRad = 12.0 * 2.0 * 3.14159265358979323846 / 360.0;  // 12°
  static constexpr double kXThreshold = 2.4;       // m
  static constexpr double kResetBound = 0.05;      // reset draws from [-0.05, 0.05)
  static constexpr std::int64_t kMaxEpisodeSteps = 500;  // v1 TimeLimit

  explicit CartPole(const EnvOptions& options = {});

  std::string name() const override { return "CartPole-v1"; }
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
  std::array<double, 4> state_{};
  int steps_beyond_terminated_ = -1;  // -1: episode not yet terminated
};

}  // namespace equimol::envs
