// The EGNN network: a linear embedding of the invariant node features, `layers` E_GCL layers on a
// batch of graphs, and a linear output embedding. Outputs are invariant per node (h) and per graph
// (pooled h), and equivariant per node (positions x and the displacement x_out - x_in).
#pragma once

#include <torch/torch.h>

#include "models/egcl.h"
#include "models/egnn_options.h"
#include "models/graph_ops.h"

namespace equimol::models {

struct EGNNOutput {
  torch::Tensor h;        // [N, out_features] invariant node features
  torch::Tensor x;        // [N, n] updated positions: x -> Q x + t maps them to Q x_out + t
  torch::Tensor vector;   // [N, n] x_out - x_in: rotates with Q, ignores translations (e.g. forces, actions)
  torch::Tensor v;        // [N, n] updated velocities (options.velocity), else undefined
  torch::Tensor graph_h;  // [G, out_features] invariant per-graph read-out (options.pooling)
};

class EGNNImpl : public torch::nn::Module {
 public:
  explicit EGNNImpl(const EGNNOptions& options);

  /// h [N, in_features], x [N, n] with any n >= 1, edge_attr [E, edge_features] (if > 0),
  /// v [N, n] (velocity networks). Graph from make_graph; converted if made for another float dtype.
  EGNNOutput forward(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                     const torch::Tensor& edge_attr = {}, const torch::Tensor& v = {});

  const EGNNOptions options;

 private:
  torch::nn::Linear embedding_in_;
  torch::nn::ModuleList layers_;  // EGCL x options.layers
  torch::nn::Linear embedding_out_;
};
TORCH_MODULE(EGNN);

}  // namespace equimol::models
