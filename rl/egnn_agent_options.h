// Options of the EGNN actor-critics for the molecular envs (PES exploration and 3D design), read from
// the run config's "agent_options".
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace equimol::rl {

struct EgnnAgentOptions {
  std::int64_t hidden = 64;        ///< EGNN width and the width of every head's hidden layer
  std::int64_t layers = 3;         ///< E_GCL layers
  std::int64_t embedding = 16;     ///< atomic-number embedding width
  double kick_log_std_init = -1.0; ///< PES: initial log σ of the isotropic kick Gaussian (Å or σ_LJ)
  /// PES: σ per atom and state (an invariant head on each atom's features, around the learned global
  /// log σ) instead of one learned σ for every atom of every state.
  bool per_atom_kick_std = false;
  /// PES: also learn PesEnv's hop (a third mode): atom i from invariant per-atom logits lands on the
  /// surface in the direction of its kick sample d_i. Off for agents trained before hops existed.
  bool hop = false;
  std::int64_t distance_components = 3;  ///< design: Gaussians in the distance mixture
  std::int64_t direction_components = 3; ///< design: vMF components, and as many cone components
};

/// Which agent the options are for: each reads the common keys and its own.
enum class EgnnAgentKind { kPes, kDesign };

/// Reads {"hidden", "layers", "embedding"} and, for the PES agent, {"kick_log_std_init",
/// "per_atom_kick_std", "hop"}, for the design agent {"distance_components", "direction_components"}.
/// Unknown keys, the other agent's keys, wrong types (a fraction for a whole number) and bad values
/// throw std::invalid_argument naming them.
EgnnAgentOptions egnn_agent_options_from_json(const nlohmann::json& json, EgnnAgentKind kind);

}  // namespace equimol::rl
