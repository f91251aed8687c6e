// EGNN: agreement with a direct transcription of the reference E_GCL (concatenate, Linear,
// scatter-add), batching, parameter counts, input checks and gradients.
#include "models/egnn.h"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "models/dense_linear.h"

#include "egnn_test_util.h"

namespace equimol::models {
namespace {

using testing::max_error;
using testing::random_inputs;

/// Sum of rows per receiver the way the reference code does it (scatter_add_ with an expanded index).
torch::Tensor scatter_sum(const torch::Tensor& data, const torch::Tensor& row, std::int64_t n) {
  return torch::zeros({n, data.size(1)}, data.options()).scatter_add_(0, row.unsqueeze(1).expand({-1, data.size(1)}), data);
}

/// One E_GCL step written like the reference egnn_clean.py E_GCL.forward, with the layer's weights;
/// the velocity form follows the paper (eq. 7).
EGCLState reference_layer(EGCLImpl& layer, const testing::GraphInputs& in, const EGCLState& s) {
  auto p = layer.named_parameters();
  const auto& o = layer.options;
  const auto row = in.edges[0], col = in.edges[1];
  const std::int64_t n = s.h.size(0);
  auto diff = s.x.index({row}) - s.x.index({col});
  const auto radial = (diff * diff).sum(1, true);
  if (o.normalize()) diff = diff / (radial.sqrt() + 1e-8);
  std::vector<torch::Tensor> parts = {p["message_receiver.weight"], p["message_sender.weight"],
                                      p["message_distance"].unsqueeze(1)};
  std::vector<torch::Tensor> inputs = {s.h.index({row}), s.h.index({col}), radial};
  if (o.edge_features() > 0) {
    parts.push_back(p["message_attr.weight"]);
    inputs.push_back(in.edge_attr);
  }
  const auto w1 = torch::cat(parts, 1);  // the unsplit Linear(2F + 1 + A, H)
  auto m = torch::silu(torch::linear(torch::silu(torch::linear(torch::cat(inputs, 1), w1, p["message_receiver.bias"])),
                                     p["message_out.weight"], p["message_out.bias"]));
  if (o.attention()) m = m * torch::sigmoid(torch::linear(m, p["attention.weight"], p["attention.bias"]));
  auto phi = torch::linear(torch::silu(torch::linear(m, p["coord_hidden.weight"], p["coord_hidden.bias"])),
                           p["coord_out.weight"]);
  if (o.tanh()) phi = torch::tanh(phi);
  auto shift = scatter_sum(diff * phi, row, n);
  if (o.coord_aggregation() == Aggregation::kMean) shift = shift / scatter_sum(torch::ones_like(diff), row, n).clamp_min(1);
  EGCLState out;
  if (o.velocity()) {
    const auto scale = torch::linear(torch::silu(torch::linear(s.h, p["velocity_hidden.weight"], p["velocity_hidden.bias"])),
                                     p["velocity_out.weight"], p["velocity_out.bias"]);
    out.v = scale * s.v + shift;
    out.x = s.x + out.v;
  } else {
    out.x = s.x + shift;
  }
  const auto agg = torch::cat({s.h, scatter_sum(m, row, n)}, 1);
  out.h = s.h + torch::linear(torch::silu(torch::linear(agg, p["node_hidden.weight"], p["node_hidden.bias"])),
                              p["node_out.weight"], p["node_out.bias"]);
  return out;
}

struct Variant {
  bool attention, normalize, tanh, velocity;
  std::int64_t edge_features;
  Aggregation aggregation;
};

class EgclReference : public ::testing::TestWithParam<Variant> {};

TEST_P(EgclReference, LayerEqualsReferenceTranscription) {
  const Variant var = GetParam();
  torch::manual_seed(3);
  EGCL layer(EGCLOptions(8, 16, 8)
                 .edge_features(var.edge_features)
                 .attention(var.attention)
                 .normalize(var.normalize)
                 .tanh(var.tanh)
                 .velocity(var.velocity)
                 .coord_aggregation(var.aggregation));
  layer->to(torch::kFloat64);
  const auto in = random_inputs({5, 7}, 8, var.edge_features, 3, torch::kFloat64, 11);
  const EGCLState s{in.h, in.x, var.velocity ? in.v : torch::Tensor()};
  const EGCLState ours = layer(in.graph(torch::kFloat64), s, var.edge_features > 0 ? in.edge_attr : torch::Tensor());
  const EGCLState ref = reference_layer(*layer, in, s);
  EXPECT_LT(max_error(ours.h, ref.h), 1e-12);
  EXPECT_LT(max_error(ours.x, ref.x), 1e-12);
  if (var.velocity) {
    EXPECT_LT(max_error(ours.v, ref.v), 1e-12);
  }
  EXPECT_GT(max_error(ours.x, in.x), 1e-6);  // the layer does move the nodes
}

INSTANTIATE_TEST_SUITE_P(Variants, EgclReference,
                         ::testing::Values(Variant{false, false, false, false, 0, Aggregation::kMean},
                                           Variant{true, false, false, false, 0, Aggregation::kSum},
                                           Variant{false, true, true, false, 2, Aggregation::kMean},
                                           Variant{true, true, true, true, 3, Aggregation::kMean}));

TEST(Egnn, BatchOfGraphsEqualsGraphsRunSeparately) {
  torch::manual_seed(5);
  EGNN net(EGNNOptions(4, 16, 3).layers(3).attention(true).velocity(true).edge_features(2).pooling(Pooling::kMean));
  net->to(torch::kFloat64);
  const std::vector<std::int64_t> sizes = {4, 6, 3};
  const auto all = random_inputs(sizes, 4, 2, 3, torch::kFloat64, 21);
  const auto batched = net(all.graph(torch::kFloat64), all.h, all.x, all.edge_attr, all.v);
  std::int64_t node = 0, edge = 0;
  for (std::size_t k = 0; k < sizes.size(); ++k) {
    const std::int64_t n = sizes[k], e = n * (n - 1);
    const auto edges = complete_graph_edges(std::vector<std::int64_t>{n});
    const auto g = make_graph(edges, batch_from_sizes({n}), 1, torch::kFloat64);
    const auto one = net(g, all.h.narrow(0, node, n), all.x.narrow(0, node, n), all.edge_attr.narrow(0, edge, e),
                         all.v.narrow(0, node, n));
    EXPECT_LT(max_error(one.h, batched.h.narrow(0, node, n)), 1e-12) << "graph " << k;
    EXPECT_LT(max_error(one.x, batched.x.narrow(0, node, n)), 1e-12) << "graph " << k;
    EXPECT_LT(max_error(one.v, batched.v.narrow(0, node, n)), 1e-12) << "graph " << k;
    EXPECT_LT(max_error(one.graph_h, batched.graph_h.narrow(0, k, 1)), 1e-12) << "graph " << k;
    node += n;
    edge += e;
  }
}

TEST(Egnn, ParameterCountMatchesReferenceLayout) {
  // Per layer (F = H = 64, A = 0): phi_e (2F + 1) H + H + H H + H; phi_x H H + H + H; phi_h (F + H) H + H + H F + F.
  const std::int64_t f = 64, h = 64, in = 5, out = 1, layers = 4;
  const std::int64_t per_layer = ((2 * f + 1) * h + h + h * h + h) + (h * h + h + h) + ((f + h) * h + h + h * f + f);
  const std::int64_t expected = (in * h + h) + layers * per_layer + (h * out + out);
  EGNN net(EGNNOptions(in, h, out).layers(layers));
  std::int64_t count = 0;
  for (const auto& p : net->parameters()) count += p.numel();
  EXPECT_EQ(count, expected);
  EXPECT_EQ(expected, 116929);  // the benchmark network (in 5, hidden 64, out 1, 4 layers)
}

TEST(Egnn, RejectsBadOptionsAndInputs) {
  EXPECT_THROW(EGNN(EGNNOptions(4, 0, 3)), std::invalid_argument);
  EXPECT_THROW(EGNN(EGNNOptions(4, 16, 3).layers(0)), std::invalid_argument);
  EXPECT_THROW(EGCL(EGCLOptions(4, 16, 8)), std::invalid_argument);  // residual needs in == out
  EXPECT_NO_THROW(EGCL(EGCLOptions(4, 16, 8).residual(false)));
  EGNN net(EGNNOptions(4, 16, 3).velocity(true).edge_features(2));
  const auto in = random_inputs({3, 4}, 4, 2, 3, torch::kFloat32, 1);
  const auto g = in.graph(torch::kFloat32);
  EXPECT_THROW(net(g, in.h.narrow(1, 0, 3), in.x, in.edge_attr, in.v), std::invalid_argument);  // h width
  EXPECT_THROW(net(g, in.h, in.x, in.edge_attr), std::invalid_argument);                        // no velocity
  EXPECT_THROW(net(g, in.h, in.x, torch::Tensor(), in.v), std::invalid_argument);               // no edge_attr
  EXPECT_NO_THROW(net(g, in.h, in.x, in.edge_attr, in.v));
}

TEST(Egnn, EveryParameterGetsAFiniteGradient) {
  torch::manual_seed(9);
  EGNN net(EGNNOptions(4, 16, 2).layers(2).attention(true).velocity(true).edge_features(1).tanh(true));
  const auto in = random_inputs({5, 5}, 4, 1, 3, torch::kFloat32, 2);
  const auto out = net(in.graph(torch::kFloat32), in.h, in.x, in.edge_attr, in.v);
  (out.graph_h.square().sum() + out.x.square().sum() + out.v.square().sum()).backward();
  for (const auto& p : net->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    EXPECT_TRUE(torch::isfinite(p.value().grad()).all().item<bool>()) << p.key();
    EXPECT_GT(p.value().grad().abs().max().item<double>(), 0.0) << p.key();
  }
}

TEST(Egnn, Float32AgreesWithFloat64) {
  torch::manual_seed(4);
  EGNN net(EGNNOptions(4, 32, 3).layers(4));
  const auto in = random_inputs({12}, 4, 0, 3, torch::kFloat64, 8);
  net->to(torch::kFloat64);
  const auto ref = net(in.graph(torch::kFloat64), in.h, in.x);
  net->to(torch::kFloat32);
  const auto out = net(in.graph(torch::kFloat64), in.h.to(torch::kFloat32), in.x.to(torch::kFloat32));  // graph converted
  EXPECT_EQ(out.h.scalar_type(), torch::kFloat32);
  EXPECT_EQ(out.x.scalar_type(), torch::kFloat32);
  EXPECT_LT(max_error(out.h, ref.h), 1e-4);
  EXPECT_LT(max_error(out.x, ref.x), 1e-4);
}

TEST(Egnn, DenseKernelsMatchTorchLinearInValueAndGradient) {
  const auto in = random_inputs(std::vector<std::int64_t>(10, 12), 4, 0, 3, torch::kFloat32, 12);  // 1320 edges
  auto run = [&](bool kernels) {
    torch::manual_seed(6);  // same weights for both
    EGNN net(EGNNOptions(4, 32, 2).layers(3).dense_kernels(kernels));
    const auto out = net(in.graph(torch::kFloat32), in.h, in.x);
    (out.graph_h.square().sum() + out.x.square().sum()).backward();
    std::map<std::string, torch::Tensor> grads;
    for (const auto& p : net->named_parameters()) grads[p.key()] = p.value().grad().clone();
    return std::make_pair(out, grads);
  };
  const auto [fast, fast_grads] = run(true);
  const auto [reference, reference_grads] = run(false);
  EXPECT_LT(max_error(fast.h, reference.h), 1e-4);
  EXPECT_LT(max_error(fast.x, reference.x), 1e-4);
  for (const auto& [name, grad] : reference_grads) {
    EXPECT_LT(max_error(fast_grads.at(name), grad), 1e-4 * std::max(1.0, grad.abs().max().item<double>())) << name;
  }
}

TEST(Egnn, DenseLinearGradientsEqualTorchLinear) {
  torch::manual_seed(9);
  const auto x = torch::randn({37, 20}, torch::requires_grad());
  const auto weight = torch::randn({33, 20}, torch::requires_grad());
  const auto bias = torch::randn({33}, torch::requires_grad());
  const auto upstream = torch::randn({37, 33});
  auto grads = [&](const torch::Tensor& y) { return torch::autograd::grad({y}, {x, weight, bias}, {upstream}); };
  const auto ours = grads(dense_linear(x, weight, bias));
  const auto theirs = grads(torch::linear(x, weight, bias));
  for (std::size_t i = 0; i < 3; ++i) EXPECT_LT(max_error(ours[i], theirs[i]), 1e-4) << i;
  EXPECT_LT(max_error(dense_linear(x, weight, {}), torch::linear(x, weight)), 1e-5);  // no bias
}

TEST(Egnn, NormalizedDirectionsStayFiniteForCoincidentNodes) {
  torch::manual_seed(2);
  EGNN net(EGNNOptions(2, 8, 1).layers(2).normalize(true));
  const auto in = random_inputs({3}, 2, 0, 2, torch::kFloat32, 3);
  const auto x = torch::zeros({3, 2});  // all three nodes on top of each other
  const auto out = net(in.graph(torch::kFloat32), in.h, x);
  EXPECT_TRUE(torch::isfinite(out.h).all().item<bool>());
  EXPECT_EQ(out.x.abs().max().item<double>(), 0.0);
}

}  // namespace
}  // namespace equimol::models
