// A float32 CPU Linear layer whose forward and backward GEMMs run on the dense kernels
// (dense_kernels.h), for the per-edge layers of EGNN training: with [E, 64] x [64, 64] shapes the
// kernels beat both oneDNN and this machine's OpenBLAS, whose generic SSE3 fallback does the
// backward GEMMs otherwise (RESULTS.md). Same function and gradients as torch::linear.
#pragma once

#include <torch/torch.h>

namespace equimol::models {

/// x [rows, in] float32 CPU, weight [out, in], bias [out] (may be undefined): x W^T + b, with
/// gradients for all three through autograd.
torch::Tensor dense_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

}  // namespace equimol::models
