#include "models/activation.h"

#include <torch/torch.h>

#include <stdexcept>

namespace equimol::models {

Activation activation_from_string(const std::string& name) {
  if (name == "silu") return Activation::kSiLU;
  if (name == "relu") return Activation::kReLU;
  if (name == "tanh") return Activation::kTanh;
  throw std::invalid_argument("activation '" + name + "' is not silu, relu or tanh");
}

std::string to_string(Activation activation) {
  switch (activation) {
    case Activation::kSiLU: return "silu";
    case Activation::kReLU: return "relu";
    case Activation::kTanh: return "tanh";
  }
  return "unknown";
}

at::Tensor activate(const at::Tensor& x, Activation activation) {
  switch (activation) {
    case Activation::kSiLU: return torch::silu(x);
    case Activation::kReLU: return torch::relu(x);
    case Activation::kTanh: return torch::tanh(x);
  }
  throw std::invalid_argument("activate: unknown activation " + std::to_string(static_cast<int>(activation)));
}

}  // namespace equimol::models
