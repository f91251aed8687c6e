// GraphSpace observations as fixed-length rows, so that PPO's [T, N, obs_dim] storage takes them as
// it takes Box observations, and back into a batched graph for the molecular agents.
//
// Row layout for a GraphSpace with M = max_atoms, F = node_feature_dim, G = global_dim:
//   [n_present, Z_1..Z_M, x_1 y_1 z_1 .. x_M y_M z_M, f_1(1..F) .. f_M(1..F), g_1..g_G]
// Atoms beyond n_present are zero padding. An empty canvas (DesignEnv's first observation) has
// n_present = 0 and gives a graph with no nodes.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "envs/spaces.h"
#include "envs/types.h"
#include "models/graph_ops.h"

namespace equimol::rl {

struct GraphLayout {
  std::int64_t max_atoms = 0;
  std::int64_t node_feature_dim = 0;
  std::int64_t global_dim = 0;

  static GraphLayout of(const envs::GraphSpace& space);
  std::int64_t dim() const { return 1 + (4 + node_feature_dim) * max_atoms + global_dim; }
};

/// Writes one observation as a row of layout.dim() floats; more atoms or other feature sizes than
/// the layout allows throw std::invalid_argument.
void write_graph_row(const envs::GraphObservation& obs, const GraphLayout& layout, float* row);

/// A batch of molecules unpacked from rows [B, layout.dim()] (float32 or float64; outputs keep it).
struct GraphBatch {
  torch::Tensor atomic_numbers;  // [N] int64, atoms of all molecules concatenated
  torch::Tensor positions;       // [N, 3]
  torch::Tensor node_features;   // [N, F]
  torch::Tensor globals;         // [B, G]
  torch::Tensor counts;          // [B] int64 atoms per molecule
  std::vector<std::int64_t> sizes;  // the same, on the host
  torch::Tensor first_node;      // [B] int64 index of each molecule's first atom in the node tensors
  models::Graph graph;           // complete graph within each molecule, batch vector, B graphs
};

GraphBatch unpack_graphs(const torch::Tensor& rows, const GraphLayout& layout);

}  // namespace equimol::rl
