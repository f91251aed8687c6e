// A stack of EquivariantLinear layers with an elementwise activation between them. Each hidden
// feature type must be a permutation representation (checked), because an elementwise function
// commutes with permutations: act(P z) = P act(z). So the whole network satisfies
// f(L_g x) = K_g f(x) for every group element g, L the input and K the output representation.
#pragma once

#include <torch/torch.h>

#include "models/equivariant_linear.h"
#include "models/symmetrizer_options.h"

namespace equimol::models {

class EquivariantMLPImpl : public torch::nn::Module {
 public:
  explicit EquivariantMLPImpl(const EquivariantMLPOptions& options);

  /// x [B, features.front().dim()] -> [B, features.back().dim()].
  torch::Tensor forward(const torch::Tensor& x);

  const EquivariantMLPOptions options;

 private:
  torch::nn::ModuleList layers_;  // EquivariantLinear, one per consecutive pair of feature types
};
TORCH_MODULE(EquivariantMLP);

}  // namespace equimol::models
