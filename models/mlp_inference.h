// A plain MLP's forward pass on float32 arrays, for acting at batch size 1 (an agent's heads on a few
// atoms): the dense kernels and no LibTorch operator dispatch. Torch-free; MLPImpl::inference_weights()
// takes the copy of a module's parameters.
#pragma once

#include <cstdint>
#include <vector>

#include "models/activation.h"

namespace equimol::models {

struct MLPWeights {
  struct Layer {
    std::int64_t in = 0, out = 0;
    std::vector<float> wt;  // the weight transposed, [in, out] row-major (kernels::linear's layout)
    std::vector<float> b;   // [out]
  };
  Activation activation = Activation::kTanh;  // after every layer but the last
  std::vector<Layer> layers;

  std::int64_t in_features() const { return layers.front().in; }
  std::int64_t out_features() const { return layers.back().out; }
};

/// y [rows, out_features] = MLP(x [rows, in_features]), both row-major; y must not alias x. `scratch`
/// holds the hidden activations and grows as needed: pass the same vector to every call.
void mlp_forward(const MLPWeights& weights, const float* x, std::int64_t rows, float* y, std::vector<float>& scratch);

}  // namespace equimol::models
