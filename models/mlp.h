// A plain multilayer perceptron: Linear, activation, ..., Linear (no activation on the output).
#pragma once

#include <torch/torch.h>

#include "models/mlp_inference.h"
#include "models/mlp_options.h"

namespace equimol::models {

class MLPImpl : public torch::nn::Module {
 public:
  explicit MLPImpl(const MLPOptions& options);

  /// x [..., in_features] -> [..., out_features].
  torch::Tensor forward(const torch::Tensor& x);
  /// A float32 copy of the parameters for mlp_forward (a snapshot: take it again after training).
  MLPWeights inference_weights() const;

  const MLPOptions options;

 private:
  torch::nn::ModuleList layers_;  // Linear layers, hidden then output
};
TORCH_MODULE(MLP);

}  // namespace equimol::models
