// Batched graphs and the free functions that act on them. A batch is the concatenation of its graphs:
// node tensors are [N_total, ...], `batch` [N_total] gives each node's graph, and an edge e carries a
// message from node j = col[e] (sender) to node i = row[e] (receiver), as in EGNN (edge_index[0] = i).
// Sums over segments use index_add_ (one index per row, no expanded scatter index).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "models/pooling.h"

namespace equimol::models {

/// The topology of a batch, with what every layer would otherwise recompute (degrees, graph sizes).
struct Graph {
  torch::Tensor edge_index;      // [2, E] int64: row 0 receivers i, row 1 senders j
  torch::Tensor row;             // [E] int64, i
  torch::Tensor col;             // [E] int64, j
  torch::Tensor batch;           // [N] int64, graph id of each node
  torch::Tensor inv_degree;      // [N, 1] float, 1 / max(in-degree, 1): mean over a node's messages
  torch::Tensor inv_graph_size;  // [G, 1] float, 1 / max(nodes in graph, 1): mean pooling
  std::int64_t num_nodes = 0;
  std::int64_t num_graphs = 0;
};

/// Checks shapes, dtypes and index ranges (throws std::invalid_argument) and precomputes the
/// degree terms in `float_dtype`, the dtype of the features the graph will be used with.
Graph make_graph(const torch::Tensor& edge_index, const torch::Tensor& batch, std::int64_t num_graphs,
                 torch::Dtype float_dtype = torch::kFloat32);

/// Batch vector [sum(sizes)] = 0,0,...,1,1,... for graphs of the given sizes laid one after another.
torch::Tensor batch_from_sizes(const std::vector<std::int64_t>& sizes);

/// Complete graph (all ordered pairs i != j) within each graph of consecutive sizes: [2, sum n(n-1)].
torch::Tensor complete_graph_edges(const std::vector<std::int64_t>& sizes);

/// Complete graph within each graph of a batch vector, which need not be sorted.
torch::Tensor complete_graph_edges(const torch::Tensor& batch);

/// All ordered pairs i != j of the same graph with |x_i - x_j| < cutoff. Dense O(N^2) distances:
/// meant for the small molecules of our environments, not for large periodic systems.
torch::Tensor radius_graph_edges(const torch::Tensor& x, const torch::Tensor& batch, double cutoff);

/// out[s] = sum of data rows whose segment_ids equal s; [num_segments, ...].
torch::Tensor segment_sum(const torch::Tensor& data, const torch::Tensor& segment_ids, std::int64_t num_segments);

/// Mean per segment; empty segments give 0.
torch::Tensor segment_mean(const torch::Tensor& data, const torch::Tensor& segment_ids, std::int64_t num_segments);

/// Per-graph read-out of node features [N, F] -> [G, F].
torch::Tensor pool(const torch::Tensor& node_features, const Graph& graph, Pooling pooling);

}  // namespace equimol::models
