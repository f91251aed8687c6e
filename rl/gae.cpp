#include "rl/gae.h"

namespace equimol::rl {

GaeResult compute_gae(const torch::Tensor& rewards, const torch::Tensor& values,
                      const torch::Tensor& terminated, const torch::Tensor& truncated,
                      const torch::Tensor& final_values, const torch::Tensor& last_values, double gamma,
                      double lambda) {
  torch::NoGradGuard no_grad;
  const auto num_steps = rewards.size(0);
  torch::Tensor advantages = torch::zeros_like(rewards);
  torch::Tensor next_advantage = torch::zeros_like(last_values);
  for (auto t = num_steps - 1; t >= 0; --t) {
    const torch::Tensor next_values = t == num_steps - 1 ? last_values : values[t + 1];
    const torch::Tensor ended = torch::clamp(terminated[t] + truncated[t], 0, 1);
    // Bootstrap: nothing after a termination, V(final obs) after a truncation, else V(s_{t+1}).
    const torch::Tensor bootstrap = (1 - terminated[t]) * torch::where(truncated[t] > 0, final_values[t], next_values);
    const torch::Tensor delta = rewards[t] + gamma * bootstrap - values[t];
    next_advantage = delta + gamma * lambda * (1 - ended) * next_advantage;
    advantages[t] = next_advantage;
  }
  return {advantages, advantages + values};
}

}  // namespace equimol::rl
