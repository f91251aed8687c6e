// Stacked equivariant layers: K_g f(x) = f(L_g x) for every group element g, in float64 to 1e-10, for
// the CartPole (Z2) policy and value networks and GridWorld (C4) networks on images and coordinates.
// Hidden layers use the regular representation with C channels (a permutation representation).
#include "models/equivariant_mlp.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "model_test_util.h"
#include "models/mlp.h"
#include "models/symmetrizer.h"
#include "models/symmetry_groups.h"

namespace equimol::models {
namespace {

using testing::max_error;

/// A network in float64 with every coefficient, biases included, drawn at random.
EquivariantMLP random_network(const std::vector<FeatureType>& features, Activation activation) {
  EquivariantMLP net(EquivariantMLPOptions(features).activation(activation));
  net->to(torch::kFloat64);
  torch::NoGradGuard no_grad;
  for (auto& p : net->parameters()) p.normal_(0.0, 0.5);
  return net;
}

/// max over g of |f(x L_g^T) - f(x) K_g^T| on a batch of random inputs.
template <typename Net>
double equivariance_error(Net& net, const FeatureType& in, const FeatureType& out, at::Generator& gen) {
  const auto l = to_tensor(repeat(in.rep, in.channels)), k = to_tensor(repeat(out.rep, out.channels));
  const auto x = torch::randn({16, in.dim()}, gen, torch::kFloat64);
  const auto fx = net->forward(x);
  double worst = 0.0;
  for (std::int64_t g = 0; g < in.rep.group_order(); ++g) {
    worst = std::max(worst, max_error(net->forward(x.matmul(l[g].t())), fx.matmul(k[g].t())));
  }
  return worst;
}

struct NetCase {
  const char* name;
  std::vector<FeatureType> features;
};

TEST(EquivariantMLP, StackedNetworksAreEquivariantForEveryGroupElement) {
  const auto reg2 = cyclic_regular(2), reg4 = cyclic_regular(4);
  const std::vector<NetCase> cases = {
      {"cartpole policy", {{cartpole_state(), 1}, {reg2, 16}, {reg2, 16}, {cartpole_actions(), 1}}},
      {"cartpole value", {{cartpole_state(), 1}, {reg2, 16}, {reg2, 16}, {cartpole_value(), 1}}},
      {"grid image policy", {{grid_image(5), 1}, {reg4, 8}, {reg4, 8}, {grid_actions(), 1}}},
      {"grid image value", {{grid_image(5), 1}, {reg4, 8}, {grid_value(), 1}}},
      {"grid coords policy", {{grid_coordinates(), 1}, {reg4, 8}, {reg4, 8}, {grid_actions(), 1}}},
      {"grid coords value", {{grid_coordinates(), 1}, {reg4, 8}, {grid_value(), 1}}},
  };
  auto gen = testing::generator(3);
  for (const auto& c : cases) {
    for (Activation act : {Activation::kReLU, Activation::kTanh}) {
      torch::manual_seed(1);
      auto net = random_network(c.features, act);
      const auto out = net->forward(torch::randn({4, c.features.front().dim()}, gen, torch::kFloat64));
      EXPECT_GT(out.abs().max().item<double>(), 1e-3) << c.name;  // not trivially zero
      EXPECT_LT(equivariance_error(net, c.features.front(), c.features.back(), gen), 1e-10)
          << c.name << " " << to_string(act);
    }
  }
}

TEST(EquivariantMLP, PlainMlpFailsTheSameCheck) {
  // Negative control for the measurement above.
  torch::manual_seed(1);
  MLP mlp(MLPOptions(4, 2).hidden_sizes({32, 32}));
  mlp->to(torch::kFloat64);
  auto gen = testing::generator(4);
  EXPECT_GT(equivariance_error(mlp, {cartpole_state(), 1}, {cartpole_actions(), 1}, gen), 1e-2);
}

TEST(EquivariantMLP, PolicyLogitsSwapAndValueStaysForMirroredCartPoleStates) {
  // The CartPole statement itself: pi(-s) = swap(pi(s)) and V(-s) = V(s), in float32 as trained.
  torch::manual_seed(2);
  const auto reg2 = cyclic_regular(2);
  EquivariantMLP policy(EquivariantMLPOptions({{cartpole_state(), 1}, {reg2, 32}, {reg2, 32}, {cartpole_actions(), 1}})
                            .activation(Activation::kTanh));
  EquivariantMLP value(EquivariantMLPOptions({{cartpole_state(), 1}, {reg2, 32}, {reg2, 32}, {cartpole_value(), 1}})
                           .activation(Activation::kTanh));
  const auto s = torch::randn({64, 4});
  EXPECT_LT(max_error(policy(-s), policy(s).flip(1)), 1e-5);
  EXPECT_LT(max_error(value(-s), value(s)), 1e-5);
  EXPECT_GT(max_error(policy(s).select(1, 0), policy(s).select(1, 1)), 1e-3);  // the policy is not constant
}

TEST(EquivariantMLP, RejectsNonPermutationHiddenLayers) {
  EXPECT_THROW(EquivariantMLP(EquivariantMLPOptions({{cartpole_state(), 1}, {cartpole_state(), 2}, {cartpole_actions(), 1}})),
               std::invalid_argument);
  EXPECT_THROW(EquivariantMLP(EquivariantMLPOptions({{cartpole_state(), 1}})), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::models
