// Action distributions for policies: Categorical (discrete) and diagonal Gaussian with a
// state-independent log-std (continuous). Batched: leading dimension B.
// Sampling draws from torch's default CPU generator, so torch::manual_seed reproduces it.
#pragma once

#include <torch/torch.h>

#include <memory>

namespace equimol::rl {

class Distribution {
 public:
  virtual ~Distribution() = default;
  virtual torch::Tensor sample() const = 0;    // [B] int64 or [B, d] float
  virtual torch::Tensor mode() const = 0;      // the greedy action: argmax or the mean
  virtual torch::Tensor log_prob(const torch::Tensor& actions) const = 0;  // [B]
  virtual torch::Tensor entropy() const = 0;   // [B]
};

/// pi(a) = softmax(logits)[a].
class Categorical : public Distribution {
 public:
  explicit Categorical(const torch::Tensor& logits);  // [B, n]
  torch::Tensor sample() const override;
  torch::Tensor mode() const override;
  torch::Tensor log_prob(const torch::Tensor& actions) const override;
  torch::Tensor entropy() const override;

 private:
  torch::Tensor log_probs_;  // normalised logits, [B, n]
};

/// Independent normals per action dimension: log N(a; mu, sigma) summed over dimensions, with
/// log N = -(a - mu)^2 / (2 sigma^2) - log sigma - log(2 pi) / 2 and entropy 1/2 + log(2 pi)/2 + log sigma.
class DiagGaussian : public Distribution {
 public:
  DiagGaussian(const torch::Tensor& mean, const torch::Tensor& log_std);  // [B, d], [d] or [B, d]
  torch::Tensor sample() const override;
  torch::Tensor mode() const override;
  torch::Tensor log_prob(const torch::Tensor& actions) const override;
  torch::Tensor entropy() const override;

 private:
  torch::Tensor mean_;
  torch::Tensor log_std_;  // broadcast to [B, d]
};

}  // namespace equimol::rl
