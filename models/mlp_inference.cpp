#include "models/mlp_inference.h"

#include <algorithm>

#include "models/dense_kernels.h"

namespace equimol::models {

void mlp_forward(const MLPWeights& weights, const float* x, std::int64_t rows, float* y, std::vector<float>& scratch) {
  std::int64_t widest = 0;
  for (std::size_t k = 0; k + 1 < weights.layers.size(); ++k) widest = std::max(widest, weights.layers[k].out);
  // Two hidden buffers, read from one while writing the other.
  const auto half = static_cast<std::size_t>(rows * widest);
  if (scratch.size() < 2 * half) scratch.resize(2 * half);
  const float* in = x;
  for (std::size_t k = 0; k < weights.layers.size(); ++k) {
    const MLPWeights::Layer& layer = weights.layers[k];
    const bool last = k + 1 == weights.layers.size();
    float* out = last ? y : scratch.data() + (k % 2) * half;
    kernels::linear(in, rows, layer.in, layer.wt.data(), layer.b.data(), layer.out, out);
    if (!last) kernels::activate(out, rows * layer.out, weights.activation);
    in = out;
  }
}

}  // namespace equimol::models
