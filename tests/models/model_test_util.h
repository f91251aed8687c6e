// Helpers for the models tests: seeded random orthogonal maps, permutations, and error measures.
#pragma once

#include <torch/torch.h>

#include <ATen/CPUGeneratorImpl.h>

#include <cstdint>

namespace equimol::models::testing {

inline at::Generator generator(std::uint64_t seed) { return at::make_generator<at::CPUGeneratorImpl>(seed); }

/// A random n x n orthogonal matrix (float64) with determinant +1 (rotation) or -1 (reflection).
inline torch::Tensor random_orthogonal(std::int64_t n, bool reflection, at::Generator& gen) {
  const auto qr = torch::linalg_qr(torch::randn({n, n}, gen, torch::kFloat64));
  torch::Tensor q = std::get<0>(qr) * torch::sign(torch::diagonal(std::get<1>(qr))).unsqueeze(0);  // unique QR
  const bool is_reflection = torch::det(q).item<double>() < 0.0;
  if (is_reflection != reflection) q.select(1, 0).neg_();  // flipping one column flips the determinant
  return q;
}

inline torch::Tensor random_permutation(std::int64_t n, at::Generator& gen) {
  return torch::randperm(n, gen, torch::kInt64);
}

/// Largest absolute entry of a - b.
inline double max_error(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.to(torch::kFloat64) - b.to(torch::kFloat64)).abs().max().item<double>();
}

}  // namespace equimol::models::testing
