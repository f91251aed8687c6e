// GridWorld-v0: moves, walls, goal, rewards, observation layout, seeding, and the C4 symmetry of its
// dynamics (rotating a state and its action rotates the transition and keeps the reward).
#include "envs/grid_world.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>

#include "envs/registry.h"
#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::values;

constexpr std::int64_t kUp = 0, kRight = 1, kDown = 2, kLeft = 3;

GridWorld at(std::int64_t x, std::int64_t y, std::int64_t size = 7) {
  GridWorld env(GridWorldOptions{size, {}});
  env.reset(0);
  env.set_state({static_cast<double>(x), static_cast<double>(y)});
  return env;
}

std::pair<std::int64_t, std::int64_t> cell(const Env& env) {
  const auto s = env.state();
  return {static_cast<std::int64_t>(s[0]), static_cast<std::int64_t>(s[1])};
}

TEST(envs_GridWorld, ActionsMoveOneCellAndWallsKeepTheAgentInPlace) {
  const std::pair<std::int64_t, std::int64_t> up{1, 3}, right{2, 2}, down{1, 1}, left{0, 2};
  for (const auto& [action, expected] : {std::pair{kUp, up}, {kRight, right}, {kDown, down}, {kLeft, left}}) {
    GridWorld env = at(1, 2);
    const StepResult r = env.step(action);
    EXPECT_EQ(cell(env), expected) << "action " << action;
    EXPECT_EQ(r.reward, GridWorld::kStepReward);
    EXPECT_FALSE(r.terminated);
  }
  GridWorld corner = at(3, 3);  // top-right corner of a 7 x 7 grid
  corner.step(kUp);
  EXPECT_EQ(cell(corner), std::make_pair(std::int64_t{3}, std::int64_t{3}));
  corner.step(kRight);
  EXPECT_EQ(cell(corner), std::make_pair(std::int64_t{3}, std::int64_t{3}));
}

TEST(envs_GridWorld, ShortestPathReachesTheGoalWithReturnMinusManhattanDistance) {
  GridWorld env = at(-2, 3);
  StepResult r;
  for (std::int64_t action : {kRight, kRight, kDown, kDown, kDown}) {
    ASSERT_FALSE(r.terminated);
    r = env.step(action);
  }
  EXPECT_TRUE(r.terminated);
  EXPECT_FALSE(r.truncated);
  ASSERT_TRUE(r.info.episode.has_value());
  EXPECT_EQ(r.info.episode->episode_return, -5.0);
  EXPECT_EQ(r.info.episode->length, 5);
}

TEST(envs_GridWorld, ObservationIsTheOneHotPixelOfTheCell) {
  GridWorld env = at(-3, 3);  // top-left: pixel 0
  auto obs = values(env.observe());
  ASSERT_EQ(obs.size(), 49u);
  EXPECT_EQ(obs[0], 1.0);
  double sum = 0;
  for (double v : obs) sum += v;
  EXPECT_EQ(sum, 1.0);
  EXPECT_EQ(env.pixel(3, -3), 48);  // bottom-right
  EXPECT_EQ(env.pixel(1, 0), 3 * 7 + 4);
  env.set_state({1, 0});
  EXPECT_EQ(values(env.observe())[3 * 7 + 4], 1.0);
}

TEST(envs_GridWorld, ResetCoversEveryCellButTheGoalAndIsSeeded) {
  GridWorld env;
  std::set<std::pair<std::int64_t, std::int64_t>> seen;
  for (std::uint64_t seed = 0; seed < 2000; ++seed) {
    env.reset(seed);
    seen.insert(cell(env));
  }
  EXPECT_EQ(seen.size(), 48u);
  EXPECT_EQ(seen.count({0, 0}), 0u);
  GridWorld a, b;
  a.reset(7);
  b.reset(7);
  for (int i = 0; i < 5; ++i) {
    a.reset();
    b.reset();
    EXPECT_EQ(cell(a), cell(b));
  }
}

TEST(envs_GridWorld, RotatingStateAndActionRotatesTheTransition) {
  // r: (x, y) -> (-y, x), and on actions up -> left -> down -> right -> up, i.e. a -> (a + 3) mod 4.
  auto rotate = [](std::pair<std::int64_t, std::int64_t> c) { return std::make_pair(-c.second, c.first); };
  for (std::int64_t x = -2; x <= 2; ++x) {
    for (std::int64_t y = -2; y <= 2; ++y) {
      for (std::int64_t action = 0; action < 4; ++action) {
        GridWorld env = at(x, y, 5);
        const auto [rx, ry] = rotate({x, y});
        GridWorld rotated = at(rx, ry, 5);
        const StepResult r = env.step(action);
        const StepResult rr = rotated.step((action + 3) % 4);
        EXPECT_EQ(cell(rotated), rotate(cell(env))) << x << "," << y << " action " << action;
        EXPECT_EQ(r.reward, rr.reward);
        EXPECT_EQ(r.terminated, rr.terminated);
      }
    }
  }
}

TEST(envs_GridWorld, TruncatesAtTheTimeLimitAndRejectsBadInput) {
  GridWorld env = at(3, 3);
  StepResult r;
  for (std::int64_t t = 0; t < GridWorld::kMaxEpisodeSteps; ++t) r = env.step(kUp);  // stuck at the wall
  EXPECT_TRUE(r.truncated);
  EXPECT_FALSE(r.terminated);
  EXPECT_THROW(GridWorld(GridWorldOptions{4, {}}), std::invalid_argument);
  EXPECT_THROW(GridWorld(GridWorldOptions{1, {}}), std::invalid_argument);
  EXPECT_THROW(env.set_state({0.5, 0}), std::invalid_argument);
  EXPECT_THROW(env.set_state({4, 0}), std::invalid_argument);
  EXPECT_THROW(env.step(std::int64_t{4}), std::invalid_argument);
  EXPECT_EQ(make_env("GridWorld-v0")->name(), "GridWorld-v0");
}

}  // namespace
}  // namespace equimol::envs
