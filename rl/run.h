// The torch-free entry points the CLI calls: train a run directory, evaluate one.
//
// A run directory holds config.json (the TrainConfig), checkpoint.pt (see checkpoint.h),
// metrics.csv and metrics.jsonl (one row per PPO iteration, columns as metrics.h).
#pragma once

#include <cstdint>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <vector>

#include "rl/train_config.h"

namespace equimol::rl {

struct TrainSummary {
  std::int64_t global_step = 0;    // steps of the whole run, earlier sessions included
  std::int64_t iterations = 0;
  std::int64_t steps_trained = 0;  // steps of this call (global_step less a resumed checkpoint's)
  double seconds = 0.0;            // wall-clock of this call
  // Mean episode return of this call's last iteration that ended episodes; empty when no episode
  // ended during this call (a short resume of long episodes), rather than a made-up 0.
  std::optional<double> last_return;
  bool interrupted = false;        // stopped by SIGINT/SIGTERM after a checkpoint, before the total

  double steps_per_second() const;  ///< steps_trained / seconds: this call's rate, also after a resume
};

/// Trains as `config` says into `run_dir` (created if needed; a fresh run refuses a folder that holds
/// a run's checkpoint). `resume` continues from run_dir/checkpoint.pt and appends to the metrics, after dropping the
/// rows logged past the checkpoint. Progress goes to `log`.
/// The first SIGINT or SIGTERM during training ends the current iteration, writes the checkpoint and
/// returns with `interrupted` set (a second one kills the process as usual).
TrainSummary train(const TrainConfig& config, const std::filesystem::path& run_dir, bool resume, std::ostream& log);

struct EvalOptions {
  int episodes = 10;
  bool greedy = true;                 // the mode of the policy; false samples actions
  std::uint64_t seed = 1'000'000;     // episode i runs on an env reset with seed + i
  std::int64_t max_episode_steps = 0; // TimeLimit override; 0 keeps the run's (evaluate_run) or the env's own
};

struct EvalResult {
  double mean_return = 0.0;
  double std_return = 0.0;            // population standard deviation (numpy's np.std)
  std::vector<double> returns;
  std::vector<std::int64_t> lengths;
};

/// Loads run_dir/config.json and the model in run_dir/checkpoint.pt and evaluates it: env i built and
/// reset with seed + i under the run's time limit, sampled actions drawn after torch::manual_seed(seed).
EvalResult evaluate_run(const std::filesystem::path& run_dir, const EvalOptions& options);

}  // namespace equimol::rl
