#include "envs/spaces.h"

#include <stdexcept>
#include <string>

namespace equimol::envs {

std::string describe(const Space& space) {
  if (const auto* d = std::get_if<Discrete>(&space)) return "Discrete(" + std::to_string(d->n) + ")";
  if (const auto* b = std::get_if<Box>(&space)) return "Box(" + std::to_string(b->dim()) + ")";
  const auto& g = std::get<GraphSpace>(space);
  return "Graph(max_atoms=" + std::to_string(g.max_atoms) + ")";
}

Box make_box(std::vector<double> low, std::vector<double> high) {
  if (low.size() != high.size() || low.empty()) {
    throw std::invalid_argument("Box: low has " + std::to_string(low.size()) + " values and high has " +
                                std::to_string(high.size()) + "; they must match and be non-empty");
  }
  for (std::size_t i = 0; i < low.size(); ++i) {
    if (!(low[i] <= high[i])) {
      throw std::invalid_argument("Box: low[" + std::to_string(i) + "] = " + std::to_string(low[i]) +
                                  " exceeds high[" + std::to_string(i) + "] = " + std::to_string(high[i]));
    }
  }
  return Box{std::move(low), std::move(high)};
}

}  // namespace equimol::envs
