// Laws on the unit sphere S² and the interval used by the molecular policies, as tensor functions.
// Each law below is rotationally symmetric about an axis: rotating the axis rotates the density, so a
// policy whose axes are equivariant vectors has an exactly equivariant direction law.
//
//   von Mises–Fisher  p(u) = κ / (4π sinh κ) · exp(κ μ·u)          (κ = 0: uniform, 1/4π)
//   cone              t = μ·u ~ 2·Beta(a, b) − 1, azimuth uniform:  p(u) = Beta((1+t)/2; a, b) / (4π)
//                     (a, b > 1 concentrate u on the cone μ·u = (a − b)/(a + b − 2): bond angles)
// Samplers draw from torch's default generator (torch::manual_seed reproduces them).
#pragma once

#include <torch/torch.h>

namespace equimol::rl {

/// log p(u) of vMF(mu, kappa) on S²; mu, u [..., 3] unit, kappa [...] >= 0.
torch::Tensor vmf_log_prob(const torch::Tensor& mu, const torch::Tensor& kappa, const torch::Tensor& u);
/// Samples [B, 3] by Wood's (1994) rejection algorithm for the cosine w = μ·u (m = 3), then a uniform
/// azimuth; mu [B, 3] unit, kappa [B].
torch::Tensor vmf_sample(const torch::Tensor& mu, const torch::Tensor& kappa);
/// Entropy −log C(κ) − κ A(κ), A(κ) = coth κ − 1/κ the mean resultant length.
torch::Tensor vmf_entropy(const torch::Tensor& kappa);
/// A(κ) = E[μ·u] = coth κ − 1/κ.
torch::Tensor vmf_mean_resultant_length(const torch::Tensor& kappa);

/// The cone law above: log p(u), a sample [B, 3], the entropy, and its mode (a point of the cone of
/// largest density, at the azimuth of `reference` projected off the axis, or any azimuth if none).
torch::Tensor cone_log_prob(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b,
                            const torch::Tensor& u);
torch::Tensor cone_sample(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b);
torch::Tensor cone_entropy(const torch::Tensor& a, const torch::Tensor& b);
torch::Tensor cone_mode(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b,
                        const torch::Tensor& reference);

/// Beta(a, b) on [0, 1]: log density (x clamped 1e-12 inside the interval), samples (via Gamma draws),
/// entropy and mode ((a − 1)/(a + b − 2), for a, b > 1).
torch::Tensor beta_log_prob(const torch::Tensor& x, const torch::Tensor& a, const torch::Tensor& b);
torch::Tensor beta_sample(const torch::Tensor& a, const torch::Tensor& b);
torch::Tensor beta_entropy(const torch::Tensor& a, const torch::Tensor& b);

/// u = t μ + √(1 − t²)(cos φ e₁ + sin φ e₂) for an orthonormal frame (e₁, e₂) ⟂ μ: [B, 3].
torch::Tensor from_axis(const torch::Tensor& mu, const torch::Tensor& t, const torch::Tensor& phi);

}  // namespace equimol::rl
