// SubprocessWorkers: the process backend of VectorEnv (VectorEnvOptions::workers = kProcesses), as
// Gymnasium's AsyncVectorEnv and SB3's SubprocVecEnv. Env i lives in its own forked worker process and
// is built there by make_env(i); the parent sends each command to every worker over a Unix socket and
// then collects the replies, so the workers compute concurrently.
//
// Why processes: each env gets xtb's Fortran state, OpenBLAS's buffers and libgomp's pool to itself,
// none of which it shares with another env's calls. perf shows two threads of one process meeting
// there (OpenBLAS's buffer-allocation mutex, libgomp). On the 2-vCPU project machine, processes and
// threads measured the same throughput (benchmarks/RESULTS.md).
//
// Life cycle: the workers are forked in the constructor, before their env (and its xtb calculator or
// thread pools) exists. A worker exits when its socket closes and is killed if the thread that built
// this object dies (PR_SET_PDEATHSIG), so build it on a thread that outlives it (the main thread).
// An exception in a worker is sent back and rethrown in the parent (std::invalid_argument stays one,
// anything else becomes std::runtime_error), naming the worker; a worker that dies is reported with
// its exit status or signal. The destructor closes the sockets and reaps every worker.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <sys/types.h>
#include <vector>

#include "envs/env.h"

namespace equimol::envs {

namespace wire {
class Reader;
}

class SubprocessWorkers {
 public:
  using MakeEnv = std::function<std::unique_ptr<Env>(int)>;

  /// Forks num_envs workers; worker i builds make_env(i) and reports its spaces (or its error).
  SubprocessWorkers(const MakeEnv& make_env, int num_envs);
  ~SubprocessWorkers();
  SubprocessWorkers(const SubprocessWorkers&) = delete;
  SubprocessWorkers& operator=(const SubprocessWorkers&) = delete;

  int size() const { return static_cast<int>(workers_.size()); }
  const Space& observation_space() const { return observation_space_; }
  const Space& action_space() const { return action_space_; }
  std::vector<pid_t> pids() const;

  /// Env i reset with seed + i; fills results[i].obs and .info.
  void reset(std::uint64_t seed, std::vector<StepResult>& results);
  /// VectorEnv::step in the workers: results[i] and, where an episode ended, final_obs[i].
  void step(const std::vector<Action>& actions, std::vector<StepResult>& results, std::vector<Observation>& final_obs);
  std::vector<std::string> save();
  /// Loads snapshot i into env i; results[i].obs is its observation.
  void load(const std::vector<std::string>& snapshots, std::vector<StepResult>& results);

 private:
  struct Worker;
  /// Sends requests[i] to worker i, all before reading any reply; then gives each successful reply
  /// to on_reply(i, reader) and throws the first failure once every worker has answered (so the
  /// conversation stays in step for the next call).
  void exchange(const std::vector<std::string>& requests, const std::function<void(std::size_t, wire::Reader&)>& on_reply);

  std::vector<std::unique_ptr<Worker>> workers_;
  Space observation_space_;
  Space action_space_;
};

}  // namespace equimol::envs
