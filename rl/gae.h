// Generalised advantage estimation, GAE(gamma, lambda) (Schulman et al. 2016), as a pure function
// of a [T, N] rollout, with terminations and truncations kept apart:
//   next value  V' = 0 if the step terminated, V(final obs) if it was truncated, else V(s_{t+1})
//   delta_t     = r_t + gamma V' - V(s_t)
//   A_t         = delta_t + gamma lambda A_{t+1}, with the trace cut where an episode ended
//   returns_t   = A_t + V(s_t)
#pragma once

#include <torch/torch.h>

namespace equimol::rl {

struct GaeResult {
  torch::Tensor advantages;  // [T, N]
  torch::Tensor returns;     // [T, N], the value targets
};

/// rewards, values, terminated, truncated (as 0/1 floats) and final_values are [T, N];
/// final_values[t] is the value of the final observation where truncated[t], else ignored;
/// last_values [N] is the value of the observation after the last step.
GaeResult compute_gae(const torch::Tensor& rewards, const torch::Tensor& values,
                      const torch::Tensor& terminated, const torch::Tensor& truncated,
                      const torch::Tensor& final_values, const torch::Tensor& last_values, double gamma,
                      double lambda);

}  // namespace equimol::rl
