#include "models/mlp.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "model_test_util.h"

namespace equimol::models {
namespace {

TEST(MLP, ShapesParameterCountAndOrthogonalInit) {
  MLP mlp(MLPOptions(4, 2).hidden_sizes({64, 64}).output_gain(0.01));
  EXPECT_EQ(mlp->forward(torch::randn({7, 4})).sizes(), (std::vector<std::int64_t>{7, 2}));
  std::int64_t count = 0;
  for (const auto& p : mlp->parameters()) count += p.numel();
  EXPECT_EQ(count, (4 * 64 + 64) + (64 * 64 + 64) + (64 * 2 + 2));
  const auto params = mlp->named_parameters();
  const auto w1 = params["layers.1.weight"].to(torch::kFloat64);  // square: W W^T = gain^2 I
  EXPECT_LT(testing::max_error(w1.matmul(w1.t()), 2.0 * torch::eye(64, torch::kFloat64)), 1e-5);
  const auto w2 = params["layers.2.weight"].to(torch::kFloat64);  // wide output: rows orthonormal * 0.01
  EXPECT_LT(testing::max_error(w2.matmul(w2.t()), 1e-4 * torch::eye(2, torch::kFloat64)), 1e-9);
  EXPECT_EQ(params["layers.0.bias"].abs().max().item<double>(), 0.0);
}

TEST(MLP, RejectsBadSizes) {
  EXPECT_THROW(MLP(MLPOptions(0, 2)), std::invalid_argument);
  EXPECT_THROW(MLP(MLPOptions(4, 2).hidden_sizes({64, 0})), std::invalid_argument);
}

TEST(MLP, InferenceForwardEqualsTheModule) {
  // mlp_forward on the dense kernels against MLPImpl::forward, for every activation and depth 1-3,
  // with rows that exercise the kernels' 4-row blocks and their tails.
  torch::manual_seed(21);
  for (Activation activation : {Activation::kSiLU, Activation::kReLU, Activation::kTanh}) {
    for (const std::vector<std::int64_t>& hidden : {std::vector<std::int64_t>{}, {37}, {64, 33}}) {
      MLP mlp(MLPOptions(19, 7).hidden_sizes(hidden).activation(activation).ortho_init(false));
      const MLPWeights weights = mlp->inference_weights();
      std::vector<float> scratch;
      for (std::int64_t rows : {1, 5, 13}) {
        const torch::Tensor x = 2.0 * torch::randn({rows, 19});
        torch::Tensor y = torch::empty({rows, 7});
        mlp_forward(weights, x.data_ptr<float>(), rows, y.data_ptr<float>(), scratch);
        torch::NoGradGuard no_grad;
        EXPECT_LT(testing::max_error(y, mlp->forward(x)), 1e-5) << to_string(activation) << " rows " << rows;
      }
    }
  }
}

}  // namespace
}  // namespace equimol::models
