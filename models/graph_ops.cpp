#include "models/graph_ops.h"

#include <stdexcept>
#include <string>

namespace equimol::models {

namespace {

std::string shape(const torch::Tensor& t) {
  std::string s = "[";
  for (std::int64_t d = 0; d < t.dim(); ++d) s += (d ? ", " : "") + std::to_string(t.size(d));
  return s + "]";
}

void check_batch(const torch::Tensor& batch, const char* who) {
  if (batch.dim() != 1 || batch.scalar_type() != torch::kInt64) {
    throw std::invalid_argument(std::string(who) + ": batch must be a 1-D int64 tensor, got shape " + shape(batch));
  }
}

torch::Tensor edges_from_pairs(const std::vector<std::int64_t>& rows, const std::vector<std::int64_t>& cols) {
  const auto e = static_cast<std::int64_t>(rows.size());
  torch::Tensor edges = torch::empty({2, e}, torch::kInt64);
  std::copy(rows.begin(), rows.end(), edges.data_ptr<std::int64_t>());
  std::copy(cols.begin(), cols.end(), edges.data_ptr<std::int64_t>() + e);
  return edges;
}

}  // namespace

Graph make_graph(const torch::Tensor& edge_index, const torch::Tensor& batch, std::int64_t num_graphs,
                 torch::Dtype float_dtype) {
  check_batch(batch, "make_graph");
  if (edge_index.dim() != 2 || edge_index.size(0) != 2 || edge_index.scalar_type() != torch::kInt64) {
    throw std::invalid_argument("make_graph: edge_index must be int64 [2, E], got shape " + shape(edge_index));
  }
  const std::int64_t n = batch.size(0);
  if (edge_index.numel() > 0 && (edge_index.min().item<std::int64_t>() < 0 || edge_index.max().item<std::int64_t>() >= n)) {
    throw std::invalid_argument("make_graph: edge_index has node ids outside [0, " + std::to_string(n) + ")");
  }
  if (n > 0 && (batch.min().item<std::int64_t>() < 0 || batch.max().item<std::int64_t>() >= num_graphs)) {
    throw std::invalid_argument("make_graph: batch has graph ids outside [0, num_graphs = " +
                                std::to_string(num_graphs) + ")");
  }
  Graph g;
  g.edge_index = edge_index.contiguous();
  g.row = g.edge_index[0];
  g.col = g.edge_index[1];
  g.batch = batch;
  g.num_nodes = n;
  g.num_graphs = num_graphs;
  const auto opts = torch::TensorOptions().dtype(float_dtype);
  g.inv_degree = torch::bincount(g.row, {}, n).to(opts).clamp_min(1.0).reciprocal().unsqueeze(1);
  g.inv_graph_size = torch::bincount(batch, {}, num_graphs).to(opts).clamp_min(1.0).reciprocal().unsqueeze(1);
  return g;
}

torch::Tensor batch_from_sizes(const std::vector<std::int64_t>& sizes) {
  std::vector<std::int64_t> ids;
  for (std::size_t g = 0; g < sizes.size(); ++g) {
    if (sizes[g] < 0) throw std::invalid_argument("batch_from_sizes: size " + std::to_string(sizes[g]) + " < 0");
    ids.insert(ids.end(), sizes[g], static_cast<std::int64_t>(g));
  }
  return torch::tensor(ids, torch::kInt64);
}

torch::Tensor complete_graph_edges(const std::vector<std::int64_t>& sizes) {
  std::vector<std::int64_t> rows, cols;
  std::int64_t offset = 0;
  for (std::int64_t n : sizes) {
    if (n < 0) throw std::invalid_argument("complete_graph_edges: graph size " + std::to_string(n) + " < 0");
    for (std::int64_t i = 0; i < n; ++i) {
      for (std::int64_t j = 0; j < n; ++j) {
        if (i == j) continue;
        rows.push_back(offset + i);
        cols.push_back(offset + j);
      }
    }
    offset += n;
  }
  return edges_from_pairs(rows, cols);
}

torch::Tensor complete_graph_edges(const torch::Tensor& batch) {
  check_batch(batch, "complete_graph_edges");
  const torch::Tensor ids = batch.contiguous();
  const std::int64_t* b = ids.data_ptr<std::int64_t>();
  const std::int64_t n = ids.size(0);
  std::vector<std::int64_t> rows, cols;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      if (i == j || b[i] != b[j]) continue;
      rows.push_back(i);
      cols.push_back(j);
    }
  }
  return edges_from_pairs(rows, cols);
}

torch::Tensor radius_graph_edges(const torch::Tensor& x, const torch::Tensor& batch, double cutoff) {
  check_batch(batch, "radius_graph_edges");
  if (x.dim() != 2 || x.size(0) != batch.size(0)) {
    throw std::invalid_argument("radius_graph_edges: positions " + shape(x) + " do not match batch " + shape(batch));
  }
  if (!(cutoff > 0.0)) throw std::invalid_argument("radius_graph_edges: cutoff " + std::to_string(cutoff) + " must be > 0");
  torch::NoGradGuard no_grad;
  const torch::Tensor d2 = (x.unsqueeze(1) - x.unsqueeze(0)).pow(2).sum(-1);  // exact squares, no cdist shortcut
  const torch::Tensor same_graph = batch.unsqueeze(1) == batch.unsqueeze(0);
  const torch::Tensor not_self = torch::eye(x.size(0), torch::kBool).logical_not();
  return torch::nonzero(same_graph & not_self & (d2 < cutoff * cutoff)).t().contiguous();
}

torch::Tensor segment_sum(const torch::Tensor& data, const torch::Tensor& segment_ids, std::int64_t num_segments) {
  auto sizes = data.sizes().vec();
  sizes[0] = num_segments;
  return torch::zeros(sizes, data.options()).index_add_(0, segment_ids, data);
}

torch::Tensor segment_mean(const torch::Tensor& data, const torch::Tensor& segment_ids, std::int64_t num_segments) {
  const torch::Tensor count = torch::bincount(segment_ids, {}, num_segments).to(data.options()).clamp_min(1.0);
  auto shape_for_broadcast = std::vector<std::int64_t>(data.dim(), 1);
  shape_for_broadcast[0] = num_segments;
  return segment_sum(data, segment_ids, num_segments) / count.view(shape_for_broadcast);
}

torch::Tensor pool(const torch::Tensor& node_features, const Graph& graph, Pooling pooling) {
  const torch::Tensor sum = segment_sum(node_features, graph.batch, graph.num_graphs);
  return pooling == Pooling::kSum ? sum : sum * graph.inv_graph_size.to(sum.scalar_type());
}

}  // namespace equimol::models
