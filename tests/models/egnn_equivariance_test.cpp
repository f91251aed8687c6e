// EGNN is E(n)-equivariant: for random rotations AND reflections Q, translations t and relabellings of
// the nodes (and of the edge order), invariant outputs are unchanged and positions, displacement
// vectors and velocities transform as x -> Q x + t, u -> Q u. Checked in n = 1, 2, 3 dimensions,
// float64 (error < 1e-9) and float32 (error < 1e-4), for each option that changes the math.
#include <gtest/gtest.h>

#include <iomanip>
#include <sstream>
#include <string>
#include <tuple>

#include "egnn_test_util.h"
#include "models/egnn.h"

namespace equimol::models {
namespace {

using testing::GraphInputs;
using testing::max_error;

struct Config {
  std::string name;
  bool attention, normalize, tanh, velocity;
  std::int64_t edge_features;
  Aggregation aggregation;
};

const Config kConfigs[] = {
    {"plain", false, false, false, false, 0, Aggregation::kMean},
    {"attention", true, false, false, false, 0, Aggregation::kMean},
    {"normalize_tanh", false, true, true, false, 0, Aggregation::kSum},
    {"velocity", false, false, false, true, 0, Aggregation::kMean},
    {"everything", true, true, true, true, 2, Aggregation::kSum},
};

EGNNOptions options_for(const Config& c) {
  return EGNNOptions(5, 32, 3)
      .layers(3)
      .edge_features(c.edge_features)
      .attention(c.attention)
      .normalize(c.normalize)
      .tanh(c.tanh)
      .velocity(c.velocity)
      .coord_aggregation(c.aggregation);
}

/// The same batch seen through Q, t and a relabelling: new node k is old node perm[k], and the edge
/// list is renumbered and shuffled (edge attributes follow their edges).
GraphInputs transformed(const GraphInputs& in, const torch::Tensor& q, const torch::Tensor& t,
                        const torch::Tensor& perm, const torch::Tensor& edge_perm) {
  const auto inverse = torch::empty_like(perm).index_put_({perm}, torch::arange(perm.size(0)));
  GraphInputs out = in;
  out.batch = in.batch.index({perm});
  out.edges = inverse.index({in.edges}).index_select(1, edge_perm);
  out.edge_attr = in.edge_attr.index({edge_perm});
  out.h = in.h.index({perm});
  out.x = (torch::matmul(in.x, q.t()) + t).index({perm});
  out.v = torch::matmul(in.v, q.t()).index({perm});
  return out;
}

struct Errors {
  double invariant = 0.0;    // h and pooled h
  double equivariant = 0.0;  // x, vector, v
};

/// `features_from_positions` feeds h = x to the network (a deliberately broken model, see below).
Errors equivariance_errors(EGNN& net, const GraphInputs& in, const torch::Tensor& q, const torch::Tensor& t,
                           at::Generator& gen, torch::Dtype dtype, bool features_from_positions = false) {
  const auto perm = testing::random_permutation(in.h.size(0), gen);
  const auto edge_perm = testing::random_permutation(in.edges.size(1), gen);
  GraphInputs moved = transformed(in, q, t, perm, edge_perm);
  if (features_from_positions) moved.h = moved.x;
  const bool vel = net->options.velocity();
  const auto a = net(in.graph(dtype), in.h, in.x, in.edge_attr, vel ? in.v : torch::Tensor());
  const auto b = net(moved.graph(dtype), moved.h, moved.x, moved.edge_attr, vel ? moved.v : torch::Tensor());
  Errors e;
  e.invariant = std::max(max_error(b.h, a.h.index({perm})), max_error(b.graph_h, a.graph_h));
  e.equivariant = std::max(max_error(b.x, (torch::matmul(a.x, q.t()) + t).index({perm})),
                           max_error(b.vector, torch::matmul(a.vector, q.t()).index({perm})));
  if (vel) e.equivariant = std::max(e.equivariant, max_error(b.v, torch::matmul(a.v, q.t()).index({perm})));
  return e;
}

std::string scientific(double value) {
  std::ostringstream os;
  os << std::scientific << std::setprecision(2) << value;
  return os.str();
}

class EgnnEquivariance : public ::testing::TestWithParam<std::tuple<int, std::int64_t, torch::Dtype>> {};

TEST_P(EgnnEquivariance, InvariantAndEquivariantUnderOrthogonalMapsTranslationsAndPermutations) {
  const auto& [config_index, n, dtype] = GetParam();
  const Config& config = kConfigs[config_index];
  const double tolerance = dtype == torch::kFloat64 ? 1e-9 : 1e-4;
  torch::manual_seed(17 + config_index);
  EGNN net(options_for(config));
  net->to(dtype);
  auto gen = testing::generator(100 + 10 * config_index + n);
  const GraphInputs in = testing::random_inputs({5, 7}, 5, config.edge_features, n, dtype, 31 + n);
  for (bool reflection : {false, true}) {
    const auto q = testing::random_orthogonal(n, reflection, gen).to(dtype);
    const auto t = (3.0 * torch::randn({n}, gen, torch::kFloat64)).to(dtype);
    const Errors e = equivariance_errors(net, in, q, t, gen, dtype);
    const char* kind = reflection ? "reflection" : "rotation";
    RecordProperty(std::string(kind) + "_invariant_error", scientific(e.invariant));  // in --gtest_output
    RecordProperty(std::string(kind) + "_equivariant_error", scientific(e.equivariant));
    EXPECT_LT(e.invariant, tolerance) << config.name << " n=" << n << " " << kind;
    EXPECT_LT(e.equivariant, tolerance) << config.name << " n=" << n << " " << kind;
  }
}

std::string name(const ::testing::TestParamInfo<EgnnEquivariance::ParamType>& info) {
  const auto& [config_index, n, dtype] = info.param;
  return kConfigs[config_index].name + "_n" + std::to_string(n) + (dtype == torch::kFloat64 ? "_f64" : "_f32");
}

INSTANTIATE_TEST_SUITE_P(AllConfigs, EgnnEquivariance,
                         ::testing::Combine(::testing::Range(0, 5), ::testing::Values<std::int64_t>(1, 2, 3),
                                            ::testing::Values(torch::kFloat64, torch::kFloat32)),
                         name);

TEST(EgnnEquivarianceLarge, Float32BatchOfTenGraphs) {
  // A training-sized batch: per-edge layers through the dense kernels, with gradients on (LibTorch
  // path) and off (inference path).
  torch::manual_seed(23);
  EGNN net(options_for(kConfigs[4]));
  auto gen = testing::generator(77);
  const GraphInputs in = testing::random_inputs(std::vector<std::int64_t>(10, 12), 5, 2, 3, torch::kFloat32, 78);
  for (bool gradients : {true, false}) {
    const torch::AutoGradMode mode(gradients);
    for (bool reflection : {false, true}) {
      const auto q = testing::random_orthogonal(3, reflection, gen).to(torch::kFloat32);
      const auto t = (3.0 * torch::randn({3}, gen, torch::kFloat64)).to(torch::kFloat32);
      const Errors e = equivariance_errors(net, in, q, t, gen, torch::kFloat32);
      EXPECT_LT(e.invariant, 1e-4) << "gradients " << gradients;
      EXPECT_LT(e.equivariant, 1e-4) << "gradients " << gradients;
    }
  }
}

TEST(EgnnEquivarianceCheck, DetectsANetworkThatSeesAbsolutePositions) {
  // Negative control: feeding raw coordinates as node features breaks the symmetry, and the same
  // measurement must then report errors far above the tolerance.
  torch::manual_seed(1);
  EGNN net(EGNNOptions(3, 16, 2).layers(2));
  net->to(torch::kFloat64);
  auto gen = testing::generator(5);
  GraphInputs in = testing::random_inputs({6}, 3, 0, 3, torch::kFloat64, 6);
  in.h = in.x;
  const auto q = testing::random_orthogonal(3, false, gen);
  const auto t = torch::randn({3}, gen, torch::kFloat64);
  const Errors e = equivariance_errors(net, in, q, t, gen, torch::kFloat64, /*features_from_positions=*/true);
  EXPECT_GT(e.invariant, 1e-3);
}

}  // namespace
}  // namespace equimol::models
