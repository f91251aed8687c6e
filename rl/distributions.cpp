#include "rl/distributions.h"

#include <cmath>

namespace equimol::rl {

namespace {
constexpr double kHalfLogTwoPi = 0.91893853320467274178;  // log(2 pi) / 2
}

Categorical::Categorical(const torch::Tensor& logits) : log_probs_(torch::log_softmax(logits, -1)) {}

torch::Tensor Categorical::sample() const {
  return torch::multinomial(log_probs_.exp(), 1, /*replacement=*/true).squeeze(-1);
}

torch::Tensor Categorical::mode() const { return log_probs_.argmax(-1); }

torch::Tensor Categorical::log_prob(const torch::Tensor& actions) const {
  return log_probs_.gather(-1, actions.to(torch::kLong).unsqueeze(-1)).squeeze(-1);
}

torch::Tensor Categorical::entropy() const { return -(log_probs_.exp() * log_probs_).sum(-1); }

DiagGaussian::DiagGaussian(const torch::Tensor& mean, const torch::Tensor& log_std)
    : mean_(mean), log_std_(log_std.expand_as(mean)) {}

torch::Tensor DiagGaussian::sample() const {
  return mean_ + log_std_.exp() * torch::randn_like(mean_);
}

torch::Tensor DiagGaussian::mode() const { return mean_; }

torch::Tensor DiagGaussian::log_prob(const torch::Tensor& actions) const {
  const torch::Tensor z = (actions - mean_) * torch::exp(-log_std_);
  return (-0.5 * z * z - log_std_ - kHalfLogTwoPi).sum(-1);
}

torch::Tensor DiagGaussian::entropy() const { return (0.5 + kHalfLogTwoPi + log_std_).sum(-1); }

}  // namespace equimol::rl
