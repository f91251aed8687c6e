// The group representations are homomorphisms, and the GridWorld ones agree with each other: the
// image permutation moves the agent's pixel where the rotation moves its coordinates, and the action
// permutation turns each move direction like the rotation does.
#include <gtest/gtest.h>

#include <stdexcept>

#include "models/symmetrizer.h"
#include "models/symmetry_groups.h"
#include "model_test_util.h"

namespace equimol::models {
namespace {

using testing::max_error;

/// rho(r^a) rho(r^b) = rho(r^((a + b) mod |G|)) for cyclic groups listed as r^0, r^1, ...
void expect_cyclic_homomorphism(const Representation& rep, const char* name) {
  const auto m = to_tensor(rep);
  const std::int64_t order = rep.group_order();
  for (std::int64_t a = 0; a < order; ++a) {
    for (std::int64_t b = 0; b < order; ++b) {
      EXPECT_EQ(max_error(m[a].matmul(m[b]), m[(a + b) % order]), 0.0) << name << " " << a << "*" << b;
    }
  }
}

TEST(Representation, GroupsAreCyclicHomomorphisms) {
  expect_cyclic_homomorphism(cartpole_state(), "cartpole_state");
  expect_cyclic_homomorphism(cartpole_actions(), "cartpole_actions");
  expect_cyclic_homomorphism(grid_coordinates(), "grid_coordinates");
  expect_cyclic_homomorphism(grid_image(5), "grid_image");
  expect_cyclic_homomorphism(grid_actions(), "grid_actions");
  expect_cyclic_homomorphism(repeat(cyclic_regular(3), 2), "regular C3 x 2");
}

TEST(Representation, CharactersAndPermutationFlags) {
  const auto state = cartpole_state();
  EXPECT_EQ(state.character(0), 4.0);
  EXPECT_EQ(state.character(1), -4.0);
  EXPECT_FALSE(state.is_permutation());
  EXPECT_TRUE(cartpole_actions().is_permutation());
  EXPECT_TRUE(grid_image(3).is_permutation());
  EXPECT_FALSE(grid_coordinates().is_permutation());
  // One-hot images of a 5 x 5 grid: only the centre pixel is fixed by r, r^2 and r^3.
  const auto image = grid_image(5);
  EXPECT_EQ(image.character(0), 25.0);
  for (std::int64_t k = 1; k < 4; ++k) EXPECT_EQ(image.character(k), 1.0);
}

TEST(Representation, GridImageMovesPixelsLikeCoordinates) {
  const std::int64_t n = 5, c = 2;
  const auto image = to_tensor(grid_image(n));
  const auto coords = to_tensor(grid_coordinates());
  for (std::int64_t k = 0; k < 4; ++k) {
    for (std::int64_t x = -c; x <= c; ++x) {
      for (std::int64_t y = -c; y <= c; ++y) {
        auto one_hot = torch::zeros({n * n}, torch::kFloat64);
        one_hot[(c - y) * n + (x + c)] = 1.0;
        const auto moved = coords[k].matmul(torch::tensor({double(x), double(y)}, torch::kFloat64));
        const auto mx = std::lround(moved[0].item<double>()), my = std::lround(moved[1].item<double>());
        auto expected = torch::zeros({n * n}, torch::kFloat64);
        expected[(c - my) * n + (mx + c)] = 1.0;
        EXPECT_EQ(max_error(image[k].matmul(one_hot), expected), 0.0) << "k=" << k << " x=" << x << " y=" << y;
      }
    }
  }
}

TEST(Representation, GridActionsTurnWithTheGrid) {
  // Move directions of up, right, down, left; rotating the direction of action a by r^k must give
  // the direction of the action that K(r^k) maps a to.
  const auto direction = torch::tensor({0.0, 1.0, 1.0, 0.0, 0.0, -1.0, -1.0, 0.0}, torch::kFloat64).view({4, 2});
  const auto coords = to_tensor(grid_coordinates());
  const auto actions = to_tensor(grid_actions());
  for (std::int64_t k = 0; k < 4; ++k) {
    for (std::int64_t a = 0; a < 4; ++a) {
      const std::int64_t b = actions[k].select(1, a).argmax().item<std::int64_t>();
      EXPECT_EQ(max_error(coords[k].matmul(direction[a]), direction[b]), 0.0) << "k=" << k << " a=" << a;
    }
  }
}

TEST(Representation, RejectsMalformedInput) {
  EXPECT_THROW(grid_image(4), std::invalid_argument);
  EXPECT_THROW(direct_sum(cartpole_state(), grid_actions()), std::invalid_argument);
  EXPECT_THROW(check_representation(Representation{2, {{1.0, 0.0, 0.0}}}, "bad"), std::invalid_argument);
  EXPECT_THROW(repeat(cartpole_actions(), 0), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::models
