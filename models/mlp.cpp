#include "models/mlp.h"

#include <stdexcept>
#include <string>

#include "models/dense_linear.h"

namespace equimol::models {

namespace {

MLPOptions checked(const MLPOptions& o) {
  if (o.in_features() < 1 || o.out_features() < 1) {
    throw std::invalid_argument("MLP: in_features (" + std::to_string(o.in_features()) + ") and out_features (" +
                                std::to_string(o.out_features()) + ") must be >= 1");
  }
  for (std::int64_t width : o.hidden_sizes()) {
    if (width < 1) throw std::invalid_argument("MLP: hidden size " + std::to_string(width) + " must be >= 1");
  }
  return o;
}

torch::nn::Linear make_linear(std::int64_t in, std::int64_t out, bool ortho_init, double gain) {
  torch::nn::Linear layer(in, out);
  if (ortho_init) {
    torch::NoGradGuard no_grad;
    torch::nn::init::orthogonal_(layer->weight, gain);
    torch::nn::init::zeros_(layer->bias);
  }
  return layer;
}

torch::nn::ModuleList make_layers(const MLPOptions& o) {
  torch::nn::ModuleList layers;
  std::int64_t in = o.in_features();
  for (std::int64_t width : o.hidden_sizes()) {
    layers->push_back(make_linear(in, width, o.ortho_init(), o.hidden_gain()));
    in = width;
  }
  layers->push_back(make_linear(in, o.out_features(), o.ortho_init(), o.output_gain()));
  return layers;
}

}  // namespace

MLPImpl::MLPImpl(const MLPOptions& o) : options(checked(o)), layers_(make_layers(o)) {
  register_module("layers", layers_);
}

torch::Tensor MLPImpl::forward(const torch::Tensor& x) {
  torch::Tensor z = x;
  const std::size_t last = layers_->size() - 1;
  for (std::size_t k = 0; k <= last; ++k) {
    z = layers_[k]->as<torch::nn::LinearImpl>()->forward(z);
    if (k < last) z = activate(z, options.activation());
  }
  return z;
}

MLPWeights MLPImpl::inference_weights() const {
  MLPWeights weights;
  weights.activation = options.activation();
  for (const auto& module : *layers_) {
    const auto& linear = *module->as<torch::nn::LinearImpl>();
    weights.layers.push_back({linear.weight.size(1), linear.weight.size(0), transposed_floats(linear.weight),
                              flat_floats(linear.bias)});
  }
  return weights;
}

}  // namespace equimol::models
