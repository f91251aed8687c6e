// The EGNN forward pass on plain float32 arrays, for inference on small graphs (an agent acting on one
// molecule): the same function as EGNNImpl::forward, computed with the dense kernels and no LibTorch
// operator dispatch. Torch-free: EGNNImpl copies its weights into EGNNWeights and calls egnn_forward
// when no gradient is wanted (egnn.cpp), so callers never see this header.
#pragma once

#include <cstdint>
#include <vector>

#include "models/activation.h"

namespace equimol::models {

/// One E_GCL layer's parameters. Every matrix is stored transposed, [in, out] row-major, as
/// kernels::linear reads it; names follow EGCLImpl's modules.
struct EGCLWeights {
  std::int64_t in_features = 0, hidden = 0, out_features = 0, edge_features = 0;
  Activation activation = Activation::kSiLU;
  bool residual = true, attention = false, normalize = false, tanh = false, velocity = false, mean_aggregation = true;

  std::vector<float> receiver_wt, receiver_b;  // phi_e layer 1, h_i part [F, H], bias [H]
  std::vector<float> sender_wt;                // h_j part [F, H]
  std::vector<float> distance_w;               // |x_i - x_j|^2 part [H]
  std::vector<float> attr_wt;                  // a_ij part [A, H] (edge_features > 0)
  std::vector<float> message_wt, message_b;    // phi_e layer 2 [H, H]
  std::vector<float> attention_w;              // [H] (attention)
  float attention_b = 0.0f;
  std::vector<float> coord_wt, coord_b;        // phi_x layer 1 [H, H]
  std::vector<float> coord_out_w;              // phi_x layer 2 [H], no bias
  std::vector<float> node_wt, node_b;          // phi_h layer 1 [F + H, H]
  std::vector<float> node_out_wt, node_out_b;  // phi_h layer 2 [H, F']
  std::vector<float> velocity_wt, velocity_b;  // phi_v layer 1 [F, H] (velocity)
  std::vector<float> velocity_out_w;           // phi_v layer 2 [H]
  float velocity_out_b = 0.0f;
};

struct EGNNWeights {
  std::int64_t in_features = 0, hidden = 0, out_features = 0;
  std::vector<float> embedding_in_wt, embedding_in_b;    // [in, H]
  std::vector<EGCLWeights> layers;
  std::vector<float> embedding_out_wt, embedding_out_b;  // [H, out]
};

/// A batch's topology as raw arrays: edge e carries a message from col[e] to row[e].
struct GraphArrays {
  std::int64_t num_nodes = 0, num_edges = 0;
  const std::int64_t* row = nullptr;
  const std::int64_t* col = nullptr;
  const float* inv_degree = nullptr;  // [N], 1 / max(in-degree, 1)
};

/// h_in [N, in_features], edge_attr [E, edge_features] or nullptr; x [N, dim] and v [N, dim]
/// (velocity networks, else nullptr) are updated in place; h_out [N, out_features] is written.
void egnn_forward(const EGNNWeights& weights, const GraphArrays& graph, std::int64_t dim, const float* h_in,
                  const float* edge_attr, float* x, float* v, float* h_out);

}  // namespace equimol::models
