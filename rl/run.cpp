#include "rl/run.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <ostream>
#include <stdexcept>

#include "envs/env_factory.h"
#include "rl/agents.h"
#include "rl/checkpoint.h"
#include "rl/evaluate.h"
#include "rl/metrics.h"
#include "rl/ppo.h"
#include "rl/threads.h"

namespace equimol::rl {

namespace {

constexpr const char* kConfigFile = "config.json";
constexpr const char* kCheckpointFile = "checkpoint.pt";

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void request_stop(int signal) {
  stop_requested = 1;
  // A second Ctrl-C kills at once; SIGTERM stays handled (timeout and schedulers send it twice).
  if (signal == SIGINT) std::signal(SIGINT, SIG_DFL);
}

/// While alive, SIGINT and SIGTERM ask training to stop at the next iteration's end instead of
/// killing it: up to ppo.checkpoint_every iterations (xtb rollouts: minutes) would be lost otherwise.
class StopOnSignal {
 public:
  StopOnSignal() {
    stop_requested = 0;
    previous_int_ = std::signal(SIGINT, request_stop);
    previous_term_ = std::signal(SIGTERM, request_stop);
    // A signal ignored by whoever started us (nohup, a shell's background job) stays ignored.
    if (previous_int_ == SIG_IGN) std::signal(SIGINT, SIG_IGN);
    if (previous_term_ == SIG_IGN) std::signal(SIGTERM, SIG_IGN);
  }
  ~StopOnSignal() {
    std::signal(SIGINT, previous_int_);
    std::signal(SIGTERM, previous_term_);
  }
  StopOnSignal(const StopOnSignal&) = delete;
  StopOnSignal& operator=(const StopOnSignal&) = delete;
  bool requested() const { return stop_requested != 0; }

 private:
  void (*previous_int_)(int);
  void (*previous_term_)(int);
};

/// The agent for a config, sized from its env's spaces.
ActorCritic build_agent(const TrainConfig& config) {
  const auto env = envs::make_configured_env(config.env, config.env_options, {config.max_episode_steps}, config.seed);
  return make_agent(config.agent, env->observation_space(), env->action_space(), config.agent_options);
}

}  // namespace

double TrainSummary::steps_per_second() const {
  return static_cast<double>(steps_trained) / std::max(seconds, 1e-9);
}

TrainSummary train(const TrainConfig& config, const std::filesystem::path& run_dir, bool resume, std::ostream& log) {
  check(config.ppo);
  const auto checkpoint = run_dir / kCheckpointFile;
  if (resume && !std::filesystem::exists(checkpoint)) {
    throw std::invalid_argument("--resume: no checkpoint at '" + checkpoint.string() + "'");
  }
  // A folder with a config but no checkpoint holds a run killed before its first iteration: nothing
  // to resume or to lose, so a new run may take it.
  if (!resume && std::filesystem::exists(checkpoint)) {
    throw std::invalid_argument("'" + run_dir.string() +
                                "' holds a training run: continue it with --resume, or choose another --out");
  }
  set_torch_threads(config.ppo.torch_threads);
  torch::manual_seed(config.seed);
  Ppo ppo(config, build_agent(config));  // bad names and options fail here, before any file is written
  if (resume) {
    ppo.load(checkpoint);
    if (ppo.done()) {  // before config.json is rewritten with the smaller total
      // Training goes in whole rollouts: a total short of the next one's end trains nothing.
      throw std::invalid_argument("the run in '" + run_dir.string() + "' has already trained " +
                                  std::to_string(ppo.global_step()) + " steps (the total asked is " +
                                  std::to_string(config.total_steps) + "): give --steps of at least " +
                                  std::to_string(ppo.global_step() + config.ppo.rollout_size()) +
                                  " (one more rollout) to continue it");
    }
  }
  std::filesystem::create_directories(run_dir);
  if (resume) {
    truncate_metrics(run_dir, ppo.iteration());
  } else {
    std::filesystem::remove(run_dir / "metrics.csv");
    std::filesystem::remove(run_dir / "metrics.jsonl");
  }
  write_json_file(run_dir / kConfigFile, to_json(config));

  const auto start = std::chrono::steady_clock::now();
  const std::int64_t first_step = ppo.global_step();
  MetricsWriter metrics(run_dir);
  Progress progress(ppo.num_iterations() * config.ppo.rollout_size(), log, is_terminal(log));
  TrainSummary summary;
  const StopOnSignal stop;
  while (!ppo.done() && !stop.requested()) {
    const IterationStats stats = ppo.iterate();
    metrics.write(stats);
    progress.update(stats);
    if (!std::isnan(stats.episode_return)) summary.last_return = stats.episode_return;
    if (ppo.iteration() % config.ppo.checkpoint_every == 0) ppo.save(checkpoint);
  }
  ppo.save(checkpoint);
  summary.interrupted = !ppo.done();
  progress.finish();
  summary.global_step = ppo.global_step();
  summary.steps_trained = ppo.global_step() - first_step;
  summary.iterations = ppo.iteration();
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

EvalResult evaluate_run(const std::filesystem::path& run_dir, const EvalOptions& options) {
  const auto config_path = run_dir / kConfigFile;
  if (!std::filesystem::exists(config_path)) {
    throw std::invalid_argument("run directory '" + run_dir.string() + "' has no " + kConfigFile);
  }
  const TrainConfig config = config_from_json(read_json_file(config_path), config_path.string());
  set_torch_threads(config.ppo.torch_threads);
  const ActorCritic agent = build_agent(config);
  load_model(run_dir / kCheckpointFile, *agent);
  agent->eval();
  torch::manual_seed(options.seed);  // sampled actions: the same seed plays the same episodes
  // The time limit the run trained with, unless the caller sets another.
  const std::int64_t max_steps = options.max_episode_steps > 0 ? options.max_episode_steps : config.max_episode_steps;
  // Env i is built with seed + i, as training builds its envs: a random LJ start differs per episode.
  std::uint64_t env_seed = options.seed;
  return evaluate(
      *agent, [&] { return envs::make_configured_env(config.env, config.env_options, {max_steps}, env_seed++); },
      options);
}

}  // namespace equimol::rl
