// VectorEnv: N copies of one env stepped together, in parallel with OpenMP threads or in worker
// processes (VectorEnvOptions::workers).
//
// Env i is seeded with seed + i at the first reset and then keeps its own random stream, so the
// results do not depend on the number of threads. Autoreset is Gymnasium's SAME_STEP mode (SB3's
// VecEnv): when episode i ends in step(), env i is reset at once; results()[i].obs is then the first
// observation of the new episode and final_observations()[i] holds the last observation of the
// ended one (for bootstrapping on truncation), with its statistics in results()[i].info.episode.
// See docs/rl.md for why this mode.
//
// Workers::kProcesses runs env i in its own forked process (envs/subprocess_workers.h), built there
// by the factory, as Gymnasium's AsyncVectorEnv: for envs whose steps contend inside one process
// (xtb on OpenBLAS and libgomp). Seeding, autoreset, results, final observations and save/load are
// the same, bit for bit; the spaces come from worker 0; env(i) is not available (the env is in
// another process) and throws std::logic_error; exceptions in a worker are rethrown here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "envs/env.h"

namespace equimol::envs {

class SubprocessWorkers;

enum class Workers {
  kThreads,    // envs in this process, stepped by num_threads OpenMP threads
  kProcesses,  // one forked worker process per env; num_threads is unused
};

/// "threads" | "processes" (run configs and the CLI); std::invalid_argument otherwise.
Workers parse_workers(const std::string& name);
std::string to_string(Workers workers);

struct VectorEnvOptions {
  int num_envs = 1;
  int num_threads = 1;     // OpenMP threads for step(); 1 steps serially without a parallel region
  Workers workers = Workers::kThreads;
  std::uint64_t seed = 0;  // env i gets seed + i
  EnvOptions env;          // applied to every copy
};

/// One env's step inside VectorEnv: step, and if the episode ended keep its last observation in
/// final_obs and reset (continuing the env's own stream) into result.obs. Shared by both workers.
void step_with_autoreset(Env& env, const Action& action, StepResult& result, Observation& final_obs);

class VectorEnv {
 public:
  VectorEnv(const std::string& env_name, const VectorEnvOptions& options);
  /// Env i from make_env(i) (envs that need construction options, e.g. make_configured_env);
  /// options.env is then the factory's business.
  VectorEnv(const std::function<std::unique_ptr<Env>(int)>& make_env, const VectorEnvOptions& options);
  ~VectorEnv();  // with kProcesses: closes the workers' sockets and reaps them
  VectorEnv(VectorEnv&&) noexcept;
  VectorEnv& operator=(VectorEnv&&) noexcept;

  int num_envs() const { return options_.num_envs; }
  Workers workers() const { return options_.workers; }
  /// Env i itself; with kProcesses it lives in worker i and this throws std::logic_error.
  const Env& env(int i) const;
  const Space& observation_space() const;
  const Space& action_space() const;
  /// The worker processes' ids (kProcesses), else empty.
  std::vector<int> worker_pids() const;

  /// Resets every env (env i with seed + i) and returns results() with the first observations.
  const std::vector<StepResult>& reset();

  /// Steps env i with actions[i], autoresetting ended episodes (see the file comment).
  const std::vector<StepResult>& step(const std::vector<Action>& actions);

  const std::vector<StepResult>& results() const { return results_; }
  /// The last observation of the episode that ended at env i in the latest step(); meaningful only
  /// where results()[i].terminated or .truncated.
  const std::vector<Observation>& final_observations() const { return final_obs_; }

  /// Snapshots of every env (for checkpoints) and back; results() are rebuilt as after reset().
  /// With kProcesses the snapshots travel through the workers' sockets.
  std::vector<std::string> save() const;
  void load(const std::vector<std::string>& snapshots);

 private:
  VectorEnvOptions options_;
  std::vector<std::unique_ptr<Env>> envs_;         // kThreads
  std::unique_ptr<SubprocessWorkers> processes_;  // kProcesses
  std::vector<StepResult> results_;
  std::vector<Observation> final_obs_;
};

}  // namespace equimol::envs
