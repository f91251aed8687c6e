// VectorEnv: per-env seeding, SAME_STEP autoreset with the final observation kept, and results that
// do not depend on the number of threads.
#include "envs/vector_env.h"

#include <gtest/gtest.h>

#include "envs/cartpole.h"
#include "envs/registry.h"
#include "test_util.h"

namespace equimol::envs {
namespace {

using testing::values;

VectorEnvOptions options(int num_envs, int num_threads, std::uint64_t seed, std::int64_t limit = 0) {
  VectorEnvOptions o;
  o.num_envs = num_envs;
  o.num_threads = num_threads;
  o.seed = seed;
  o.env.max_episode_steps = limit;
  return o;
}

TEST(envs_VectorEnv, EnvIGetsSeedPlusI) {
  VectorEnv venv("CartPole-v1", options(3, 1, 100));
  const auto& results = venv.reset();
  for (int i = 0; i < 3; ++i) {
    CartPole single;
    EXPECT_EQ(values(results[i].obs), values(single.reset(100 + i).obs)) << "env " << i;
  }
}

TEST(envs_VectorEnv, AutoresetKeepsFinalObservationOnTruncation) {
  // Time limit 3: the third step truncates; the returned obs is the next episode's first one and
  // the final observation is what a single env shows after three steps.
  VectorEnv venv("CartPole-v1", options(2, 1, 7, 3));
  venv.reset();
  CartPole single({3});
  single.reset(7);
  const std::vector<Action> actions = {std::int64_t{1}, std::int64_t{0}};
  StepResult expected;
  for (int t = 1; t <= 3; ++t) {
    venv.step(actions);
    expected = single.step(std::int64_t{1});
    const StepResult& got = venv.results()[0];
    EXPECT_EQ(got.truncated, t == 3);
    EXPECT_FALSE(got.terminated);
    if (t < 3) {
      EXPECT_EQ(values(got.obs), values(expected.obs));
    }
  }
  const StepResult& got = venv.results()[0];
  EXPECT_EQ(values(venv.final_observations()[0]), values(expected.obs));
  ASSERT_TRUE(got.info.episode.has_value());
  EXPECT_EQ(got.info.episode->length, 3);
  EXPECT_EQ(got.reward, 1.0);
  EXPECT_EQ(values(got.obs), values(single.reset().obs));  // reset continues env 0's own stream
  // The new episode runs on: the next step is not truncated.
  venv.step(actions);
  EXPECT_FALSE(venv.results()[0].truncated);
  EXPECT_FALSE(venv.results()[0].info.episode.has_value());
}

TEST(envs_VectorEnv, AutoresetOnTerminationMatchesSingleEnv) {
  // Always pushing right topples the pole within a few dozen steps.
  VectorEnv venv("CartPole-v1", options(1, 1, 3));
  venv.reset();
  CartPole single;
  single.reset(3);
  for (int t = 1; t < 200; ++t) {
    venv.step({std::int64_t{1}});
    const StepResult expected = single.step(std::int64_t{1});
    const StepResult& got = venv.results()[0];
    ASSERT_EQ(got.terminated, expected.terminated);
    if (expected.terminated) {
      EXPECT_EQ(values(venv.final_observations()[0]), values(expected.obs));
      EXPECT_EQ(got.info.episode->length, t);
      EXPECT_EQ(got.info.episode->episode_return, static_cast<double>(t));
      EXPECT_EQ(values(got.obs), values(single.reset().obs));
      return;
    }
    EXPECT_EQ(values(got.obs), values(expected.obs));
  }
  FAIL() << "pushing right for 200 steps never terminated";
}

/// Steps `num_threads`-threaded envs with a fixed pseudo-random action sequence and records all.
std::vector<double> trajectory(const std::string& env_name, int num_threads) {
  VectorEnv venv(env_name, options(5, num_threads, 21));
  venv.reset();
  Rng action_rng(1234);
  std::vector<double> record;
  std::vector<Action> actions(5);
  const bool discrete = std::holds_alternative<Discrete>(venv.action_space());
  for (int t = 0; t < 600; ++t) {
    for (auto& a : actions) {
      const double u = action_rng.uniform01();
      if (discrete) a = static_cast<std::int64_t>(u * std::get<Discrete>(venv.action_space()).n);
      else a = std::vector<double>{4 * u - 2};
    }
    for (const StepResult& r : venv.step(actions)) {
      const auto& obs = values(r.obs);
      record.insert(record.end(), obs.begin(), obs.end());
      record.push_back(r.reward);
      record.push_back(r.terminated + 2.0 * r.truncated);
    }
  }
  return record;
}

TEST(envs_VectorEnv, SameResultsWithOneAndTwoThreads) {
  for (const auto& name : env_names()) {
    EXPECT_EQ(trajectory(name, 1), trajectory(name, 2)) << name;
  }
}

TEST(envs_VectorEnv, RejectsBadInput) {
  EXPECT_THROW(VectorEnv("CartPole-v1", options(0, 1, 0)), std::invalid_argument);
  EXPECT_THROW(VectorEnv("CartPole-v1", options(2, 0, 0)), std::invalid_argument);
  EXPECT_THROW(VectorEnv("NoSuchEnv-v0", options(2, 1, 0)), std::invalid_argument);
  VectorEnv venv("CartPole-v1", options(2, 2, 0));
  venv.reset();
  EXPECT_THROW(venv.step({std::int64_t{0}}), std::invalid_argument);
  // An exception inside the OpenMP loop reaches the caller.
  EXPECT_THROW(venv.step({std::int64_t{0}, std::int64_t{5}}), std::invalid_argument);
}

TEST(envs_VectorEnv, SnapshotsContinueExactly) {
  VectorEnv a("Acrobot-v1", options(2, 1, 5));
  a.reset();
  const std::vector<Action> actions = {std::int64_t{2}, std::int64_t{0}};
  for (int t = 0; t < 10; ++t) a.step(actions);
  VectorEnv b("Acrobot-v1", options(2, 1, 99));
  b.load(a.save());
  for (int i = 0; i < 2; ++i) EXPECT_EQ(values(b.results()[i].obs), values(a.results()[i].obs));
  for (int t = 0; t < 600; ++t) {  // through an autoreset (time limit 500)
    a.step(actions);
    b.step(actions);
  }
  for (int i = 0; i < 2; ++i) EXPECT_EQ(values(b.results()[i].obs), values(a.results()[i].obs));
}

TEST(envs_Registry, MakesEveryEnvAndRejectsUnknown) {
  EXPECT_EQ(env_names(), (std::vector<std::string>{"Acrobot-v1", "CartPole-v1", "GridWorld-v0", "MountainCar-v0",
                                                  "Pendulum-v1"}));
  for (const auto& name : env_names()) EXPECT_EQ(make_env(name)->name(), name);
  EXPECT_EQ(make_env("MountainCar-v0")->max_episode_steps(), 200);
  EXPECT_EQ(make_env("CartPole-v1", {20})->max_episode_steps(), 20);
  try {
    make_env("CartPole-v0");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("CartPole-v0"), std::string::npos);
  }
}

}  // namespace
}  // namespace equimol::envs
