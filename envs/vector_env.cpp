#include "envs/vector_env.h"

#include <exception>
#include <stdexcept>
#include <utility>

#include "envs/registry.h"
#include "envs/subprocess_workers.h"

namespace equimol::envs {

Workers parse_workers(const std::string& name) {
  if (name == "threads") return Workers::kThreads;
  if (name == "processes") return Workers::kProcesses;
  throw std::invalid_argument("env workers must be 'threads' or 'processes', got '" + name + "'");
}

std::string to_string(Workers workers) { return workers == Workers::kThreads ? "threads" : "processes"; }

void step_with_autoreset(Env& env, const Action& action, StepResult& result, Observation& final_obs) {
  env.step_into(action, result);
  if (result.terminated || result.truncated) {
    std::swap(final_obs, result.obs);  // keep the final observation, reuse the old buffer
    Info reset_info;
    env.reset_into(std::nullopt, result.obs, reset_info);  // continue the env's own stream
  }
}

VectorEnv::VectorEnv(const std::string& env_name, const VectorEnvOptions& options)
    : VectorEnv([env_name, env = options.env](int) { return envs::make_env(env_name, env); }, options) {}

VectorEnv::VectorEnv(const std::function<std::unique_ptr<Env>(int)>& make_env, const VectorEnvOptions& options)
    : options_(options) {
  if (options.num_envs < 1) {
    throw std::invalid_argument("VectorEnv: num_envs must be >= 1, got " + std::to_string(options.num_envs));
  }
  if (options.num_threads < 1) {
    throw std::invalid_argument("VectorEnv: num_threads must be >= 1, got " +
                                std::to_string(options.num_threads));
  }
  if (options.workers == Workers::kProcesses) {
    processes_ = std::make_unique<SubprocessWorkers>(make_env, options.num_envs);
  } else {
    for (int i = 0; i < options.num_envs; ++i) envs_.push_back(make_env(i));
  }
  results_.resize(static_cast<std::size_t>(options.num_envs));
  final_obs_.resize(static_cast<std::size_t>(options.num_envs));
}

VectorEnv::~VectorEnv() = default;
VectorEnv::VectorEnv(VectorEnv&&) noexcept = default;
VectorEnv& VectorEnv::operator=(VectorEnv&&) noexcept = default;

const Env& VectorEnv::env(int i) const {
  if (processes_) {
    throw std::logic_error("VectorEnv::env(" + std::to_string(i) + "): with process workers the env lives in worker " +
                           std::to_string(i) + ", not in this process");
  }
  return *envs_.at(static_cast<std::size_t>(i));
}

const Space& VectorEnv::observation_space() const {
  return processes_ ? processes_->observation_space() : envs_.front()->observation_space();
}

const Space& VectorEnv::action_space() const {
  return processes_ ? processes_->action_space() : envs_.front()->action_space();
}

std::vector<int> VectorEnv::worker_pids() const {
  if (!processes_) return {};
  const std::vector<pid_t> pids = processes_->pids();
  return {pids.begin(), pids.end()};
}

const std::vector<StepResult>& VectorEnv::reset() {
  if (processes_) {
    processes_->reset(options_.seed, results_);
  } else {
    for (std::size_t i = 0; i < envs_.size(); ++i) {
      envs_[i]->reset_into(options_.seed + i, results_[i].obs, results_[i].info);
    }
  }
  for (StepResult& result : results_) {
    result.reward = 0.0;
    result.terminated = result.truncated = false;
  }
  return results_;
}

const std::vector<StepResult>& VectorEnv::step(const std::vector<Action>& actions) {
  if (actions.size() != results_.size()) {
    throw std::invalid_argument("VectorEnv: got " + std::to_string(actions.size()) + " actions for " +
                                std::to_string(results_.size()) + " envs");
  }
  if (processes_) {
    processes_->step(actions, results_, final_obs_);
    return results_;
  }
  const auto n = static_cast<std::int64_t>(envs_.size());
  const auto step_one = [&](std::int64_t i) {
    const auto k = static_cast<std::size_t>(i);
    step_with_autoreset(*envs_[k], actions[k], results_[k], final_obs_[k]);
  };
  if (options_.num_threads == 1) {
    for (std::int64_t i = 0; i < n; ++i) step_one(i);
    return results_;
  }
  // Exceptions must not escape an OpenMP region: keep the first and rethrow after it. Envs are handed
  // out one at a time: PES steps differ in cost, and a static split makes one thread wait for the other.
  std::exception_ptr error;
#pragma omp parallel for num_threads(options_.num_threads) schedule(dynamic, 1)
  for (std::int64_t i = 0; i < n; ++i) {
    try {
      step_one(i);
    } catch (...) {
#pragma omp critical(equimol_vector_env_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return results_;
}

std::vector<std::string> VectorEnv::save() const {
  if (processes_) return processes_->save();
  std::vector<std::string> snapshots;
  for (const auto& env : envs_) snapshots.push_back(env->save());
  return snapshots;
}

void VectorEnv::load(const std::vector<std::string>& snapshots) {
  if (snapshots.size() != results_.size()) {
    throw std::invalid_argument("VectorEnv: " + std::to_string(snapshots.size()) + " snapshots for " +
                                std::to_string(results_.size()) + " envs");
  }
  if (processes_) {
    processes_->load(snapshots, results_);
    return;
  }
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    envs_[i]->load(snapshots[i]);
    results_[i] = StepResult{};
    results_[i].obs = envs_[i]->observe();
  }
}

}  // namespace equimol::envs
