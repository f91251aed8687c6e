#include "models/equivariant_linear.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/symmetrizer.h"

namespace equimol::models {

namespace {

EquivariantLinearOptions checked(const EquivariantLinearOptions& o) {
  check_representation(o.in().rep, "EquivariantLinear: input representation");
  check_representation(o.out().rep, "EquivariantLinear: output representation");
  if (o.in().rep.group_order() != o.out().rep.group_order()) {
    throw std::invalid_argument("EquivariantLinear: input and output representations list " +
                                std::to_string(o.in().rep.group_order()) + " and " +
                                std::to_string(o.out().rep.group_order()) + " group elements");
  }
  if (o.in().channels < 1 || o.out().channels < 1) {
    throw std::invalid_argument("EquivariantLinear: channels must be >= 1, got in " + std::to_string(o.in().channels) +
                                ", out " + std::to_string(o.out().channels));
  }
  return o;
}

torch::Tensor weight_basis(const EquivariantLinearOptions& o) {
  torch::Tensor basis = equivariant_basis(o.in().rep, o.out().rep, o.basis());
  if (basis.size(0) == 0) {
    throw std::invalid_argument("EquivariantLinear: the only equivariant linear map between the given input (dim " +
                                std::to_string(o.in().rep.dim) + ") and output (dim " + std::to_string(o.out().rep.dim) +
                                ") representations is zero");
  }
  return basis.to(torch::kFloat32);
}

/// Invariant vectors of the output representation: equivariant maps from the trivial representation.
torch::Tensor bias_basis(const EquivariantLinearOptions& o) {
  const Representation one = trivial(o.out().rep.group_order());
  return equivariant_basis(one, o.out().rep, o.basis()).squeeze(-1).to(torch::kFloat32);
}

}  // namespace

EquivariantLinearImpl::EquivariantLinearImpl(const EquivariantLinearOptions& o)
    : options(checked(o)), basis_(weight_basis(o)), bias_basis_(bias_basis(o)) {
  basis_ = register_buffer("basis", basis_);
  bias_basis_ = register_buffer("bias_basis", bias_basis_);
  const std::int64_t b = basis_.size(0);
  if (o.init() == WeightInit::kOrthogonal) {
    coefficients_ = register_parameter("coefficients", orthogonal_coefficients());
  } else {
    // Aim for entry variance gain^2 / fan_in: a block (o x i entries) then has E|W|^2 = o gain^2 / in.channels,
    // and E|W|^2 = std^2 sum_b |B_b|^2 (b for the orthonormal basis).
    const double norm2 = o.basis().kind() == BasisKind::kSvd ? static_cast<double>(b) : basis_.pow(2).sum().item<double>();
    const double std = o.gain() * std::sqrt(static_cast<double>(o.out().rep.dim) / (static_cast<double>(o.in().channels) * norm2));
    coefficients_ = register_parameter("coefficients", torch::randn({o.out().channels, o.in().channels, b}) * std);
  }
  if (o.bias() && bias_basis_.size(0) > 0) {
    bias_coefficients_ = register_parameter("bias_coefficients", torch::zeros({o.out().channels, bias_basis_.size(0)}));
  }
}

torch::Tensor EquivariantLinearImpl::orthogonal_coefficients() const {
  const auto& in = options.in();
  const auto& out = options.out();
  torch::Tensor w0 = torch::empty({out.dim(), in.dim()});
  torch::nn::init::orthogonal_(w0, options.gain());
  // Block (co, ci) of w0, [co, ci, o * i], projected onto the (mutually orthogonal) basis matrices.
  const torch::Tensor blocks =
      w0.view({out.channels, out.rep.dim, in.channels, in.rep.dim}).permute({0, 2, 1, 3}).reshape({out.channels, in.channels, -1});
  const torch::Tensor flat = basis_.flatten(1);  // [B, o * i]
  torch::Tensor c = blocks.matmul(flat.t()) / flat.pow(2).sum(1);
  const torch::Tensor projected = c.matmul(flat);
  const double scale = w0.norm().item<double>() / std::max(projected.norm().item<double>(), 1e-30);
  return c * scale;
}

torch::Tensor EquivariantLinearImpl::weight() const {
  const auto& in = options.in();
  const auto& out = options.out();
  // [co, ci, B] x [B, o * i] -> [co, ci, o, i] -> [co, o, ci, i]: block (co, ci) of the full matrix.
  return coefficients_.matmul(basis_.flatten(1))
      .view({out.channels, in.channels, out.rep.dim, in.rep.dim})
      .permute({0, 2, 1, 3})
      .reshape({out.dim(), in.dim()});
}

torch::Tensor EquivariantLinearImpl::bias() const {
  if (!bias_coefficients_.defined()) return torch::zeros({options.out().dim()}, basis_.options());
  return bias_coefficients_.matmul(bias_basis_).flatten();  // [co, o] channel-major
}

torch::Tensor EquivariantLinearImpl::forward(const torch::Tensor& x) {
  if (!bias_coefficients_.defined()) return torch::matmul(x, weight().t());
  return torch::addmm(bias(), x, weight().t());
}

}  // namespace equimol::models
