// Declared observation and action spaces (Gymnasium's Discrete and Box, plus the molecular graph
// observation the molecular envs use). A space says what an env accepts and returns; agents size
// their inputs and heads from it.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace equimol::envs {

/// {0, 1, ..., n-1}. Actions are indices (Gymnasium `Discrete(n)`).
struct Discrete {
  std::int64_t n = 0;
};

/// A 1-D box of reals, low[i] <= x[i] <= high[i]; infinite bounds allowed (Gymnasium `Box`).
/// Gymnasium stores classic-control observations as float32; EquiMol keeps the float64 values.
struct Box {
  std::vector<double> low;
  std::vector<double> high;
  std::int64_t dim() const { return static_cast<std::int64_t>(low.size()); }
};

/// A molecular graph: up to max_atoms atoms with atomic numbers from `elements`, 3-D positions in Å
/// and node_feature_dim extra features per atom. Observations are GraphObservation values.
struct GraphSpace {
  std::int64_t max_atoms = 0;
  std::vector<int> elements;         // allowed atomic numbers Z
  std::int64_t node_feature_dim = 0;  // extra per-atom features beyond Z and position
  std::int64_t global_dim = 0;        // per-molecule features (GraphObservation::globals)
};

using Space = std::variant<Discrete, Box, GraphSpace>;

/// "Discrete(2)", "Box(4)", "Graph(max_atoms=12)": for messages and run configs.
std::string describe(const Space& space);

/// Box(low, high) checked: same sizes and low <= high, else std::invalid_argument.
Box make_box(std::vector<double> low, std::vector<double> high);

}  // namespace equimol::envs
