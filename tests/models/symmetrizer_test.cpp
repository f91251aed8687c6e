// The Symmetrizer finds exactly the equivariant linear maps.
//
// Dimensions by hand. For real representations V, W of a finite group G the equivariant maps
// V -> W form a space of dimension <chi_V, chi_W> = 1/|G| sum_g chi_V(g) chi_W(g), i.e. the sum over
// irreducibles of (multiplicity in V) x (multiplicity in W) x dim End_G(irrep).
//
// CartPole, Z2 = {e, m}. Irreducibles: trivial (+) with chi = (1, 1), sign (-) with chi = (1, -1).
//   state L(m) = -I_4: chi = (4, -4) = 4 (-).       actions K(m) = swap: chi = (2, 0) = (+) + (-).
//   regular (one hidden channel) = swap: (+) + (-).  value: (+).
//   state -> regular  : 4 (the four (-) copies each map onto the one (-))                = 4
//   regular -> regular: (+)->(+) and (-)->(-)                                             = 2
//   regular -> actions: 2;  regular -> value: 1;  state -> actions: 4;  state -> value: 0
//   (V(-s) = V(s) has no linear solution but 0: the value needs a hidden layer.)
//   bias (invariant vectors): regular 1 ((b, b)), actions 1, value 1, state 0.
//   With C hidden channels per layer the counts multiply: 4C, 2 C C', 2C and C.
//
// GridWorld, C4 = {r^0..r^3}: chi_reg = (4, 0, 0, 0), chi_coords = (2, 0, -2, 0) (rotation matrices),
//   chi_image(n x n, n odd) = (n^2, 1, 1, 1) (r, r^2, r^3 fix only the centre), actions = regular.
//   coords -> regular : (1/4)(2*4) = 2          regular -> regular : (1/4)(4*4) = 4
//   regular -> actions: 4                       regular -> value   : (1/4)(4*1) = 1
//   coords -> value   : (1/4)(2 + 0 - 2 + 0) = 0  coords -> coords : (1/4)(4 + 0 + 4 + 0) = 2 (a I + b J)
//   image(5) -> value : (1/4)(25 + 1 + 1 + 1) = 7 = number of orbits of cells (centre + 24 / 4)
//   image(5) -> regular: (1/4)(25 * 4) = 25.
#include "models/symmetrizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "model_test_util.h"
#include "models/equivariant_linear.h"
#include "models/symmetry_groups.h"

