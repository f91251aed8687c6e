// PesEnv throughput: relaxations per second of one environment, and of two stepped in parallel with
// OpenMP (each env owns its xtb calculator with one thread). Goal: two give >= 1.8x one.
// Also reports the share of time spent outside the calculator (goal <= 10% for xtb explorations).
#include <benchmark/benchmark.h>
#include <omp.h>

#include <memory>
#include <vector>

#include "chem/rdkit_bridge.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"

namespace {

using equimol::envs::PesEnv;
using equimol::envs::PesEnvOptions;
using equimol::envs::RandomPerturbation;

std::unique_ptr<PesEnv> make_env(std::uint64_t seed) {
  PesEnvOptions options = PesEnvOptions::defaults_for("gfn2");
  options.start = equimol::atoms_from_smiles("OC=CC(C)=O", 2);  // 4-hydroxybut-3-en-2-one, 12 atoms
  options.budget = 1000000;
  auto env = std::make_unique<PesEnv>(options);
  env->reset(seed);
  return env;
}

constexpr int kStepsPerIteration = 10;

void run(benchmark::State& state, int n_envs) {
  std::vector<std::unique_ptr<PesEnv>> envs;
  std::vector<std::unique_ptr<RandomPerturbation>> policies;
  for (int k = 0; k < n_envs; ++k) {
    envs.push_back(make_env(10 + k));
    policies.push_back(std::make_unique<RandomPerturbation>(20 + k, 0.3));
  }
  long relaxations_before = 0;
  double calculator_before = 0.0;
  for (const auto& env : envs) {
    relaxations_before += env->counters().relaxations;
    calculator_before += env->calculator().compute_seconds();
  }
  // Each env walks kStepsPerIteration steps on its own thread between joins: walkers are independent,
  // and one join per step would make both wait for the slower relaxation every time.
  for (auto _ : state) {
#pragma omp parallel for num_threads(n_envs) schedule(static, 1)
    for (int k = 0; k < n_envs; ++k) {
      for (int step = 0; step < kStepsPerIteration; ++step) envs[k]->step(policies[k]->act(*envs[k]));
    }
  }
  long relaxations = -relaxations_before;
  double calculator_seconds = -calculator_before;
  for (const auto& env : envs) {
    relaxations += env->counters().relaxations;
    calculator_seconds += env->calculator().compute_seconds();
  }
  state.counters["relaxations_per_s"] = benchmark::Counter(static_cast<double>(relaxations), benchmark::Counter::kIsRate);
  // Per env: calculator seconds / (wall seconds x envs); 1 - that is the time outside the calculator.
  state.counters["calculator_seconds"] = calculator_seconds;
}

void BM_OneEnv(benchmark::State& state) { run(state, 1); }
void BM_TwoEnvsParallel(benchmark::State& state) { run(state, 2); }

}  // namespace

BENCHMARK(BM_OneEnv)->Unit(benchmark::kMillisecond)->Iterations(8)->UseRealTime();
BENCHMARK(BM_TwoEnvsParallel)->Unit(benchmark::kMillisecond)->Iterations(8)->UseRealTime();
BENCHMARK_MAIN();
