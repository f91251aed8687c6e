// Pointwise nonlinearities shared by the models. The enum is torch-free so option headers stay light;
// activate() is the one place that maps it to a torch op.
#pragma once

#include <string>

namespace at {
class Tensor;
}

namespace equimol::models {

enum class Activation { kSiLU, kReLU, kTanh };

/// "silu" | "relu" | "tanh"; anything else throws std::invalid_argument naming the value.
Activation activation_from_string(const std::string& name);
std::string to_string(Activation activation);

/// The nonlinearity applied elementwise (so it commutes with any permutation of the entries).
at::Tensor activate(const at::Tensor& x, Activation activation);

}  // namespace equimol::models
