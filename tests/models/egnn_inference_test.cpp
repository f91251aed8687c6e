// The dispatch-free inference path (dense_kernels, egnn_inference) computes the same function as the
// LibTorch path: kernels against torch ops, whole networks against the same weights run through
// LibTorch, for every option that changes the math, in n = 1, 2, 3 and with widths that are not
// multiples of the kernels' 16 lanes; and the weight copy follows optimizer steps.
#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "egnn_test_util.h"
#include "models/dense_kernels.h"
#include "models/egnn.h"

namespace equimol::models {
namespace {

using testing::max_error;
using testing::random_inputs;

/// Largest |a - b| relative to the scale of b (at least 1).
double relative_error(const torch::Tensor& a, const torch::Tensor& b) {
  return max_error(a, b) / std::max(1.0, b.abs().max().item<double>());
}

TEST(DenseKernels, LinearMatchesTorchLinearForEveryShapeClass) {
  torch::manual_seed(1);
  // rows below and above the 4-row block, widths below, at and above the 16 lanes, with tails
  for (std::int64_t rows : {1, 3, 4, 9, 132}) {
    for (std::int64_t in : {1, 5, 16, 37, 64}) {
      for (std::int64_t out : {1, 5, 16, 33, 64}) {
        const auto x = torch::randn({rows, in});
        const auto weight = torch::randn({out, in});
        const auto bias = torch::randn({out});
        const auto wt = weight.t().contiguous();
        auto y = torch::empty({rows, out});
        kernels::linear(x.data_ptr<float>(), rows, in, wt.data_ptr<float>(), bias.data_ptr<float>(), out,
                        y.data_ptr<float>());
        const std::string shape = std::to_string(rows) + "x" + std::to_string(in) + "->" + std::to_string(out);
        EXPECT_LT(relative_error(y, torch::linear(x, weight, bias)), 1e-5) << shape;
        auto acc = torch::ones({rows, out});
        kernels::linear_accumulate(x.data_ptr<float>(), rows, in, wt.data_ptr<float>(), out, acc.data_ptr<float>());
        EXPECT_LT(relative_error(acc, 1.0 + torch::linear(x, weight)), 1e-5) << shape;
        auto no_bias = torch::empty({rows, out});
        kernels::linear(x.data_ptr<float>(), rows, in, wt.data_ptr<float>(), nullptr, out, no_bias.data_ptr<float>());
        EXPECT_LT(relative_error(no_bias, torch::linear(x, weight)), 1e-5) << shape;
      }
    }
  }
}

TEST(DenseKernels, RowDotMatchesMatrixVectorProduct) {
  torch::manual_seed(2);
  for (std::int64_t in : {1, 15, 16, 40, 64}) {
    const auto x = torch::randn({7, in});
    const auto w = torch::randn({in});
    auto y = torch::empty({7});
    kernels::row_dot(x.data_ptr<float>(), 7, in, w.data_ptr<float>(), y.data_ptr<float>());
    EXPECT_LT(relative_error(y, torch::mv(x, w)), 1e-5) << in;
  }
}

TEST(DenseKernels, ActivationsMatchTorchFromUnderflowToOverflow) {
  // -100 and 100 push exp past float range; the polynomial exp must saturate, not return inf or NaN.
  const auto x = torch::cat({torch::linspace(-100.0, 100.0, 20001), torch::linspace(-1e-3, 1e-3, 101)});
  auto run = [&](auto kernel) {
    torch::Tensor y = x.clone();
    kernel(y.data_ptr<float>(), y.numel());
    return y;
  };
  const auto silu = run([](float* d, std::int64_t n) { kernels::activate(d, n, Activation::kSiLU); });
  const auto relu = run([](float* d, std::int64_t n) { kernels::activate(d, n, Activation::kReLU); });
  const auto tanh = run([](float* d, std::int64_t n) { kernels::activate(d, n, Activation::kTanh); });
  const auto sigmoid = run([](float* d, std::int64_t n) { kernels::sigmoid(d, n); });
  // SiLU grows like x: compare relative to max(1, |x|); the others are bounded by 1.
  EXPECT_LT(((silu - torch::silu(x)).abs() / torch::clamp_min(x.abs(), 1.0)).max().item<double>(), 1e-6);
  EXPECT_EQ(max_error(relu, torch::relu(x)), 0.0);
  EXPECT_LT(max_error(tanh, torch::tanh(x)), 2e-7);
  EXPECT_LT(max_error(sigmoid, torch::sigmoid(x)), 2e-7);
  EXPECT_TRUE(torch::isfinite(torch::stack({silu, tanh, sigmoid})).all().item<bool>());
}

struct Variant {
  std::string name;
  std::int64_t hidden;
  Activation activation;
  bool attention, normalize, tanh, velocity, residual;
  std::int64_t edge_features;
  Aggregation aggregation;
  Pooling pooling;
};

const Variant kVariants[] = {
    {"plain", 32, Activation::kSiLU, false, false, false, false, true, 0, Aggregation::kMean, Pooling::kSum},
    {"attention_relu", 32, Activation::kReLU, true, false, false, false, true, 0, Aggregation::kMean, Pooling::kMean},
    {"normalize_tanh_sum", 20, Activation::kTanh, false, true, true, false, false, 0, Aggregation::kSum, Pooling::kSum},
    {"velocity", 16, Activation::kSiLU, false, false, false, true, true, 0, Aggregation::kMean, Pooling::kSum},
    {"everything", 24, Activation::kSiLU, true, true, true, true, true, 3, Aggregation::kSum, Pooling::kMean},
};

class EgnnInferencePath : public ::testing::TestWithParam<std::tuple<Variant, std::int64_t>> {};

TEST_P(EgnnInferencePath, EqualsTheLibTorchPath) {
  const auto& [variant, n] = GetParam();
  auto make = [&](bool kernels) {
    torch::manual_seed(11);  // same weights for both paths
    return EGNN(EGNNOptions(4, variant.hidden, 3)
                    .layers(3)
                    .activation(variant.activation)
                    .attention(variant.attention)
                    .normalize(variant.normalize)
                    .tanh(variant.tanh)
                    .velocity(variant.velocity)
                    .residual(variant.residual)
                    .edge_features(variant.edge_features)
                    .coord_aggregation(variant.aggregation)
                    .pooling(variant.pooling)
                    .inference_kernels(kernels));
  };
  EGNN fast = make(true), reference = make(false);
  const auto in = random_inputs({5, 1, 7}, 4, variant.edge_features, n, torch::kFloat32, 21);  // one lone node
  const auto graph = in.graph(torch::kFloat32);
  const torch::Tensor attr = variant.edge_features > 0 ? in.edge_attr : torch::Tensor();
  const torch::Tensor v = variant.velocity ? in.v : torch::Tensor();
  torch::InferenceMode inference;
  const auto a = fast(graph, in.h, in.x, attr, v);
  const auto b = reference(graph, in.h, in.x, attr, v);
  EXPECT_LT(relative_error(a.h, b.h), 1e-5);
  EXPECT_LT(relative_error(a.graph_h, b.graph_h), 1e-5);
  EXPECT_LT(relative_error(a.x, b.x), 1e-5);
  EXPECT_LT(relative_error(a.vector, b.vector), 1e-5);
  if (variant.velocity) {
    EXPECT_LT(relative_error(a.v, b.v), 1e-5);
  }
  EXPECT_LT(max_error(in.x, b.x - b.vector), 1e-5);  // the inputs were not written to
}

INSTANTIATE_TEST_SUITE_P(AllVariants, EgnnInferencePath,
                         ::testing::Combine(::testing::ValuesIn(kVariants), ::testing::Values(1, 2, 3)),
                         [](const auto& info) {
                           return std::get<0>(info.param).name + "_n" + std::to_string(std::get<1>(info.param));
                         });

TEST(EgnnInference, IsUsedOnlyWithoutGradientsAndFollowsOptimizerSteps) {
  torch::manual_seed(3);
  EGNN net(EGNNOptions(4, 16, 1).layers(2));
  const auto in = random_inputs({6}, 4, 0, 3, torch::kFloat32, 5);
  const auto graph = in.graph(torch::kFloat32);
  auto kernels_output = [&] {
    torch::NoGradGuard no_grad;
    return net(graph, in.h, in.x).graph_h;
  };
  const auto before = kernels_output();
  // With gradients the LibTorch path runs (the output has a graph) and the same function comes out.
  const auto with_grad = net(graph, in.h, in.x).graph_h;
  ASSERT_TRUE(with_grad.requires_grad());
  EXPECT_LT(relative_error(before, with_grad), 1e-5);
  torch::optim::SGD sgd(net->parameters(), torch::optim::SGDOptions(0.1));
  with_grad.sum().backward();
  sgd.step();  // in-place updates: the inference copy must be taken again
  const auto after = kernels_output();
  EXPECT_GT(max_error(after, before), 1e-3);
  EXPECT_LT(relative_error(after, net(graph, in.h, in.x).graph_h.detach()), 1e-5);
}

TEST(EgnnInference, RejectsMissingVelocitiesAndEdgeAttributes) {
  const auto in = random_inputs({4}, 4, 2, 3, torch::kFloat32, 6);
  torch::InferenceMode inference;
  EGNN velocity(EGNNOptions(4, 16, 1).layers(1).velocity(true));
  EXPECT_THROW(velocity(in.graph(torch::kFloat32), in.h, in.x), std::invalid_argument);
  EGNN attributed(EGNNOptions(4, 16, 1).layers(1).edge_features(2));
  EXPECT_THROW(attributed(in.graph(torch::kFloat32), in.h, in.x), std::invalid_argument);
}

}  // namespace
}  // namespace equimol::models
