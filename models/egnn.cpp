#include "models/egnn.h"

#include <stdexcept>
#include <string>

#include "models/dense_linear.h"

namespace equimol::models {

namespace {

EGNNOptions checked(const EGNNOptions& o) {
  auto positive = [](std::int64_t value, const char* name) {
    if (value < 1) throw std::invalid_argument(std::string("EGNN: ") + name + " must be >= 1, got " + std::to_string(value));
  };
  positive(o.in_features(), "in_features");
  positive(o.hidden_features(), "hidden_features");
  positive(o.out_features(), "out_features");
  positive(o.layers(), "layers");
  if (o.edge_features() < 0) {
    throw std::invalid_argument("EGNN: edge_features must be >= 0, got " + std::to_string(o.edge_features()));
  }
  return o;
}

torch::nn::ModuleList make_layers(const EGNNOptions& o) {
  torch::nn::ModuleList layers;
  for (std::int64_t l = 0; l < o.layers(); ++l) layers->push_back(EGCL(o.layer()));
  return layers;
}

void check_inputs(const EGNNOptions& o, const Graph& graph, const torch::Tensor& h, const torch::Tensor& x) {
  if (!h.defined() || h.dim() != 2 || h.size(0) != graph.num_nodes || h.size(1) != o.in_features()) {
    throw std::invalid_argument("EGNN: h must be [N = " + std::to_string(graph.num_nodes) + ", in_features = " +
                                std::to_string(o.in_features()) + "]");
  }
  if (!x.defined() || x.dim() != 2 || x.size(0) != graph.num_nodes || x.size(1) < 1 || !x.is_floating_point()) {
    throw std::invalid_argument("EGNN: x must be floating [N = " + std::to_string(graph.num_nodes) + ", n >= 1]");
  }
}

/// The graph with its float terms in `dtype` (a cheap copy of handles when they already are).
Graph for_dtype(const Graph& graph, torch::Dtype dtype) {
  if (graph.inv_degree.scalar_type() == dtype) return graph;
  Graph g = graph;
  g.inv_degree = graph.inv_degree.to(dtype);
  g.inv_graph_size = graph.inv_graph_size.to(dtype);
  return g;
}

}  // namespace

EGNNImpl::EGNNImpl(const EGNNOptions& o)
    : options(checked(o)),
      embedding_in_(o.in_features(), o.hidden_features()),
      layers_(make_layers(o)),
      embedding_out_(o.hidden_features(), o.out_features()) {
  register_module("embedding_in", embedding_in_);
  register_module("layers", layers_);
  register_module("embedding_out", embedding_out_);
  parameter_list_ = parameters();
  for (torch::Tensor& p : parameter_list_) {
    p.register_hook([seen = gradient_seen_](const torch::Tensor&) { seen->store(true); });
  }
}

EGNNOutput EGNNImpl::forward(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                             const torch::Tensor& edge_attr, const torch::Tensor& v) {
  check_inputs(options, graph, h, x);
  const Graph g = for_dtype(graph, x.scalar_type());
  if (inference_kernels_apply(h, x, edge_attr, v)) return forward_inference(g, h, x, edge_attr, v);
  EGCLState state{embedding_in_(h), x, v};
  for (const auto& layer : *layers_) state = layer->as<EGCLImpl>()->forward(g, state, edge_attr);
  const torch::Tensor h_out = embedding_out_(state.h);
  return {h_out, state.x, state.x - x, state.v, pool(h_out, g, options.pooling())};
}


bool EGNNImpl::inference_kernels_apply(const torch::Tensor& h, const torch::Tensor& x, const torch::Tensor& edge_attr,
                                       const torch::Tensor& v) const {
  if (!options.inference_kernels() || torch::GradMode::is_enabled()) return false;
  auto float32_cpu = [](const torch::Tensor& t) {
    return !t.defined() || (t.device().is_cpu() && t.scalar_type() == torch::kFloat32);
  };
  return float32_cpu(h) && float32_cpu(x) && float32_cpu(edge_attr) && float32_cpu(v) &&
         float32_cpu(embedding_in_->weight);
}

EGNNOutput EGNNImpl::forward_inference(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                                       const torch::Tensor& edge_attr, const torch::Tensor& v) {
  const std::int64_t edges = graph.row.size(0);
  check_velocity_and_edge_inputs(options.velocity(), options.edge_features(), graph, x, v, edge_attr);
  const std::shared_ptr<const EGNNWeights> weights = inference_weights();
  const torch::Tensor row = graph.row.contiguous(), col = graph.col.contiguous();
  const torch::Tensor inv_degree = graph.inv_degree.contiguous();
  const GraphArrays arrays{graph.num_nodes, edges, row.data_ptr<std::int64_t>(), col.data_ptr<std::int64_t>(),
                           inv_degree.data_ptr<float>()};
  const torch::Tensor h_in = h.contiguous();
  const torch::Tensor attr = options.edge_features() > 0 ? edge_attr.contiguous() : torch::Tensor();
  torch::Tensor x_out = x.clone(torch::MemoryFormat::Contiguous);
  torch::Tensor v_out = options.velocity() ? v.clone(torch::MemoryFormat::Contiguous) : torch::Tensor();
  torch::Tensor h_out = torch::empty({graph.num_nodes, options.out_features()}, x.options());
  egnn_forward(*weights, arrays, x.size(1), h_in.data_ptr<float>(), attr.defined() ? attr.data_ptr<float>() : nullptr,
               x_out.data_ptr<float>(), v_out.defined() ? v_out.data_ptr<float>() : nullptr, h_out.data_ptr<float>());
  return {h_out, x_out, x_out - x, v_out, pool(h_out, graph, options.pooling())};
}

std::shared_ptr<const EGNNWeights> EGNNImpl::inference_weights() {
  std::vector<std::pair<const void*, std::int64_t>> signature;
  signature.reserve(parameter_list_.size());
  for (const torch::Tensor& p : parameter_list_) signature.emplace_back(p.data_ptr(), p._version());
  const std::lock_guard<std::mutex> lock(inference_mutex_);
  const bool gradient_seen = gradient_seen_->exchange(false);
  if (inference_weights_ && !gradient_seen && signature == inference_signature_) return inference_weights_;
  auto weights = std::make_shared<EGNNWeights>();
  weights->in_features = options.in_features();
  weights->hidden = options.hidden_features();
  weights->out_features = options.out_features();
  weights->embedding_in_wt = transposed_floats(embedding_in_->weight);
  weights->embedding_in_b = flat_floats(embedding_in_->bias);
  for (const auto& layer : *layers_) weights->layers.push_back(layer->as<EGCLImpl>()->inference_weights());
  weights->embedding_out_wt = transposed_floats(embedding_out_->weight);
  weights->embedding_out_b = flat_floats(embedding_out_->bias);
  inference_weights_ = std::move(weights);
  inference_signature_ = std::move(signature);
  return inference_weights_;
}

}  // namespace equimol::models
