// Env: the Gymnasium contract, `reset(seed) -> (obs, info)` and
// `step(action) -> (obs, reward, terminated, truncated, info)`.
//
// The base owns what every env shares (EnvPool's core/env.h): the random stream and its seeding,
// the TimeLimit (truncation, never termination), episode statistics, action checks and snapshots.
// A concrete env overrides only reset_state / step_state / write_obs and the state accessors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "envs/rng.h"
#include "envs/spaces.h"
#include "envs/types.h"

namespace equimol::envs {

/// Wrapper settings applied by make_env (Gymnasium's `gymnasium.make(..., max_episode_steps=)`).
struct EnvOptions {
  /// TimeLimit: episodes are truncated after this many steps; 0 keeps the env's registered limit.
  std::int64_t max_episode_steps = 0;
};

/// What one transition of the dynamics gives back to the base.
struct StepOutcome {
  double reward = 0.0;
  bool terminated = false;
};

class Env {
 public:
  virtual ~Env() = default;

  virtual std::string name() const = 0;
  virtual const Space& observation_space() const = 0;
  virtual const Space& action_space() const = 0;

  /// Starts an episode. With a seed the random stream restarts from it (Gymnasium `reset(seed=)`);
  /// without one it continues, so one seed at the first reset reproduces every later episode.
  ResetResult reset(std::optional<std::uint64_t> seed = std::nullopt);
  void reset_into(std::optional<std::uint64_t> seed, Observation& obs, Info& info);

  /// Advances one step. `truncated` is set when the TimeLimit is reached (possibly together with
  /// `terminated`). Stepping an ended episode continues as Gymnasium does (e.g. CartPole reward 0);
  /// stepping before the first reset, or with an action outside the action space, throws.
  StepResult step(const Action& action);
  void step_into(const Action& action, StepResult& out);

  /// The float64 dynamical state (Gymnasium's `env.unwrapped.state`), e.g. CartPole's
  /// (x, x_dot, theta, theta_dot). set_state checks the size and leaves the step counter alone.
  virtual std::vector<double> state() const = 0;
  void set_state(const std::vector<double>& state);
  /// The observation of the current state.
  Observation observe() const;

  std::int64_t max_episode_steps() const { return max_episode_steps_; }
  std::int64_t elapsed_steps() const { return elapsed_steps_; }

  /// Everything needed to continue exactly (random stream, counters, state) as text, and back.
  std::string save() const;
  void load(const std::string& snapshot);

 protected:
  explicit Env(std::int64_t max_episode_steps);

  virtual void reset_state(Rng& rng) = 0;
  virtual StepOutcome step_state(const Action& action) = 0;
  virtual void write_obs(Observation& obs) const = 0;
  /// Env-specific counters for Info::values after reset and each step (e.g. SCF failures).
  virtual void write_info(Info& /*info*/) const {}
  virtual std::size_t state_size() const = 0;
  virtual void assign_state(const std::vector<double>& state) = 0;

  /// Applies EnvOptions (call from the concrete constructor, after the spaces exist).
  void apply(const EnvOptions& options);

  /// Throws std::invalid_argument when the action does not fit the action space.
  void check_action(const Action& action) const;

 private:
  Rng rng_;
  std::int64_t max_episode_steps_ = 0;
  std::int64_t elapsed_steps_ = 0;
  double episode_return_ = 0.0;
  bool has_reset_ = false;
  bool episode_over_ = false;  // statistics already reported for this episode
};

}  // namespace equimol::envs
