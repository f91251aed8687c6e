#include "envs/vector_env.h"

#include <exception>
#include <stdexcept>
#include <utility>

#include "envs/registry.h"

namespace equimol::envs {

VectorEnv::VectorEnv(const std::string& env_name, const VectorEnvOptions& options)
    : VectorEnv([&](int) { return envs::make_env(env_name, options.env); }, options) {}

VectorEnv::VectorEnv(const std::function<std::unique_ptr<Env>(int)>& make_env, const VectorEnvOptions& options)
    : options_(options) {
  if (options.num_envs < 1) {
    throw std::invalid_argument("VectorEnv: num_envs must be >= 1, got " + std::to_string(options.num_envs));
  }
  if (options.num_threads < 1) {
    throw std::invalid_argument("VectorEnv: num_threads must be >= 1, got " +
                                std::to_string(options.num_threads));
  }
  for (int i = 0; i < options.num_envs; ++i) envs_.push_back(make_env(i));
  results_.resize(envs_.size());
  final_obs_.resize(envs_.size());
}

const std::vector<StepResult>& VectorEnv::reset() {
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    StepResult& result = results_[i];
    envs_[i]->reset_into(options_.seed + i, result.obs, result.info);
    result.reward = 0.0;
    result.terminated = result.truncated = false;
  }
  return results_;
}

void VectorEnv::step_one(std::size_t i, const Action& action) {
  StepResult& result = results_[i];
  envs_[i]->step_into(action, result);
  if (result.terminated || result.truncated) {
    std::swap(final_obs_[i], result.obs);  // keep the final observation, reuse the old buffer
    Info reset_info;
    envs_[i]->reset_into(std::nullopt, result.obs, reset_info);  // continue env i's own stream
  }
}

const std::vector<StepResult>& VectorEnv::step(const std::vector<Action>& actions) {
  if (actions.size() != envs_.size()) {
    throw std::invalid_argument("VectorEnv: got " + std::to_string(actions.size()) + " actions for " +
                                std::to_string(envs_.size()) + " envs");
  }
  const auto n = static_cast<std::int64_t>(envs_.size());
  if (options_.num_threads == 1) {
    for (std::int64_t i = 0; i < n; ++i) step_one(static_cast<std::size_t>(i), actions[i]);
    return results_;
  }
  // Exceptions must not escape an OpenMP region: keep the first and rethrow after it.
  std::exception_ptr error;
#pragma omp parallel for num_threads(options_.num_threads) schedule(static)
  for (std::int64_t i = 0; i < n; ++i) {
    try {
      step_one(static_cast<std::size_t>(i), actions[static_cast<std::size_t>(i)]);
    } catch (...) {
#pragma omp critical(equimol_vector_env_error)
      if (!error) error = std::current_exception();
    }
  }
  if (error) std::rethrow_exception(error);
  return results_;
}

std::vector<std::string> VectorEnv::save() const {
  std::vector<std::string> snapshots;
  for (const auto& env : envs_) snapshots.push_back(env->save());
  return snapshots;
}

void VectorEnv::load(const std::vector<std::string>& snapshots) {
  if (snapshots.size() != envs_.size()) {
    throw std::invalid_argument("VectorEnv: " + std::to_string(snapshots.size()) + " snapshots for " +
                                std::to_string(envs_.size()) + " envs");
  }
  for (std::size_t i = 0; i < envs_.size(); ++i) {
    envs_[i]->load(snapshots[i]);
    results_[i] = StepResult{};
    results_[i].obs = envs_[i]->observe();
  }
}

}  // namespace equimol::envs
