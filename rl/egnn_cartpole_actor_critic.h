// The EGNN agent for CartPole-v1: the cart-pole as a 1-D point cloud on the track, so that the mirror
// x -> -x of the track is an orthogonal map of the cloud and an EGNN (models/egnn.h) is exactly
// equivariant to it.
//
// Four nodes per state s = (x, x_dot, theta, theta_dot), in this order:
//   cart        at x,                  velocity x_dot
//   pole tip    at x + 2 l sin(theta), velocity x_dot + 2 l cos(theta) theta_dot   (l = half-length)
//   left limit  at -2.4,               velocity 0
//   right limit at +2.4,               velocity 0
// Invariant node features: one-hot type (cart, tip, limit: both limits share a type), height above
// the track (2 l cos(theta) for the tip, else 0) and speed^2. Invariant edge attributes (complete
// graph): (x_i - x_j)(v_i - v_j) (is the pair separating or closing in?) and (v_i - v_j)^2, which
// let h see velocities; the EGNN's distances |x_i - x_j|^2 give it the rest.
// The mirror maps s to -s and the cloud to itself with the two limits swapped (nodes 2 <-> 3): node
// features and edge attributes are unchanged, positions and velocities flip.
//
// Policy: an EGNN with velocities; u = sum over the 4 nodes of its equivariant displacement
// x_out - x_in (1-D, flips under the mirror), logits (-u, u) for (push left, push right): so
// pi(-s) = swap(pi(s)). Value: a second EGNN's invariant sum-pooled read-out, V(-s) = V(s).
// The actor's velocity-scale MLPs (phi_v) start with their output layer at 1/100 of torch's default
// init, as phi_x starts small in the reference code; otherwise phi_v(h) v dominates u from the start.
// Both EGNNs use normalised coordinate updates by default (unit directions, tanh-bounded phi_x).
#pragma once

#include <nlohmann/json.hpp>
#include <torch/torch.h>

#include <cstdint>
#include <map>

#include "envs/spaces.h"
#include "models/activation.h"
#include "models/egnn.h"
#include "models/graph_ops.h"
#include "rl/actor_critic.h"

namespace equimol::rl {

struct EgnnCartPoleOptions {
  std::int64_t hidden_features = 16;
  std::int64_t layers = 2;
  models::Activation activation = models::Activation::kSiLU;
  /// Positions and velocities of the cloud are multiplied by this (1: metres and m/s; 1 / 2.4: track
  /// units, the limits at -+1). A uniform scaling commutes with the mirror, so equivariance is kept.
  double coordinate_scale = 1.0;
  /// The EGNN's coordinate update with unit directions and tanh-bounded phi_x (models/egnn_options.h):
  /// a node's shift no longer grows with its distances (up to 4.8 m between the limits), which took
  /// the steps to a 475 training return from 0.96x to 0.60x the MLP's (benchmarks/RESULTS.md).
  bool normalize = true;
  /// Logits (-k u, k u): the read-out's scale k.
  double logit_scale = 1.0;
};

/// Reads {"hidden_features": 16, "layers": 2, "activation": "silu"|"relu"|"tanh",
/// "coordinate_scale": 1.0, "normalize": true, "logit_scale": 1.0}; unknown keys or bad values throw
/// std::invalid_argument.
EgnnCartPoleOptions egnn_cartpole_options_from_json(const nlohmann::json& json);

/// CartPole states [B, 4] as point clouds (B graphs of kCartPoleNodes nodes, in the order above).
constexpr std::int64_t kCartPoleNodes = 4;
constexpr std::int64_t kCartPoleNodeFeatures = 5;  // cart, tip, limit, height, speed^2
constexpr std::int64_t kCartPoleEdgeFeatures = 2;  // (x_i - x_j)(v_i - v_j), (v_i - v_j)^2
struct CartPoleCloud {
  torch::Tensor h;          // [4B, kCartPoleNodeFeatures] invariant
  torch::Tensor x;          // [4B, 1] positions along the track, m
  torch::Tensor v;          // [4B, 1] velocities, m/s
  torch::Tensor edge_attr;  // [E, kCartPoleEdgeFeatures] invariant, in graph's edge order
};
CartPoleCloud cartpole_cloud(const torch::Tensor& obs, const models::Graph& graph, double coordinate_scale = 1.0);

class EgnnCartPoleActorCriticImpl : public ActorCriticImpl {
 public:
  explicit EgnnCartPoleActorCriticImpl(const EgnnCartPoleOptions& options = {});

  PolicyOutput forward(const torch::Tensor& obs) override;
  torch::Tensor value(const torch::Tensor& obs) override;

  /// The complete graphs of a batch of `batch_size` states (made once per size, then cached).
  const models::Graph& graph(std::int64_t batch_size);

 private:
  EgnnCartPoleOptions options_;
  models::EGNN actor_;
  models::EGNN critic_;
  std::map<std::int64_t, models::Graph> graphs_;
};

/// The registry entry (rl/agents.cpp): `egnn`, for CartPole-v1 only.
ActorCritic make_egnn_cartpole_agent(const envs::Space& observation_space, const envs::Space& action_space,
                                     const nlohmann::json& options);

}  // namespace equimol::rl
