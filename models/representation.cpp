#include "models/representation.h"

#include <stdexcept>

namespace equimol::models {

double Representation::character(std::int64_t g) const {
  double trace = 0.0;
  for (std::int64_t i = 0; i < dim; ++i) trace += at(g, i, i);
  return trace;
}

bool Representation::is_permutation() const {
  for (const auto& m : matrices) {
    for (std::int64_t i = 0; i < dim; ++i) {
      int ones_in_row = 0, ones_in_col = 0;
      for (std::int64_t j = 0; j < dim; ++j) {
        const double a = m[i * dim + j], b = m[j * dim + i];
        if ((a != 0.0 && a != 1.0) || (b != 0.0 && b != 1.0)) return false;
        ones_in_row += a == 1.0;
        ones_in_col += b == 1.0;
      }
      if (ones_in_row != 1 || ones_in_col != 1) return false;
    }
  }
  return true;
}

void check_representation(const Representation& rep, const std::string& what) {
  if (rep.dim < 1) throw std::invalid_argument(what + ": dimension must be >= 1, got " + std::to_string(rep.dim));
  if (rep.matrices.empty()) throw std::invalid_argument(what + ": no group elements");
  for (std::size_t g = 0; g < rep.matrices.size(); ++g) {
    if (static_cast<std::int64_t>(rep.matrices[g].size()) != rep.dim * rep.dim) {
      throw std::invalid_argument(what + ": matrix of element " + std::to_string(g) + " has " +
                                  std::to_string(rep.matrices[g].size()) + " entries, expected " +
                                  std::to_string(rep.dim * rep.dim));
    }
  }
}

Representation trivial(std::int64_t group_order, std::int64_t dim) {
  Representation rep{dim, {}};
  std::vector<double> identity(dim * dim, 0.0);
  for (std::int64_t i = 0; i < dim; ++i) identity[i * dim + i] = 1.0;
  rep.matrices.assign(group_order, identity);
  return rep;
}

Representation cyclic_regular(std::int64_t order) {
  if (order < 1) throw std::invalid_argument("cyclic_regular: order must be >= 1, got " + std::to_string(order));
  Representation rep{order, {}};
  for (std::int64_t k = 0; k < order; ++k) {
    std::vector<double> m(order * order, 0.0);
    for (std::int64_t a = 0; a < order; ++a) m[((a + k) % order) * order + a] = 1.0;  // column a -> row a + k
    rep.matrices.push_back(m);
  }
  return rep;
}

Representation repeat(const Representation& rep, std::int64_t copies) {
  if (copies < 1) throw std::invalid_argument("repeat: copies must be >= 1, got " + std::to_string(copies));
  Representation out = rep;
  for (std::int64_t c = 1; c < copies; ++c) out = direct_sum(out, rep);
  return out;
}

Representation direct_sum(const Representation& a, const Representation& b) {
  if (a.group_order() != b.group_order()) {
    throw std::invalid_argument("direct_sum: group orders differ (" + std::to_string(a.group_order()) + " vs " +
                                std::to_string(b.group_order()) + ")");
  }
  const std::int64_t d = a.dim + b.dim;
  Representation out{d, {}};
  for (std::int64_t g = 0; g < a.group_order(); ++g) {
    std::vector<double> m(d * d, 0.0);
    for (std::int64_t i = 0; i < a.dim; ++i)
      for (std::int64_t j = 0; j < a.dim; ++j) m[i * d + j] = a.at(g, i, j);
    for (std::int64_t i = 0; i < b.dim; ++i)
      for (std::int64_t j = 0; j < b.dim; ++j) m[(a.dim + i) * d + a.dim + j] = b.at(g, i, j);
    out.matrices.push_back(m);
  }
  return out;
}

double character_inner_product(const Representation& in, const Representation& out) {
  if (in.group_order() != out.group_order()) {
    throw std::invalid_argument("character_inner_product: group orders differ (" + std::to_string(in.group_order()) +
                                " vs " + std::to_string(out.group_order()) + ")");
  }
  double sum = 0.0;
  for (std::int64_t g = 0; g < in.group_order(); ++g) sum += in.character(g) * out.character(g);
  return sum / static_cast<double>(in.group_order());
}

}  // namespace equimol::models
