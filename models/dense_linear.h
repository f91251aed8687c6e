// A float32 CPU Linear layer whose forward and backward GEMMs run on the dense kernels
// (dense_kernels.h), for the per-edge layers of EGNN training: with [E, 64] x [64, 64] shapes the
// kernels beat both oneDNN and this machine's OpenBLAS, whose generic SSE3 fallback does the
// backward GEMMs otherwise (RESULTS.md). Same function and gradients as torch::linear.
#pragma once

#include <torch/torch.h>

#include <vector>

namespace equimol::models {

/// x [rows, in] float32 CPU, weight [out, in], bias [out] (may be undefined): x W^T + b, with
/// gradients for all three through autograd.
torch::Tensor dense_linear(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

/// A Linear weight [out, in] as the [in, out] row-major float32 values the kernels read.
std::vector<float> transposed_floats(const torch::Tensor& weight);

/// Any tensor's values, row-major, as float32.
std::vector<float> flat_floats(const torch::Tensor& tensor);

}  // namespace equimol::models
