// Options of the E(n)-equivariant layer (E_GCL) and network (EGNN) of Satorras, Hoogeboom and Welling
// (2021). Light header: torch/arg.h only, so configuration code need not see <torch/torch.h>.
#pragma once

#include <torch/arg.h>

#include <cstdint>

#include "models/activation.h"
#include "models/pooling.h"

namespace equimol::models {

/// How a node's coordinate messages are combined: C = 1 (sum) or C = 1 / in-degree (mean, the
/// reference code's default; it keeps updates bounded as graphs grow).
enum class Aggregation { kSum, kMean };

struct EGCLOptions {
  EGCLOptions(std::int64_t in_features, std::int64_t hidden_features, std::int64_t out_features)
      : in_features_(in_features), hidden_features_(hidden_features), out_features_(out_features) {}
  /// Width of the invariant node features h entering the layer.
  TORCH_ARG(std::int64_t, in_features);
  /// Width of the message m_ij and of the hidden layers of phi_e, phi_x, phi_h, phi_v.
  TORCH_ARG(std::int64_t, hidden_features);
  /// Width of h leaving the layer (must equal in_features with a residual).
  TORCH_ARG(std::int64_t, out_features);
  /// Width of the invariant edge attributes a_ij (0: none).
  TORCH_ARG(std::int64_t, edge_features) = 0;
  TORCH_ARG(Activation, activation) = Activation::kSiLU;
  /// h_i <- h_i + phi_h(h_i, m_i) instead of h_i <- phi_h(h_i, m_i).
  TORCH_ARG(bool, residual) = true;
  /// m_ij <- m_ij * sigmoid(w . m_ij): a soft, invariant edge gate.
  TORCH_ARG(bool, attention) = false;
  /// Use (x_i - x_j) / (|x_i - x_j| + eps) in the coordinate update (stabler for long runs).
  TORCH_ARG(bool, normalize) = false;
  /// Bound phi_x(m_ij) to (-1, 1).
  TORCH_ARG(bool, tanh) = false;
  /// Carry velocities: v_i <- phi_v(h_i) v_i + C sum_j (x_i - x_j) phi_x(m_ij), x_i <- x_i + v_i.
  TORCH_ARG(bool, velocity) = false;
  TORCH_ARG(Aggregation, coord_aggregation) = Aggregation::kMean;
  /// Run the layer's float32 Linear layers (forward and backward) through the dense kernels
  /// (dense_linear.h; same function, faster on CPU); off, or in float64, they use torch::linear.
  TORCH_ARG(bool, dense_kernels) = true;
};

struct EGNNOptions {
  EGNNOptions(std::int64_t in_features, std::int64_t hidden_features, std::int64_t out_features)
      : in_features_(in_features), hidden_features_(hidden_features), out_features_(out_features) {}
  TORCH_ARG(std::int64_t, in_features);
  TORCH_ARG(std::int64_t, hidden_features) = 64;
  TORCH_ARG(std::int64_t, out_features);
  TORCH_ARG(std::int64_t, layers) = 4;
  TORCH_ARG(std::int64_t, edge_features) = 0;
  TORCH_ARG(Activation, activation) = Activation::kSiLU;
  TORCH_ARG(bool, residual) = true;
  TORCH_ARG(bool, attention) = false;
  TORCH_ARG(bool, normalize) = false;
  TORCH_ARG(bool, tanh) = false;
  TORCH_ARG(bool, velocity) = false;
  TORCH_ARG(Aggregation, coord_aggregation) = Aggregation::kMean;
  TORCH_ARG(bool, dense_kernels) = true;
  /// Forwards that record no gradient (InferenceMode, NoGradGuard) of a float32 network on CPU run
  /// through egnn_inference: the same function on plain arrays, without LibTorch's per-operator
  /// dispatch (several times faster for the small graphs agents act on; RESULTS.md).
  TORCH_ARG(bool, inference_kernels) = true;
  /// Per-graph read-out of the output h.
  TORCH_ARG(Pooling, pooling) = Pooling::kSum;


 public:  // TORCH_ARG leaves the access at private
  /// The options of each of the `layers` hidden-to-hidden layers.
  EGCLOptions layer() const {
    return EGCLOptions(hidden_features_, hidden_features_, hidden_features_)
        .edge_features(edge_features_)
        .activation(activation_)
        .residual(residual_)
        .attention(attention_)
        .normalize(normalize_)
        .tanh(tanh_)
        .velocity(velocity_)
        .coord_aggregation(coord_aggregation_)
        .dense_kernels(dense_kernels_);
  }
};

}  // namespace equimol::models
