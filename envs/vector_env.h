// VectorEnv: N copies of one env stepped together, in parallel with OpenMP.
//
// Env i is seeded with seed + i at the first reset and then keeps its own random stream, so the
// results do not depend on the number of threads. Autoreset is Gymnasium's SAME_STEP mode (SB3's
// VecEnv): when episode i ends in step(), env i is reset at once; results()[i].obs is then the first
// observation of the new episode and final_observations()[i] holds the last observation of the
// ended one (for bootstrapping on truncation), with its statistics in results()[i].info.episode.
// See docs/rl.md for why this mode.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "envs/env.h"

namespace equimol::envs {

struct VectorEnvOptions {
  int num_envs = 1;
  int num_threads = 1;     // OpenMP threads for step(); 1 steps serially without a parallel region
  std::uint64_t seed = 0;  // env i gets seed + i
  EnvOptions env;          // applied to every copy
};

class VectorEnv {
 public:
  VectorEnv(const std::string& env_name, const VectorEnvOptions& options);
  /// Env i from make_env(i) (envs that need construction options, e.g. make_configured_env);
  /// options.env is then the factory's business.
  VectorEnv(const std::function<std::unique_ptr<Env>(int)>& make_env, const VectorEnvOptions& options);

  int num_envs() const { return static_cast<int>(envs_.size()); }
  const Env& env(int i) const { return *envs_[static_cast<std::size_t>(i)]; }
  const Space& observation_space() const { return envs_.front()->observation_space(); }
  const Space& action_space() const { return envs_.front()->action_space(); }

  /// Resets every env (env i with seed + i) and returns results() with the first observations.
  const std::vector<StepResult>& reset();

  /// Steps env i with actions[i], autoresetting ended episodes (see the file comment).
  const std::vector<StepResult>& step(const std::vector<Action>& actions);

  const std::vector<StepResult>& results() const { return results_; }
  /// The last observation of the episode that ended at env i in the latest step(); meaningful only
  /// where results()[i].terminated or .truncated.
  const std::vector<Observation>& final_observations() const { return final_obs_; }

  /// Snapshots of every env (for checkpoints) and back; results() are rebuilt as after reset().
  std::vector<std::string> save() const;
  void load(const std::vector<std::string>& snapshots);

 private:
  void step_one(std::size_t i, const Action& action);

  VectorEnvOptions options_;
  std::vector<std::unique_ptr<Env>> envs_;
  std::vector<StepResult> results_;
  std::vector<Observation> final_obs_;
};

}  // namespace equimol::envs
