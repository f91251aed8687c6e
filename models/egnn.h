// The EGNN network: a linear embedding of the invariant node features, `layers` E_GCL layers on a
// batch of graphs, and a linear output embedding. Outputs are invariant per node (h) and per graph
// (pooled h), and equivariant per node (positions x and the displacement x_out - x_in).
#pragma once

#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

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
  /// Without gradients, float32 CPU inputs take the dispatch-free path (options.inference_kernels).
  EGNNOutput forward(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                     const torch::Tensor& edge_attr = {}, const torch::Tensor& v = {});

  /// The float32 copy of the parameters for egnn_forward, taken again whenever one of them may have
  /// changed since the last copy: a gradient reached it (an optimizer step may follow; LibTorch's C++
  /// optimizers write through .data(), which leaves the version counter alone), or it was replaced or
  /// changed in place (checkpoint loads, .to(), in-place edits bump its data pointer or version).
  std::shared_ptr<const EGNNWeights> inference_weights();

  const EGNNOptions options;

 private:
  bool inference_kernels_apply(const torch::Tensor& h, const torch::Tensor& x, const torch::Tensor& edge_attr,
                               const torch::Tensor& v) const;
  EGNNOutput forward_inference(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                               const torch::Tensor& edge_attr, const torch::Tensor& v);

  torch::nn::Linear embedding_in_;
  torch::nn::ModuleList layers_;  // EGCL x options.layers
  torch::nn::Linear embedding_out_;

  std::vector<torch::Tensor> parameter_list_;  // handles to this module's parameters, fixed at construction
  std::shared_ptr<std::atomic<bool>> gradient_seen_ = std::make_shared<std::atomic<bool>>(false);
  std::mutex inference_mutex_;
  std::shared_ptr<const EGNNWeights> inference_weights_;
  std::vector<std::pair<const void*, std::int64_t>> inference_signature_;  // (data, version) per parameter
};
TORCH_MODULE(EGNN);

}  // namespace equimol::models
