#include "envs/env.h"

#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

namespace equimol::envs {

Env::Env(std::int64_t max_episode_steps) : max_episode_steps_(max_episode_steps) {}

void Env::apply(const EnvOptions& options) {
  if (options.max_episode_steps < 0) {
    throw std::invalid_argument(name() + ": max_episode_steps must be >= 0 (0 keeps the default " +
                                std::to_string(max_episode_steps_) + "), got " +
                                std::to_string(options.max_episode_steps));
  }
  if (options.max_episode_steps > 0) max_episode_steps_ = options.max_episode_steps;
}

ResetResult Env::reset(std::optional<std::uint64_t> seed) {
  ResetResult result;
  reset_into(seed, result.obs, result.info);
  return result;
}

void Env::reset_into(std::optional<std::uint64_t> seed, Observation& obs, Info& info) {
  if (seed) rng_.seed(*seed);
  reset_state(rng_);
  elapsed_steps_ = 0;
  episode_return_ = 0.0;
  has_reset_ = true;
  episode_over_ = false;
  write_obs(obs);
  info = Info{};
  write_info(info);
}

StepResult Env::step(const Action& action) {
  StepResult result;
  step_into(action, result);
  return result;
}

void Env::step_into(const Action& action, StepResult& out) {
  if (!has_reset_) throw std::logic_error(name() + ": step() called before reset()");
  check_action(action);
  const StepOutcome outcome = step_state(action);
  ++elapsed_steps_;
  write_obs(out.obs);
  out.reward = outcome.reward;
  out.terminated = outcome.terminated;
  // TimeLimit: truncation is independent of termination, as in Gymnasium's wrapper.
  out.truncated = max_episode_steps_ > 0 && elapsed_steps_ >= max_episode_steps_;
  out.info.values.clear();
  out.info.episode.reset();
  write_info(out.info);
  if (episode_over_) return;
  episode_return_ += outcome.reward;
  if (out.terminated || out.truncated) {
    out.info.episode = EpisodeStats{episode_return_, elapsed_steps_};
    episode_over_ = true;
  }
}

void Env::set_state(const std::vector<double>& state) {
  if (state.size() != state_size()) {
    throw std::invalid_argument(name() + ": state needs " + std::to_string(state_size()) +
                                " values, got " + std::to_string(state.size()));
  }
  for (std::size_t i = 0; i < state.size(); ++i) {
    if (!std::isfinite(state[i])) {
      throw std::invalid_argument(name() + ": state[" + std::to_string(i) + "] is not finite");
    }
  }
  assign_state(state);
}

Observation Env::observe() const {
  Observation obs;
  write_obs(obs);
  return obs;
}

void Env::check_action(const Action& action) const {
  const Space& space = action_space();
  if (const auto* discrete = std::get_if<Discrete>(&space)) {
    const auto* index = std::get_if<std::int64_t>(&action);
    if (index == nullptr) throw std::invalid_argument(name() + ": expects a discrete action index");
    if (*index < 0 || *index >= discrete->n) {
      throw std::invalid_argument(name() + ": action " + std::to_string(*index) + " is outside " +
                                  describe(space));
    }
    return;
  }
  const auto& box = std::get<Box>(space);
  const auto* values = std::get_if<std::vector<double>>(&action);
  if (values == nullptr || static_cast<std::int64_t>(values->size()) != box.dim()) {
    throw std::invalid_argument(name() + ": expects a continuous action of " +
                                std::to_string(box.dim()) + " values");
  }
}

// Snapshot text: one field per line; doubles in hexadecimal so they round-trip exactly.
namespace {
std::string hex(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%a", value);
  return buffer;
}
}  // namespace

std::string Env::save() const {
  std::ostringstream out;
  out << name() << "\n" << rng_.save() << "\n" << elapsed_steps_ << " " << hex(episode_return_) << " "
      << has_reset_ << " " << episode_over_ << "\n";
  for (double value : state()) out << hex(value) << " ";
  return out.str();
}

void Env::load(const std::string& snapshot) {
  std::istringstream in(snapshot);
  std::string env_name, rng_text, return_text;
  std::getline(in, env_name);
  if (env_name != name()) {
    throw std::invalid_argument(name() + ": snapshot is of env '" + env_name + "'");
  }
  std::getline(in, rng_text);
  in >> elapsed_steps_ >> return_text >> has_reset_ >> episode_over_;
  episode_return_ = std::strtod(return_text.c_str(), nullptr);
  std::vector<double> state;
  for (std::string field; in >> field;) state.push_back(std::strtod(field.c_str(), nullptr));
  if (!in.eof()) throw std::invalid_argument(name() + ": malformed snapshot");
  rng_.load(rng_text);
  set_state(state);
}

}  // namespace equimol::envs