namespace equimol::models {
namespace {

using testing::max_error;

/// max_g |K_g W - W L_g| for W [..., out, in].
double equivariance_error(const torch::Tensor& w, const Representation& in, const Representation& out) {
  const auto l = to_tensor(in).to(w.scalar_type()), k = to_tensor(out).to(w.scalar_type());
  double worst = 0.0;
  for (std::int64_t g = 0; g < in.group_order(); ++g) worst = std::max(worst, max_error(k[g].matmul(w), w.matmul(l[g])));
  return worst;
}

struct Case {
  const char* name;
  Representation in, out;
  std::int64_t by_hand;
};

TEST(Symmetrizer, BasisDimensionsEqualHandDerivation) {
  const auto reg2 = cyclic_regular(2), reg4 = cyclic_regular(4);
  const Case cases[] = {
      {"cartpole state->regular", cartpole_state(), reg2, 4},
      {"cartpole regular->regular", reg2, reg2, 2},
      {"cartpole regular->actions", reg2, cartpole_actions(), 2},
      {"cartpole regular->value", reg2, cartpole_value(), 1},
      {"cartpole state->actions", cartpole_state(), cartpole_actions(), 4},
      {"cartpole state->value", cartpole_state(), cartpole_value(), 0},
      {"grid coords->regular", grid_coordinates(), reg4, 2},
      {"grid regular->regular", reg4, reg4, 4},
      {"grid regular->actions", reg4, grid_actions(), 4},
      {"grid regular->value", reg4, grid_value(), 1},
      {"grid coords->value", grid_coordinates(), grid_value(), 0},
      {"grid coords->coords", grid_coordinates(), grid_coordinates(), 2},
      {"grid image5->value", grid_image(5), grid_value(), 7},
      {"grid image5->regular", grid_image(5), reg4, 25},
      {"cartpole regular x3 -> regular x2", repeat(reg2, 3), repeat(reg2, 2), 2 * 3 * 2},
  };
  for (const Case& c : cases) {
    const auto basis = equivariant_basis(c.in, c.out);
    EXPECT_EQ(basis.size(0), c.by_hand) << c.name;
    EXPECT_DOUBLE_EQ(character_inner_product(c.in, c.out), static_cast<double>(c.by_hand)) << c.name;
    if (basis.size(0) == 0) continue;
    EXPECT_LT(equivariance_error(basis, c.in, c.out), 1e-12) << c.name;
    const auto flat = basis.flatten(1);
    EXPECT_LT(max_error(flat.matmul(flat.t()), torch::eye(basis.size(0), torch::kFloat64)), 1e-12) << c.name;

    // The weight-sharing basis: as many matrices, entries 0 or +-1 on disjoint orbits (so mutually
    // orthogonal), equivariant, and the same span (the same orthogonal projector) as the SVD basis.
    const auto sharing = equivariant_basis(c.in, c.out, BasisOptions().kind(BasisKind::kSharing));
    ASSERT_EQ(sharing.size(0), c.by_hand) << c.name;
    EXPECT_LT(equivariance_error(sharing, c.in, c.out), 1e-15) << c.name;
    const auto sflat = sharing.flatten(1);
    EXPECT_TRUE(torch::all((sflat == 0) | (sflat.abs() == 1)).item<bool>()) << c.name;
    const auto gram = sflat.matmul(sflat.t());
    EXPECT_LT(max_error(gram, torch::diag(gram.diagonal())), 1e-15) << c.name;
    const auto projector = sflat.t().matmul(torch::diag(1.0 / gram.diagonal())).matmul(sflat);
    EXPECT_LT(max_error(projector, flat.t().matmul(flat)), 1e-12) << c.name;
  }
}

TEST(Symmetrizer, SharingBasisByHandAndOnlyForMonomialRepresentations) {
  // CartPole state -> regular: W = [w; -w], one shared weight per column: +1 in row 0, -1 in row 1.
  const auto basis = equivariant_basis(cartpole_state(), cyclic_regular(2), BasisOptions().kind(BasisKind::kSharing));
  ASSERT_EQ(basis.size(0), 4);
  for (std::int64_t k = 0; k < 4; ++k) {
    auto expected = torch::zeros({2, 4}, torch::kFloat64);
    expected[0][k] = 1.0;
    expected[1][k] = -1.0;
    EXPECT_TRUE(torch::equal(basis[k], expected)) << k;
  }
  // A reflection across a line at an angle that is not a multiple of 45 degrees is not monomial.
  const Representation reflection{2, {{1, 0, 0, 1}, {0.6, 0.8, 0.8, -0.6}}};
  EXPECT_EQ(equivariant_basis(reflection, reflection).size(0), 2);
  EXPECT_THROW(equivariant_basis(reflection, reflection, BasisOptions().kind(BasisKind::kSharing)), std::invalid_argument);
}

TEST(Symmetrizer, OrthogonalInitIsEquivariantWithTheOrthogonalNorm) {
  // CartPole's first layer, 4 -> 46 regular channels (92 wide): the projected orthogonal matrix keeps
  // the norm of gain x (a 92 x 4 matrix with orthonormal columns), sqrt(2) * 2, so its entries are
  // ~sqrt(2 / 92), where the fan-in init gives ~sqrt(2 / 4).
  for (const BasisKind kind : {BasisKind::kSvd, BasisKind::kSharing}) {
    torch::manual_seed(3);
    const FeatureType state{cartpole_state(), 1}, hidden{cyclic_regular(2), 46};
    EquivariantLinear layer(
        EquivariantLinearOptions(state, hidden).init(WeightInit::kOrthogonal).basis(BasisOptions().kind(kind)));
    const auto w = layer->weight().to(torch::kFloat64);
    EXPECT_NEAR(w.norm().item<double>(), std::sqrt(2.0) * 2.0, 1e-5);
    EXPECT_LT(equivariance_error(w, cartpole_state(), repeat(cyclic_regular(2), 46)), 1e-6);
    EquivariantLinear fan_in(EquivariantLinearOptions(state, hidden).basis(BasisOptions().kind(kind)));
    EXPECT_GT(fan_in->weight().norm().item<double>(), 3.0 * w.norm().item<double>());
    // Hidden to hidden (92 x 92): the norm of an orthogonal 92 x 92 matrix, sqrt(2) * sqrt(92).
    EquivariantLinear square(EquivariantLinearOptions(hidden, hidden).init(WeightInit::kOrthogonal).basis(BasisOptions().kind(kind)));
    EXPECT_NEAR(square->weight().norm().item<double>(), std::sqrt(2.0 * 92.0), 1e-4);
  }
}

TEST(Symmetrizer, LayerCoefficientCountsForCartPoleNetwork) {
  const std::int64_t c = 16;
  const auto reg = cyclic_regular(2);
  const FeatureType state{cartpole_state(), 1}, hidden{reg, c}, actions{cartpole_actions(), 1}, value{cartpole_value(), 1};
  EXPECT_EQ(EquivariantLinear(EquivariantLinearOptions(state, hidden))->weight_dimension(), 4 * c);
  EXPECT_EQ(EquivariantLinear(EquivariantLinearOptions(hidden, hidden))->weight_dimension(), 2 * c * c);
  EXPECT_EQ(EquivariantLinear(EquivariantLinearOptions(hidden, actions))->weight_dimension(), 2 * c);
  EXPECT_EQ(EquivariantLinear(EquivariantLinearOptions(hidden, value))->weight_dimension(), c);
  EXPECT_THROW(EquivariantLinear(EquivariantLinearOptions(state, value)), std::invalid_argument);
}

TEST(Symmetrizer, ProjectsARandomMatrixOntoTheEquivariantSpace) {
  auto gen = testing::generator(42);
  const auto in = cartpole_state(), out = cartpole_actions();
  const auto w = torch::randn({2, 4}, gen, torch::kFloat64);
  EXPECT_GT(equivariance_error(w, in, out), 0.1);  // a random matrix is far from equivariant
  const auto s = symmetrize(w, in, out);
  EXPECT_LT(equivariance_error(s, in, out), 1e-15);
  EXPECT_LT(max_error(symmetrize(s, in, out), s), 1e-15);  // a projection: S(S(W)) = S(W)
  const auto basis = equivariant_basis(in, out).flatten(1);
  const auto coords = basis.matmul(s.flatten());
  EXPECT_LT(max_error(coords.matmul(basis).view({2, 4}), s), 1e-14);  // S(W) lies in the basis' span
  // By hand: K(m)^-1 W L(m) = -swap(W), so S(W) = (W - swap(W)) / 2 row-wise.
  const auto by_hand = (w - w.flip(0)) / 2;
  EXPECT_LT(max_error(s, by_hand), 1e-15);
}

TEST(Symmetrizer, DeterministicForASeedAndSpanIndependentOfIt) {
  const auto in = grid_image(5), out = cyclic_regular(4);
  const auto a = equivariant_basis(in, out, BasisOptions().seed(1));
  EXPECT_TRUE(torch::equal(a, equivariant_basis(in, out, BasisOptions().seed(1))));
  const auto b = equivariant_basis(in, out, BasisOptions().seed(2));
  const auto pa = a.flatten(1).t().matmul(a.flatten(1)), pb = b.flatten(1).t().matmul(b.flatten(1));
  EXPECT_LT(max_error(pa, pb), 1e-12);  // same orthogonal projector
}

TEST(Symmetrizer, LayerWeightsAndBiasAreEquivariant) {
  torch::manual_seed(0);
  const FeatureType in{grid_coordinates(), 1}, out{cyclic_regular(4), 3};
  EquivariantLinear layer(EquivariantLinearOptions(in, out));
  layer->to(torch::kFloat64);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : layer->parameters()) p.normal_();  // non-trivial bias too
  }
  EXPECT_LT(equivariance_error(layer->weight(), grid_coordinates(), repeat(cyclic_regular(4), 3)), 1e-12);
  const auto bias = layer->bias();
  EXPECT_GT(bias.abs().max().item<double>(), 1e-3);
  EXPECT_LT(equivariance_error(bias.unsqueeze(1), trivial(4), repeat(cyclic_regular(4), 3)), 1e-12);
}

TEST(Symmetrizer, RejectsMismatchedGroups) {
  EXPECT_THROW(equivariant_basis(cartpole_state(), grid_actions()), std::invalid_argument);
  EXPECT_THROW(symmetrize(torch::zeros({2, 3}, torch::kFloat64), cartpole_state(), cartpole_actions()),
               std::invalid_argument);
  EXPECT_THROW(EquivariantLinear(EquivariantLinearOptions({cartpole_state(), 0}, {cartpole_actions(), 1})),
               std::invalid_argument);
}

}  // namespace
}  // namespace equimol::models
