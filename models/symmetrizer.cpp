#include "models/symmetrizer.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>
#include <stdexcept>
#include <string>

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
