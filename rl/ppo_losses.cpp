#include "rl/ppo_losses.h"

#include <limits>

namespace equimol::rl {

namespace {
constexpr double kAdvantageEps = 1e-8;  // keeps the normalisation finite for equal advantages
}

PolicyLoss clipped_policy_loss(const torch::Tensor& new_log_prob, const torch::Tensor& old_log_prob,
                               const torch::Tensor& advantages, double clip_range) {
  const torch::Tensor log_ratio = new_log_prob - old_log_prob;
  const torch::Tensor ratio = log_ratio.exp();
  const torch::Tensor unclipped = -advantages * ratio;
  const torch::Tensor clipped = -advantages * torch::clamp(ratio, 1 - clip_range, 1 + clip_range);
  PolicyLoss result;
  result.loss = torch::max(unclipped, clipped).mean();
  torch::NoGradGuard no_grad;
  result.approx_kl = ((ratio - 1) - log_ratio).mean();
  result.clip_fraction = ((ratio - 1).abs() > clip_range).to(torch::kFloat).mean();
  return result;
}

torch::Tensor value_loss(const torch::Tensor& new_values, const torch::Tensor& old_values,
                         const torch::Tensor& returns, std::optional<double> clip_range_vf) {
  const torch::Tensor unclipped = (new_values - returns).pow(2);
  if (!clip_range_vf) return unclipped.mean();
  const torch::Tensor clipped_values =
      old_values + torch::clamp(new_values - old_values, -*clip_range_vf, *clip_range_vf);
  return torch::max(unclipped, (clipped_values - returns).pow(2)).mean();
}

torch::Tensor normalize_advantages(const torch::Tensor& advantages) {
  return (advantages - advantages.mean()) / (advantages.std() + kAdvantageEps);
}

double explained_variance(const torch::Tensor& values, const torch::Tensor& returns) {
  const double var_returns = returns.var().item<double>();
  if (var_returns == 0.0) return std::numeric_limits<double>::quiet_NaN();
  return 1.0 - (returns - values).var().item<double>() / var_returns;
}

}  // namespace equimol::rl
