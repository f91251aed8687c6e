// Options of the plain MLP (light header).
#pragma once

#include <torch/arg.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "models/activation.h"

namespace equimol::models {

struct MLPOptions {
  MLPOptions(std::int64_t in_features, std::int64_t out_features)
      : in_features_(in_features), out_features_(out_features) {}
  TORCH_ARG(std::int64_t, in_features);
  TORCH_ARG(std::int64_t, out_features);
  TORCH_ARG(std::vector<std::int64_t>, hidden_sizes) = std::vector<std::int64_t>{64, 64};
  TORCH_ARG(Activation, activation) = Activation::kTanh;
  /// Orthogonal weights and zero biases, as in CleanRL's layer_init; else torch's default init.
  TORCH_ARG(bool, ortho_init) = true;
  TORCH_ARG(double, hidden_gain) = std::sqrt(2.0);
  /// E.g. 0.01 for a policy head (near-uniform start), 1 for a value head.
  TORCH_ARG(double, output_gain) = 1.0;
};

}  // namespace equimol::models
