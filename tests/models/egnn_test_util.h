// Random batched graph inputs for the EGNN tests.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "model_test_util.h"
#include "models/graph_ops.h"

namespace equimol::models::testing {

struct GraphInputs {
  torch::Tensor edges;      // [2, E] complete graph per molecule
  torch::Tensor batch;      // [N]
  std::int64_t num_graphs = 0;
  torch::Tensor h;          // [N, features]
  torch::Tensor x;          // [N, n]
  torch::Tensor v;          // [N, n]
  torch::Tensor edge_attr;  // [E, edge_features] (empty width when 0)
  Graph graph(torch::Dtype dtype) const { return make_graph(edges, batch, num_graphs, dtype); }
};

inline GraphInputs random_inputs(const std::vector<std::int64_t>& sizes, std::int64_t features,
                                 std::int64_t edge_features, std::int64_t n, torch::Dtype dtype, std::uint64_t seed) {
  auto gen = generator(seed);
  GraphInputs in;
  in.batch = batch_from_sizes(sizes);
  in.edges = complete_graph_edges(sizes);
  in.num_graphs = static_cast<std::int64_t>(sizes.size());
  const std::int64_t nodes = in.batch.size(0);
  in.h = torch::randn({nodes, features}, gen, torch::kFloat64).to(dtype);
  in.x = (2.0 * torch::randn({nodes, n}, gen, torch::kFloat64)).to(dtype);
  in.v = torch::randn({nodes, n}, gen, torch::kFloat64).to(dtype);
  in.edge_attr = torch::randn({in.edges.size(1), edge_features}, gen, torch::kFloat64).to(dtype);
  return in;
}

}  // namespace equimol::models::testing
