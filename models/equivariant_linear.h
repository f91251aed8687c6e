// A linear layer constrained to be equivariant: y = W x + b with K_g W = W L_g and K_g b = b for
// every group element. Following van der Pol et al. (2020), W is a learned combination of a fixed
// basis: for each (out channel, in channel) pair, W's block is sum_b c[o, i, b] B_b, where B_b spans
// the equivariant maps of one input copy to one output copy (equivariant_basis). The bias is a learned
// combination of the invariant vectors of the output representation, per output channel.
#pragma once

#include <torch/torch.h>

#include "models/symmetrizer_options.h"

namespace equimol::models {

class EquivariantLinearImpl : public torch::nn::Module {
 public:
  explicit EquivariantLinearImpl(const EquivariantLinearOptions& options);

  /// x [B, in.dim()] -> [B, out.dim()], channel-major as in FeatureType.
  torch::Tensor forward(const torch::Tensor& x);

  /// The full weight matrix [out.dim(), in.dim()] from the coefficients.
  torch::Tensor weight() const;
  /// The bias [out.dim()] (zeros when the output has no invariant vectors or options.bias is off).
  torch::Tensor bias() const;
  /// Number of independent weights: out.channels * in.channels * (basis size per channel pair).
  std::int64_t weight_dimension() const { return coefficients_.numel(); }

  const EquivariantLinearOptions options;

 private:
  /// WeightInit::kOrthogonal: the coefficients of an orthogonal matrix's projection, rescaled to its norm.
  torch::Tensor orthogonal_coefficients() const;

  torch::Tensor basis_;              // buffer [B, out.rep.dim, in.rep.dim]
  torch::Tensor coefficients_;       // [out.channels, in.channels, B]
  torch::Tensor bias_basis_;         // buffer [Bb, out.rep.dim]
  torch::Tensor bias_coefficients_;  // [out.channels, Bb]; undefined without bias
};
TORCH_MODULE(EquivariantLinear);

}  // namespace equimol::models
