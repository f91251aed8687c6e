// The values an env exchanges with its caller: observations, actions, info and step results
// (Gymnasium's `(obs, info)` and `(obs, reward, terminated, truncated, info)` as structs).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace equimol::envs {

/// One molecule as the molecular envs show it to an agent (the GraphSpace observation).
struct GraphObservation {
  std::vector<int> atomic_numbers;         // Z, one per atom
  std::vector<double> positions_angstrom;  // [n_atoms][3], row-major, Å
  std::vector<double> node_features;       // [n_atoms][GraphSpace::node_feature_dim]
  std::vector<double> globals;             // per-molecule features (e.g. steps left)
};

/// A Box observation is its float64 values; a GraphSpace observation is a GraphObservation.
using Observation = std::variant<std::vector<double>, GraphObservation>;

/// A Discrete action is an index; a Box action is its float64 values.
using Action = std::variant<std::int64_t, std::vector<double>>;

/// Gymnasium's RecordEpisodeStatistics: the undiscounted return and length of a finished episode.
struct EpisodeStats {
  double episode_return = 0.0;
  std::int64_t length = 0;
};

/// Gymnasium's info dict. `episode` is set on the step that ends an episode; `values` holds
/// env-specific counters (e.g. SCF failures) by name.
struct Info {
  std::optional<EpisodeStats> episode;
  std::map<std::string, double> values;
};

struct ResetResult {
  Observation obs;
  Info info;
};

struct StepResult {
  Observation obs;
  double reward = 0.0;
  bool terminated = false;  // the MDP reached a terminal state: do not bootstrap
  bool truncated = false;   // cut short (time limit): bootstrap from the value of `obs`
  Info info;
};

/// The Box values inside `obs`, resized to `size`, reusing its storage (no allocation per step).
inline std::vector<double>& box_values(Observation& obs, std::size_t size) {
  auto* values = std::get_if<std::vector<double>>(&obs);
  if (values == nullptr) values = &obs.emplace<std::vector<double>>();
  values->resize(size);
  return *values;
}

}  // namespace equimol::envs
