// The pieces of PPO's loss (Schulman et al. 2017), each a pure function so tests can check them
// against hand-computed values. With ratio r = exp(log pi_new(a) - log pi_old(a)):
//   policy loss  = mean(max(-A r, -A clip(r, 1 - eps, 1 + eps)))
//   approx KL    = mean((r - 1) - log r)          (Schulman's low-variance estimator, as CleanRL)
//   clip frac    = mean(|r - 1| > eps)
//   value loss   = mean((V - R)^2), or with clipping around the old values V_old:
//                  mean(max((V - R)^2, (V_old + clip(V - V_old, -c, c) - R)^2))
#pragma once

#include <torch/torch.h>

#include <optional>

namespace equimol::rl {

struct PolicyLoss {
  torch::Tensor loss;           // scalar, differentiable
  torch::Tensor approx_kl;      // scalar, no grad
  torch::Tensor clip_fraction;  // scalar, no grad
};

PolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                               const torch::Tensor& advantages, double clip_range);

torch::Tensor value_loss(const torch::Tensor& new_values, const torch::Tensor& old_values,
                         const torch::Tensor& returns, std::optional<double> clip_range_vf);

/// (A - mean A) / (std A + 1e-8), with the unbiased std (as SB3 and CleanRL).
torch::Tensor normalize_advantages(const torch::Tensor& advantages);

/// 1 - Var(returns - values) / Var(returns); NaN when the returns are constant.
double explained_variance(const torch::Tensor& values, const torch::Tensor& returns);

}  // namespace equimol::rl
