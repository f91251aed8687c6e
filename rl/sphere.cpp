#include "rl/sphere.h"

#include <cmath>
#include <limits>

namespace equimol::rl {

namespace {

constexpr double kTwoPi = 2.0 * M_PI;
constexpr double kMinKappa = 1e-12;  // smaller κ count as 1e-12: log p within 2e-12 of the uniform 1/4π
constexpr double kBetaEdge = 1e-12;  // keeps Beta log densities finite at the ends of [0, 1]

/// A unit vector ⟂ mu, [B, 3]: mu × (x or y axis, whichever is less parallel).
torch::Tensor perpendicular(const torch::Tensor& mu) {
  const torch::Tensor ex = torch::zeros_like(mu).index_fill_(1, torch::tensor({0}), 1.0);
  const torch::Tensor ey = torch::zeros_like(mu).index_fill_(1, torch::tensor({1}), 1.0);
  const torch::Tensor use_y = mu.select(1, 0).abs().gt(0.9).unsqueeze(1);
  const torch::Tensor e = torch::cross(mu, torch::where(use_y, ey, ex), 1);
  return e / e.norm(2, 1, true);
}

}  // namespace

torch::Tensor vmf_log_prob(const torch::Tensor& mu, const torch::Tensor& kappa, const torch::Tensor& u) {
  const torch::Tensor k = kappa.clamp_min(kMinKappa);
  // log C(κ) = log κ − log 2π − κ − log(1 − e^{−2κ});  log p = log C + κ μ·u
  return k.log() - std::log(kTwoPi) - torch::log(-torch::expm1(-2.0 * k)) + k * ((mu * u).sum(-1) - 1.0);
}

torch::Tensor vmf_sample(const torch::Tensor& mu, const torch::Tensor& kappa) {
  torch::NoGradGuard no_grad;
  const auto options = mu.options();
  const torch::Tensor k = kappa.detach().to(torch::kDouble);
  const std::int64_t n = mu.size(0);
  constexpr double m = 3.0;  // ambient dimension
  // Wood (1994): b = (−2κ + √(4κ² + (m−1)²)) / (m−1), x0 = (1−b)/(1+b), c = κ x0 + (m−1) log(1 − x0²).
  const torch::Tensor b = (-2.0 * k + torch::sqrt(4.0 * k * k + (m - 1) * (m - 1))) / (m - 1);
  const torch::Tensor x0 = (1.0 - b) / (1.0 + b);
  const torch::Tensor c = k * x0 + (m - 1) * torch::log(1.0 - x0 * x0);
  torch::Tensor w = torch::zeros({n}, torch::kDouble);
  torch::Tensor done = torch::zeros({n}, torch::kBool);
  while (!done.all().item<bool>()) {
    const torch::Tensor z = torch::rand({n}, torch::kDouble);  // Beta((m−1)/2, (m−1)/2) = U(0, 1) for m = 3
    const torch::Tensor proposal = (1.0 - (1.0 + b) * z) / (1.0 - (1.0 - b) * z);
    const torch::Tensor accept =
        (k * proposal + (m - 1) * torch::log(1.0 - x0 * proposal) - c) >= torch::log(torch::rand({n}, torch::kDouble));
    const torch::Tensor take = accept & ~done;
    w = torch::where(take, proposal, w);
    done = done | accept;
  }
  const torch::Tensor phi = kTwoPi * torch::rand({n}, torch::kDouble);
  return from_axis(mu.detach().to(torch::kDouble), w, phi).to(options.dtype());
}

torch::Tensor vmf_mean_resultant_length(const torch::Tensor& kappa) {
  const torch::Tensor k = kappa.clamp_min(kMinKappa);
  // coth κ − 1/κ cancels for small κ: there its series κ/3 − κ³/45 (error < κ⁵/945).
  return torch::where(k > 1e-3, 1.0 / torch::tanh(k) - 1.0 / k, k / 3.0 - k.pow(3) / 45.0);
}

torch::Tensor vmf_entropy(const torch::Tensor& kappa) {
  const torch::Tensor k = kappa.clamp_min(kMinKappa);
  const torch::Tensor log_c = k.log() - std::log(kTwoPi) - k - torch::log(-torch::expm1(-2.0 * k));
  // log p = log C + κ μ·u and E[μ·u] = A(κ): the entropy is −log C − κ A(κ) (log 4π at κ = 0)
  return -log_c - k * vmf_mean_resultant_length(k);
}

torch::Tensor beta_log_prob(const torch::Tensor& x, const torch::Tensor& a, const torch::Tensor& b) {
  // The edge must survive rounding: in float32 1 − 1e-12 is 1, and (b − 1)·log(0) is NaN when b = 1.
  const double edge = x.scalar_type() == torch::kDouble ? kBetaEdge : 4.0 * std::numeric_limits<float>::epsilon();
  const torch::Tensor y = x.clamp(edge, 1.0 - edge);
  return (a - 1.0) * y.log() + (b - 1.0) * torch::log1p(-y) - (torch::lgamma(a) + torch::lgamma(b) - torch::lgamma(a + b));
}

torch::Tensor beta_sample(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  const torch::Tensor ga = at::_standard_gamma(a.detach().to(torch::kDouble));
  const torch::Tensor gb = at::_standard_gamma(b.detach().to(torch::kDouble));
  return (ga / (ga + gb)).clamp(kBetaEdge, 1.0 - kBetaEdge).to(a.scalar_type());
}

torch::Tensor beta_entropy(const torch::Tensor& a, const torch::Tensor& b) {
  return torch::lgamma(a) + torch::lgamma(b) - torch::lgamma(a + b) - (a - 1.0) * torch::digamma(a) -
         (b - 1.0) * torch::digamma(b) + (a + b - 2.0) * torch::digamma(a + b);
}

torch::Tensor cone_log_prob(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b,
                            const torch::Tensor& u) {
  const torch::Tensor t = (mu * u).sum(-1).clamp(-1.0, 1.0);
  // t = 2x − 1 with x ~ Beta(a, b): p_t = p_x / 2; azimuth uniform: 1/2π.
  return beta_log_prob((1.0 + t) / 2.0, a, b) - std::log(2.0) - std::log(kTwoPi);
}

torch::Tensor cone_sample(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  const torch::Tensor t = 2.0 * beta_sample(a, b).to(torch::kDouble) - 1.0;
  const torch::Tensor phi = kTwoPi * torch::rand({mu.size(0)}, torch::kDouble);
  return from_axis(mu.detach().to(torch::kDouble), t, phi).to(mu.scalar_type());
}

torch::Tensor cone_entropy(const torch::Tensor& a, const torch::Tensor& b) {
  return beta_entropy(a, b) + std::log(2.0) + std::log(kTwoPi);
}

torch::Tensor cone_mode(const torch::Tensor& mu, const torch::Tensor& a, const torch::Tensor& b,
                        const torch::Tensor& reference) {
  const torch::Tensor spread = a + b - 2.0;  // 0: the uniform law, whose every point is a mode
  const torch::Tensor x = torch::where(spread > 1e-9, (a - 1.0) / spread.clamp_min(1e-9), torch::full_like(a, 0.5)).clamp(0.0, 1.0);
  const torch::Tensor t = (2.0 * x - 1.0).unsqueeze(1);
  torch::Tensor side = reference - (reference * mu).sum(1, true) * mu;
  const torch::Tensor length = side.norm(2, 1, true);
  side = torch::where(length > 1e-6, side / length.clamp_min(1e-6), perpendicular(mu));
  return t * mu + torch::sqrt((1.0 - t * t).clamp_min(0.0)) * side;
}

torch::Tensor from_axis(const torch::Tensor& mu, const torch::Tensor& t, const torch::Tensor& phi) {
  const torch::Tensor e1 = perpendicular(mu);
  const torch::Tensor e2 = torch::cross(mu, e1, 1);
  const torch::Tensor s = torch::sqrt((1.0 - t * t).clamp_min(0.0)).unsqueeze(1);
  return t.unsqueeze(1) * mu + s * (torch::cos(phi).unsqueeze(1) * e1 + torch::sin(phi).unsqueeze(1) * e2);
}

}  // namespace equimol::rl
