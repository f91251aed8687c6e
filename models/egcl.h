// One E(n)-equivariant graph convolutional layer (E_GCL, Satorras, Hoogeboom, Welling 2021, eqs. 3-6
// and the velocity form of eq. 7):
//   m_ij = phi_e(h_i, h_j, |x_i - x_j|^2, a_ij)                      (optionally gated by attention)
//   x_i' = x_i + C sum_j (x_i - x_j) phi_x(m_ij)                     (C = 1 or 1/deg_i)
//   h_i' = h_i + phi_h(h_i, sum_j m_ij)                              (residual)
// With velocities: v_i' = phi_v(h_i) v_i + C sum_j (x_i - x_j) phi_x(m_ij), x_i' = x_i + v_i'.
// h and m only ever see distances, so they are invariant; x moves along differences x_i - x_j, so it
// is equivariant under any orthogonal map and translation, in any spatial dimension n.
#pragma once

#include <torch/torch.h>

#include <utility>

#include "models/egnn_inference.h"
#include "models/egnn_options.h"
#include "models/graph_ops.h"

namespace equimol::models {

/// What a layer reads and writes: h [N, F] invariant, x [N, n] positions, v [N, n] velocities
/// (only with options.velocity; undefined otherwise).
struct EGCLState {
  torch::Tensor h;
  torch::Tensor x;
  torch::Tensor v;
};

/// Throws std::invalid_argument ("EGCL: ...") when v (velocity layers) is not shaped like x, or
/// edge_attr (edge_features > 0) is not [E, edge_features]. Shared by both EGNN paths.
void check_velocity_and_edge_inputs(bool velocity, std::int64_t edge_features, const Graph& graph,
                                    const torch::Tensor& x, const torch::Tensor& v, const torch::Tensor& edge_attr);

class EGCLImpl : public torch::nn::Module {
 public:
  explicit EGCLImpl(const EGCLOptions& options);

  /// edge_attr [E, edge_features] when edge_features > 0, else undefined.
  EGCLState forward(const Graph& graph, const EGCLState& in, const torch::Tensor& edge_attr = {});

  /// A float32 copy of the parameters in the layout of egnn_forward (the dispatch-free inference path).
  EGCLWeights inference_weights() const;

  const EGCLOptions options;

 private:
  /// layer(x): float32 on CPU through dense_linear (the dense kernels, forward and backward; faster
  /// than oneDNN and this machine's OpenBLAS on the per-edge [E, H] rows that carry the bulk of the
  /// FLOPs, RESULTS.md), other dtypes and devices through torch::linear.
  torch::Tensor linear(const torch::nn::Linear& layer, const torch::Tensor& x) const;
  /// |x_i - x_j|^2 [E, 1] and the direction used to move x: x_i - x_j, or its unit vector [E, n].
  std::pair<torch::Tensor, torch::Tensor> coord2radial(const Graph& graph, const torch::Tensor& x) const;
  /// The messages m_ij [E, hidden].
  torch::Tensor edge_model(const Graph& graph, const torch::Tensor& h, const torch::Tensor& radial,
                           const torch::Tensor& edge_attr);
  /// C sum_j (x_i - x_j) phi_x(m_ij) [N, n].
  torch::Tensor coord_shift(const Graph& graph, const torch::Tensor& direction, const torch::Tensor& m);
  /// New positions (and velocities) from the shift.
  EGCLState move(const EGCLState& in, const torch::Tensor& shift);
  /// h_i' from h_i and the summed messages.
  torch::Tensor node_model(const Graph& graph, const torch::Tensor& h, const torch::Tensor& m);

  // phi_e's first layer acts on [h_i, h_j, r_ij, a_ij]; it is stored split by input so that the h
  // parts are applied once per node (N rows) and gathered, instead of once per edge (E = N(N-1) rows).
  // The function and the parameter count are those of one Linear(2F + 1 + A, H).
  torch::nn::Linear message_receiver_;  // h_i part, with the layer's bias
  torch::nn::Linear message_sender_;    // h_j part
  torch::Tensor message_distance_;      // weight of |x_i - x_j|^2, [H]
  torch::nn::Linear message_attr_{nullptr};  // a_ij part (edge_features > 0)
  torch::nn::Linear message_out_;       // phi_e's second layer
  torch::nn::Linear attention_{nullptr};     // m_ij -> gate logit (attention)
  torch::nn::Linear coord_hidden_;      // phi_x: H -> H -> 1
  torch::nn::Linear coord_out_;
  torch::nn::Linear node_hidden_;       // phi_h: F + H -> H -> F'
  torch::nn::Linear node_out_;
  torch::nn::Linear velocity_hidden_{nullptr};  // phi_v: F -> H -> 1 (velocity)
  torch::nn::Linear velocity_out_{nullptr};
};
TORCH_MODULE(EGCL);

}  // namespace equimol::models
