// GridWorld-v0: walk to the centre of an n x n grid (n odd). A small env whose symmetry group is
// C4, the rotations about the goal: rotating a state and its action gives the rotated transition
// with the same reward, so the shortest-path policy can be chosen rotation-equivariant (the
// Symmetrizer test bed of van der Pol et al. 2020, models/symmetry_groups.h).
//
// State (x, y): the agent's cell, x to the right and y up, both in [-c, c] with c = (n - 1) / 2, the
// goal at (0, 0). Actions 0 up (y + 1), 1 right (x + 1), 2 down (y - 1), 3 left (x - 1); a move into
// the outer wall leaves the agent in place. Reward -1 per step, so the undiscounted return of an
// episode is minus its length and the optimal return from (x, y) is -(|x| + |y|). Terminates on
// reaching the goal; truncated after kMaxEpisodeSteps. Reset draws a cell uniformly among the
// n^2 - 1 cells other than the goal.
// Observation: the one-hot image of the agent's cell, n^2 values, pixel (c - y) n + (x + c) (row 0
// on top), the layout of models::grid_image(n).
#pragma once

#include <array>
#include <cstdint>

#include "envs/env.h"

namespace equimol::envs {

struct GridWorldOptions {
  std::int64_t size = 7;  // n, odd and >= 3
  EnvOptions env;
};

class GridWorld : public Env {
 public:
  static constexpr std::int64_t kMaxEpisodeSteps = 50;  // > 2 c for every n <= 49: optimal episodes end
  static constexpr double kStepReward = -1.0;

  explicit GridWorld(const EnvOptions& options = {});
  explicit GridWorld(const GridWorldOptions& options);

  std::string name() const override { return "GridWorld-v0"; }
  const Space& observation_space() const override { return observation_space_; }
  const Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override { return {static_cast<double>(x_), static_cast<double>(y_)}; }

  std::int64_t size() const { return size_; }
  /// Pixel of cell (x, y) in the observation.
  std::int64_t pixel(std::int64_t x, std::int64_t y) const { return (half_ - y) * size_ + (x + half_); }

 protected:
  void reset_state(Rng& rng) override;
  StepOutcome step_state(const Action& action) override;
  void write_obs(Observation& obs) const override;
  std::size_t state_size() const override { return 2; }
  void assign_state(const std::vector<double>& state) override;

 private:
  std::int64_t size_;
  std::int64_t half_;  // c = (n - 1) / 2
  Space observation_space_;
  Space action_space_;
  std::int64_t x_ = 0;
  std::int64_t y_ = 0;
};

}  // namespace equimol::envs
