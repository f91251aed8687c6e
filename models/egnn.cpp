#include "models/egnn.h"

#include <stdexcept>
#include <string>

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
}

EGNNOutput EGNNImpl::forward(const Graph& graph, const torch::Tensor& h, const torch::Tensor& x,
                             const torch::Tensor& edge_attr, const torch::Tensor& v) {
  check_inputs(options, graph, h, x);
  const Graph g = for_dtype(graph, x.scalar_type());
  EGCLState state{embedding_in_(h), x, v};
  for (const auto& layer : *layers_) state = layer->as<EGCLImpl>()->forward(g, state, edge_attr);
  const torch::Tensor h_out = embedding_out_(state.h);
  return {h_out, state.x, state.x - x, state.v, pool(h_out, g, options.pooling())};
}

}  // namespace equimol::models
