#include "rl/graph_features.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace equimol::rl {

GraphLayout GraphLayout::of(const envs::GraphSpace& space) {
  return {space.max_atoms, space.node_feature_dim, space.global_dim};
}

void write_graph_row(const envs::GraphObservation& obs, const GraphLayout& layout, float* row) {
  const auto n = static_cast<std::int64_t>(obs.atomic_numbers.size());
  const std::int64_t m = layout.max_atoms, f = layout.node_feature_dim;
  if (n > m || static_cast<std::int64_t>(obs.positions_angstrom.size()) != 3 * n ||
      static_cast<std::int64_t>(obs.node_features.size()) != f * n ||
      static_cast<std::int64_t>(obs.globals.size()) != layout.global_dim) {
    throw std::invalid_argument("graph observation with " + std::to_string(n) + " atoms, " +
                                std::to_string(obs.node_features.size()) + " node features and " +
                                std::to_string(obs.globals.size()) + " globals does not fit max_atoms " +
                                std::to_string(m) + ", node_feature_dim " + std::to_string(f) + ", global_dim " +
                                std::to_string(layout.global_dim));
  }
  std::fill(row, row + layout.dim(), 0.0f);
  row[0] = static_cast<float>(n);
  std::copy(obs.atomic_numbers.begin(), obs.atomic_numbers.end(), row + 1);
  std::copy(obs.positions_angstrom.begin(), obs.positions_angstrom.end(), row + 1 + m);
  std::copy(obs.node_features.begin(), obs.node_features.end(), row + 1 + 4 * m);
  std::copy(obs.globals.begin(), obs.globals.end(), row + 1 + (4 + f) * m);
}

GraphBatch unpack_graphs(const torch::Tensor& rows, const GraphLayout& layout) {
  if (rows.dim() != 2 || rows.size(1) != layout.dim()) {
    throw std::invalid_argument("unpack_graphs: rows must be [B, " + std::to_string(layout.dim()) + "]");
  }
  const std::int64_t b = rows.size(0), m = layout.max_atoms, f = layout.node_feature_dim;
  GraphBatch g;
  g.counts = rows.select(1, 0).round().to(torch::kLong);
  const torch::Tensor host_counts = g.counts.cpu();
  g.sizes.assign(host_counts.data_ptr<std::int64_t>(), host_counts.data_ptr<std::int64_t>() + b);
  const torch::Tensor mask = torch::arange(m, g.counts.options()).unsqueeze(0) < g.counts.unsqueeze(1);  // [B, M]
  g.atomic_numbers = rows.slice(1, 1, 1 + m).index({mask}).round().to(torch::kLong);
  g.positions = rows.slice(1, 1 + m, 1 + 4 * m).reshape({b, m, 3}).index({mask});
  g.node_features = rows.slice(1, 1 + 4 * m, 1 + (4 + f) * m).reshape({b, m, f}).index({mask});
  g.globals = rows.slice(1, 1 + (4 + f) * m, layout.dim());
  g.first_node = g.counts.cumsum(0) - g.counts;
  const torch::Tensor batch = models::batch_from_sizes(g.sizes);
  g.graph = models::make_graph(models::complete_graph_edges(g.sizes), batch, b, rows.scalar_type());
  return g;
}

}  // namespace equimol::rl
