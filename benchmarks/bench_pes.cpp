// PesEnv throughput: relaxations per second of one environment, and of two stepped in parallel with
// OpenMP (each env owns its xtb calculator with one thread). Goal: two give >= 1.8x one, measured
// against BM_TwoEnvsInTurn, the same two walkers taking turns on one thread (the same work). Run with
// --benchmark_repetitions=3 --benchmark_enable_random_interleaving=true: this VM's speed drifts.
// Also reports the share of time spent outside the calculator (goal <= 10% for xtb explorations).
// BM_*Processes step the same walkers through VectorEnv with Workers::kProcesses (one forked worker
// process per env, envs/subprocess_workers.h); Threads the same harness on OpenMP threads.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <memory>
#include <vector>

#include "chem/rdkit_bridge.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"
#include "envs/vector_env.h"

namespace {

using equimol::envs::Action;
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

constexpr int kStepsPerWalker = 80;

/// n_envs walkers (seeds 10 + k) stepped on `threads` OpenMP threads, state.range(0) steps each between
/// joins (one benchmark iteration). With one thread they take turns, doing exactly the work of the
/// parallel run: the fair reference for a speed-up. Every run starts fresh walkers, so repetitions
/// repeat the same work. `identical`: every walker is walker 0 (same seeds), so the walkers' work is
/// equal and a speed-up over BM_OneEnv measures the parallel machinery alone, without imbalance.
void run(benchmark::State& state, int n_envs, int threads, bool identical = false) {
  const int steps_per_join = static_cast<int>(state.range(0));
  std::vector<std::unique_ptr<PesEnv>> envs;
  std::vector<std::unique_ptr<RandomPerturbation>> policies;
  for (int k = 0; k < n_envs; ++k) {
    const int walker = identical ? 0 : k;
    envs.push_back(make_env(10 + walker));
    policies.push_back(std::make_unique<RandomPerturbation>(20 + walker, 0.3));
  }
  long relaxations_before = 0;
  double calculator_before = 0.0;
  for (const auto& env : envs) {
    relaxations_before += env->counters().relaxations;
    calculator_before += env->calculator().compute_seconds();
  }
  // Walkers are independent: at each join the faster one waits for the slower one.
  for (auto _ : state) {
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (int k = 0; k < n_envs; ++k) {
      for (int step = 0; step < steps_per_join; ++step) envs[k]->step(policies[k]->act(*envs[k]));
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

void BM_OneEnv(benchmark::State& state) { run(state, 1, 1); }
void BM_TwoEnvsInTurn(benchmark::State& state) { run(state, 2, 1); }
void BM_TwoEnvsParallel(benchmark::State& state) { run(state, 2, 2); }
void BM_TwoIdenticalEnvsParallel(benchmark::State& state) { run(state, 2, 2, true); }

/// The walker of run() as an Env, so that a VectorEnv can step it where it lives (in a worker
/// process the parent cannot call the policy, which reads the env): one step is `steps_per_join`
/// RandomPerturbation steps of walker k (same molecule, seeds and drive probability as run()).
/// Info reports the walker's relaxations and calculator seconds; reset leaves the walk where it is.
class Walker final : public equimol::envs::Env {
 public:
  Walker(int k, int steps_per_join)
      : Env(0), env_(make_env(10 + k)), policy_(20 + k, 0.3), steps_per_join_(steps_per_join) {}

  std::string name() const override { return "pes-walker"; }
  const equimol::envs::Space& observation_space() const override { return env_->observation_space(); }
  const equimol::envs::Space& action_space() const override { return action_space_; }
  std::vector<double> state() const override { return env_->state(); }

 protected:
  void reset_state(equimol::envs::Rng&) override {}
  equimol::envs::StepOutcome step_state(const Action&) override {
    equimol::envs::StepOutcome outcome;
    for (int step = 0; step < steps_per_join_; ++step) outcome.reward += env_->step(policy_.act(*env_)).reward;
    return outcome;
  }
  void write_obs(equimol::envs::Observation& obs) const override { obs = env_->observe(); }
  void write_info(equimol::envs::Info& info) const override {
    info.values["relaxations"] = static_cast<double>(env_->counters().relaxations);
    info.values["calculator_seconds"] = env_->calculator().compute_seconds();
  }
  std::size_t state_size() const override { return env_->state().size(); }
  void assign_state(const std::vector<double>& state) override { env_->set_state(state); }

 private:
  std::unique_ptr<PesEnv> env_;
  RandomPerturbation policy_;
  int steps_per_join_;
  equimol::envs::Space action_space_ = equimol::envs::Discrete{1};
};

double sum_info(const equimol::envs::VectorEnv& venv, const char* key) {
  double sum = 0.0;
  for (const auto& result : venv.results()) sum += result.info.values.at(key);
  return sum;
}

/// n_envs walkers in a VectorEnv; state.range(0) RandomPerturbation steps per VectorEnv::step (a
/// join of all walkers). PPO joins every step (1); run() joins every state.range(0) steps.
void run_vector(benchmark::State& state, int n_envs, equimol::envs::Workers workers, int threads) {
  const int steps_per_join = static_cast<int>(state.range(0));
  equimol::envs::VectorEnvOptions options;
  options.num_envs = n_envs;
  options.num_threads = threads;
  options.workers = workers;
  equimol::envs::VectorEnv venv([=](int k) { return std::make_unique<Walker>(k, steps_per_join); }, options);
  venv.reset();
  const std::vector<Action> actions(static_cast<std::size_t>(n_envs), Action{std::int64_t{0}});
  const double relaxations_before = sum_info(venv, "relaxations");
  const double calculator_before = sum_info(venv, "calculator_seconds");
  for (auto _ : state) venv.step(actions);
  state.counters["relaxations_per_s"] =
      benchmark::Counter(sum_info(venv, "relaxations") - relaxations_before, benchmark::Counter::kIsRate);
  state.counters["calculator_seconds"] = sum_info(venv, "calculator_seconds") - calculator_before;
}

void BM_OneEnvProcess(benchmark::State& state) { run_vector(state, 1, equimol::envs::Workers::kProcesses, 1); }
void BM_TwoEnvsProcesses(benchmark::State& state) { run_vector(state, 2, equimol::envs::Workers::kProcesses, 2); }
void BM_TwoEnvsThreads(benchmark::State& state) { run_vector(state, 2, equimol::envs::Workers::kThreads, 2); }
// PPO's usual layout: more envs than cores. Four walkers on two threads against the same four on one.
void BM_FourEnvsOneThread(benchmark::State& state) { run_vector(state, 4, equimol::envs::Workers::kThreads, 1); }
void BM_FourEnvsTwoThreads(benchmark::State& state) { run_vector(state, 4, equimol::envs::Workers::kThreads, 2); }

}  // namespace

// kStepsPerWalker (80) walker steps per env in every run: 8 joins of 10 steps, one join at the end
// (two independent explorations), or 80 joins of one step (PPO's lockstep).
void walker_steps(benchmark::internal::Benchmark* b, int steps_per_join) {
  b->ArgName("steps_per_join")->Arg(steps_per_join)->Iterations(kStepsPerWalker / steps_per_join);
  b->Unit(benchmark::kMillisecond)->UseRealTime();
}
BENCHMARK(BM_OneEnv)->Apply([](auto* b) { walker_steps(b, 10); });
BENCHMARK(BM_TwoEnvsInTurn)->Apply([](auto* b) { walker_steps(b, 10); });
BENCHMARK(BM_TwoEnvsParallel)->Apply([](auto* b) { walker_steps(b, 10); });
BENCHMARK(BM_TwoEnvsParallel)->Apply([](auto* b) { walker_steps(b, kStepsPerWalker); });
BENCHMARK(BM_TwoIdenticalEnvsParallel)->Apply([](auto* b) { walker_steps(b, kStepsPerWalker); });
BENCHMARK(BM_OneEnvProcess)->ArgName("steps_per_join")->Arg(10)->Unit(benchmark::kMillisecond)->Iterations(8)->UseRealTime();
BENCHMARK(BM_TwoEnvsProcesses)->ArgName("steps_per_join")->Arg(10)->Unit(benchmark::kMillisecond)->Iterations(8)->UseRealTime();
BENCHMARK(BM_TwoEnvsProcesses)->ArgName("steps_per_join")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(80)->UseRealTime();
BENCHMARK(BM_TwoEnvsThreads)->ArgName("steps_per_join")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(80)->UseRealTime();
BENCHMARK(BM_FourEnvsOneThread)->ArgName("steps_per_join")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(40)->UseRealTime();
BENCHMARK(BM_FourEnvsTwoThreads)->ArgName("steps_per_join")->Arg(1)->Unit(benchmark::kMillisecond)->Iterations(40)->UseRealTime();
BENCHMARK_MAIN();
