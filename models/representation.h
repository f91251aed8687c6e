// Linear representations of finite groups as plain data (torch-free, so envs/ can declare the
// symmetries of their observations and actions). A group of order |G| is fixed by an ordering of its
// elements; every representation of that group lists its matrices rho(g) in that same order.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace equimol::models {

struct Representation {
  std::int64_t dim = 0;
  /// rho(g) for each group element g, each dim x dim, row-major.
  std::vector<std::vector<double>> matrices;

  std::int64_t group_order() const { return static_cast<std::int64_t>(matrices.size()); }
  double at(std::int64_t g, std::int64_t row, std::int64_t col) const { return matrices[g][row * dim + col]; }
  /// tr rho(g), the character; <chi_V, chi_W> = 1/|G| sum_g chi_V(g) chi_W(g) counts equivariant maps.
  double character(std::int64_t g) const;
  /// True when every matrix has one 1 per row and column and 0 elsewhere: then any elementwise
  /// nonlinearity commutes with the action, which is what lets equivariant layers stack.
  bool is_permutation() const;
};

/// Throws std::invalid_argument, naming `what`, if the matrices are not dim x dim or there are none.
void check_representation(const Representation& rep, const std::string& what);

/// The trivial representation on R^dim: every g acts as the identity.
Representation trivial(std::int64_t group_order, std::int64_t dim = 1);

/// The regular representation of the cyclic group C_n = {r^0, ..., r^(n-1)} (element k is r^k):
/// r^k sends basis vector e_a to e_{(a + k) mod n}.
Representation cyclic_regular(std::int64_t order);

/// The representation g -> (rho(g) repeated `copies` times along the diagonal): `copies` channels.
Representation repeat(const Representation& rep, std::int64_t copies);

/// rho(g) = block_diag(a(g), b(g)): both representations of the same group, side by side.
Representation direct_sum(const Representation& a, const Representation& b);

/// 1/|G| sum_g chi_in(g^-1) chi_out(g) = 1/|G| sum_g chi_in(g) chi_out(g) for real representations: the
/// trace of the averaging projector on Hom(in, out), i.e. the dimension of the equivariant linear maps.
double character_inner_product(const Representation& in, const Representation& out);

}  // namespace equimol::models
