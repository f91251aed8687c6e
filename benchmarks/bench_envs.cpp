// Env throughput, single thread: the raw CartPole step loop and the VectorEnv (8 envs, as PPO's
// CartPole defaults), plus the other classic-control envs. Items/s = env steps per second.
// Gymnasium's Python CartPole does about 1e5 steps/s on the project machine (see RESULTS.md).
#include <benchmark/benchmark.h>

#include <vector>

#include "envs/registry.h"
#include "envs/vector_env.h"

namespace {

using equimol::envs::Action;

/// The action the benchmark loops apply: alternating pushes for discrete envs, a small torque else.
Action action_for(const equimol::envs::Env& env, std::int64_t t) {
  if (std::holds_alternative<equimol::envs::Discrete>(env.action_space())) return t % 2;
  return std::vector<double>{0.5};
}

void BM_RawStep(benchmark::State& state, const char* name) {
  auto env = equimol::envs::make_env(name);
  env->reset(0);
  equimol::envs::StepResult result;
  const Action actions[2] = {action_for(*env, 0), action_for(*env, 1)};
  std::int64_t t = 0;
  for (auto _ : state) {
    env->step_into(actions[t & 1], result);
    if (result.terminated || result.truncated) env->reset_into(std::nullopt, result.obs, result.info);
    benchmark::DoNotOptimize(result.reward);
    ++t;
  }
  state.SetItemsProcessed(t);
}
BENCHMARK_CAPTURE(BM_RawStep, CartPole, "CartPole-v1");
BENCHMARK_CAPTURE(BM_RawStep, Acrobot, "Acrobot-v1");
BENCHMARK_CAPTURE(BM_RawStep, MountainCar, "MountainCar-v0");
BENCHMARK_CAPTURE(BM_RawStep, Pendulum, "Pendulum-v1");

void BM_VectorEnvCartPole(benchmark::State& state) {
  equimol::envs::VectorEnvOptions options;
  options.num_envs = static_cast<int>(state.range(0));
  options.num_threads = static_cast<int>(state.range(1));
  equimol::envs::VectorEnv venv("CartPole-v1", options);
  venv.reset();
  std::vector<Action> even(options.num_envs, Action{std::int64_t{0}});
  std::vector<Action> odd(options.num_envs, Action{std::int64_t{1}});
  std::int64_t t = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(venv.step((t & 1) ? odd : even).data());
    ++t;
  }
  state.SetItemsProcessed(t * options.num_envs);
}
BENCHMARK(BM_VectorEnvCartPole)->ArgNames({"envs", "threads"})->Args({8, 1})->Args({64, 1})->Args({1024, 1})->Args({1024, 2});

}  // namespace

BENCHMARK_MAIN();
