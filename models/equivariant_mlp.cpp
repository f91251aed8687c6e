#include "models/equivariant_mlp.h"

#include <stdexcept>
#include <string>

namespace equimol::models {

namespace {

EquivariantMLPOptions checked(const EquivariantMLPOptions& o) {
  const auto& f = o.features();
  if (f.size() < 2) {
    throw std::invalid_argument("EquivariantMLP: needs at least input and output feature types, got " +
                                std::to_string(f.size()));
  }
  for (std::size_t k = 1; k + 1 < f.size(); ++k) {
    if (!f[k].rep.is_permutation()) {
      throw std::invalid_argument("EquivariantMLP: hidden feature type " + std::to_string(k) +
                                  " is not a permutation representation, so the activation would break equivariance");
    }
  }
  return o;
}

torch::nn::ModuleList make_layers(const EquivariantMLPOptions& o) {
  torch::nn::ModuleList layers;
  const auto& f = o.features();
  for (std::size_t k = 0; k + 1 < f.size(); ++k) {
    const double gain = k + 2 == f.size() ? o.output_gain() : o.hidden_gain();
    layers->push_back(EquivariantLinear(EquivariantLinearOptions(f[k], f[k + 1]).gain(gain).init(o.init()).basis(o.basis())));
  }
  return layers;
}

}  // namespace

EquivariantMLPImpl::EquivariantMLPImpl(const EquivariantMLPOptions& o)
    : options(checked(o)), layers_(make_layers(o)) {
  register_module("layers", layers_);
}

torch::Tensor EquivariantMLPImpl::forward(const torch::Tensor& x) {
  torch::Tensor z = x;
  const std::size_t last = layers_->size() - 1;
  for (std::size_t k = 0; k <= last; ++k) {
    z = layers_[k]->as<EquivariantLinearImpl>()->forward(z);
    if (k < last) z = activate(z, options.activation());
  }
  return z;
}

}  // namespace equimol::models
