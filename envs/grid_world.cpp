#include "envs/grid_world.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace equimol::envs {

namespace {

// Moves of actions 0 up, 1 right, 2 down, 3 left, as (dx, dy).
constexpr std::array<std::array<std::int64_t, 2>, 4> kMoves = {{{0, 1}, {1, 0}, {0, -1}, {-1, 0}}};

std::int64_t checked_size(std::int64_t n) {
  if (n < 3 || n % 2 == 0) {
    throw std::invalid_argument("GridWorld-v0: size must be odd and >= 3 (goal at the centre), got " + std::to_string(n));
  }
  return n;
}

}  // namespace

GridWorld::GridWorld(const EnvOptions& options) : GridWorld(GridWorldOptions{7, options}) {}

GridWorld::GridWorld(const GridWorldOptions& options)
    : Env(kMaxEpisodeSteps), size_(checked_size(options.size)), half_((size_ - 1) / 2) {
  const auto pixels = static_cast<std::size_t>(size_ * size_);
  observation_space_ = make_box(std::vector<double>(pixels, 0.0), std::vector<double>(pixels, 1.0));
  action_space_ = Discrete{4};
  apply(options.env);
}

void GridWorld::reset_state(Rng& rng) {
  // Cell k of the n^2 - 1 non-goal cells in pixel order, skipping the centre pixel.
  const std::int64_t cells = size_ * size_ - 1;
  std::int64_t k = std::min(static_cast<std::int64_t>(rng.uniform01() * static_cast<double>(cells)), cells - 1);
  if (k >= pixel(0, 0)) ++k;
  x_ = k % size_ - half_;
  y_ = half_ - k / size_;
}

StepOutcome GridWorld::step_state(const Action& action) {
  const auto& move = kMoves[static_cast<std::size_t>(std::get<std::int64_t>(action))];
  x_ = std::clamp(x_ + move[0], -half_, half_);
  y_ = std::clamp(y_ + move[1], -half_, half_);
  return {kStepReward, x_ == 0 && y_ == 0};
}

void GridWorld::write_obs(Observation& obs) const {
  auto& values = box_values(obs, static_cast<std::size_t>(size_ * size_));
  std::fill(values.begin(), values.end(), 0.0);
  values[static_cast<std::size_t>(pixel(x_, y_))] = 1.0;
}

void GridWorld::assign_state(const std::vector<double>& state) {
  for (double value : state) {
    if (value != std::round(value) || std::abs(value) > static_cast<double>(half_)) {
      throw std::invalid_argument("GridWorld-v0: state values must be integers in [-" + std::to_string(half_) +
                                  ", " + std::to_string(half_) + "], got " + std::to_string(value));
    }
  }
  x_ = static_cast<std::int64_t>(state[0]);
  y_ = static_cast<std::int64_t>(state[1]);
}

}  // namespace equimol::envs
