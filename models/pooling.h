// Per-graph read-out of node features: sum (extensive, e.g. energies) or mean (intensive).
#pragma once

namespace equimol::models {

enum class Pooling { kSum, kMean };

}  // namespace equimol::models
