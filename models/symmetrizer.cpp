#include "models/symmetrizer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

namespace equimol::models {

namespace {

void check_pair(const Representation& in, const Representation& out, const char* who) {
  check_representation(in, std::string(who) + ": input representation");
  check_representation(out, std::string(who) + ": output representation");
  if (in.group_order() != out.group_order()) {
    throw std::invalid_argument(std::string(who) + ": input and output representations list " +
                                std::to_string(in.group_order()) + " and " + std::to_string(out.group_order()) +
                                " group elements");
  }
}

bool is_monomial(const Representation& rep) {
  for (const auto& m : rep.matrices) {
    for (std::int64_t i = 0; i < rep.dim; ++i) {
      int in_row = 0, in_col = 0;
      for (std::int64_t j = 0; j < rep.dim; ++j) {
        const double a = m[i * rep.dim + j], b = m[j * rep.dim + i];
        if ((a != 0.0 && std::abs(a) != 1.0) || (b != 0.0 && std::abs(b) != 1.0)) return false;
        in_row += a != 0.0;
        in_col += b != 0.0;
      }
      if (in_row != 1 || in_col != 1) return false;
    }
  }
  return true;
}

/// One +-1 matrix per orbit of entries: S(E_k) for the first entry k of each orbit, scaled so that
/// entry k is +1. For monomial representations K_g^-1 E_k L_g = +-E_k' with k' in k's orbit, so S(E_k)
/// is supported on the orbit with entries of equal size (|stabiliser| / |G|), or is zero when the
/// signs cancel; orbits are disjoint, and the S(E_k) span the image of the projection S.
torch::Tensor sharing_basis(const Representation& in, const Representation& out) {
  if (!is_monomial(in) || !is_monomial(out)) {
    throw std::invalid_argument("equivariant_basis: the weight-sharing basis needs monomial representations "
                                "(every matrix a signed permutation)");
  }
  const std::int64_t d = out.dim * in.dim;
  const torch::Tensor images = symmetrize(torch::eye(d, torch::kFloat64).view({d, out.dim, in.dim}), in, out).view({d, d});
  std::vector<bool> covered(static_cast<std::size_t>(d), false);
  std::vector<torch::Tensor> basis;
  for (std::int64_t k = 0; k < d; ++k) {
    if (covered[k]) continue;
    const torch::Tensor row = images[k];
    const torch::Tensor support = row.abs() > 1e-12;
    const auto* on = support.data_ptr<bool>();
    for (std::int64_t j = 0; j < d; ++j) covered[j] = covered[j] || on[j];
    covered[k] = true;
    const double at_k = row[k].item<double>();
    if (std::abs(at_k) <= 1e-12) continue;  // the orbit's signs cancel: only zero is equivariant there
    basis.push_back(torch::where(support, torch::sign(row) * (at_k > 0 ? 1.0 : -1.0), torch::zeros_like(row)));
  }
  if (basis.empty()) return torch::zeros({0, out.dim, in.dim}, torch::kFloat64);
  return torch::stack(basis).view({-1, out.dim, in.dim}).contiguous();
}

}  // namespace

torch::Tensor to_tensor(const Representation& rep) {
  check_representation(rep, "to_tensor");
  torch::Tensor t = torch::empty({rep.group_order(), rep.dim, rep.dim}, torch::kFloat64);
  double* data = t.data_ptr<double>();
  for (const auto& m : rep.matrices) data = std::copy(m.begin(), m.end(), data);
  return t;
}

torch::Tensor symmetrize(const torch::Tensor& w, const Representation& in, const Representation& out) {
  check_pair(in, out, "symmetrize");
  if (w.dim() < 2 || w.size(-2) != out.dim || w.size(-1) != in.dim || w.scalar_type() != torch::kFloat64) {
    throw std::invalid_argument("symmetrize: W must be float64 [..., " + std::to_string(out.dim) + ", " +
                                std::to_string(in.dim) + "]");
  }
  const torch::Tensor l = to_tensor(in);                        // [G, in, in]
  const torch::Tensor k_inv = torch::linalg_inv(to_tensor(out));  // [G, out, out]
  return k_inv.matmul(w.unsqueeze(-3)).matmul(l).mean(-3);     // average over the group axis
}

torch::Tensor equivariant_basis(const Representation& in, const Representation& out, const BasisOptions& options) {
  check_pair(in, out, "equivariant_basis");
  if (!(options.tolerance() > 0.0) || options.samples_per_dim() < 1) {
    throw std::invalid_argument("equivariant_basis: tolerance (" + std::to_string(options.tolerance()) +
                                ") must be > 0 and samples_per_dim (" + std::to_string(options.samples_per_dim()) +
                                ") >= 1");
  }
  if (options.kind() == BasisKind::kSharing) return sharing_basis(in, out);
  const std::int64_t d = out.dim * in.dim;
  const std::int64_t samples = options.samples_per_dim() * d;  // >= d: spans the subspace almost surely
  auto generator = at::make_generator<at::CPUGeneratorImpl>(options.seed());
  const torch::Tensor w = torch::randn({samples, out.dim, in.dim}, generator, torch::kFloat64);
  const torch::Tensor stacked = symmetrize(w, in, out).reshape({samples, d});
  const auto [u, s, vh] = torch::linalg_svd(stacked, /*full_matrices=*/false);
  const double threshold = options.tolerance() * std::sqrt(static_cast<double>(samples));
  const std::int64_t rank = (s > threshold).sum().item<std::int64_t>();  // s is sorted descending
  return vh.narrow(0, 0, rank).reshape({rank, out.dim, in.dim}).contiguous();
}

}  // namespace equimol::models
