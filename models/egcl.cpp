#include "models/egcl.h"

#include <cmath>
#include <stdexcept>
#include <string>

#include "models/dense_linear.h"

namespace equimol::models {

namespace {

using torch::nn::Linear;
using torch::nn::LinearOptions;

// Added to |x_i - x_j| before dividing (normalize): coincident nodes get a zero, not a NaN, direction.
constexpr double kNormEpsilon = 1e-8;
// phi_x's last layer starts tiny (Xavier gain 1e-3, as in the reference code) so that early training
// barely moves the coordinates.
constexpr double kCoordOutGain = 1e-3;

EGCLOptions checked(const EGCLOptions& o) {
  auto positive = [](std::int64_t value, const char* name) {
    if (value < 1) throw std::invalid_argument(std::string("EGCL: ") + name + " must be >= 1, got " + std::to_string(value));
  };
  positive(o.in_features(), "in_features");
  positive(o.hidden_features(), "hidden_features");
  positive(o.out_features(), "out_features");
  if (o.edge_features() < 0) {
    throw std::invalid_argument("EGCL: edge_features must be >= 0, got " + std::to_string(o.edge_features()));
  }
  if (o.residual() && o.in_features() != o.out_features()) {
    throw std::invalid_argument("EGCL: a residual layer needs in_features (" + std::to_string(o.in_features()) +
                                ") == out_features (" + std::to_string(o.out_features()) + ")");
  }
  return o;
}

/// Shapes of one layer call; only sizes are read, so it costs nothing next to the math.
void check_inputs(const EGCLOptions& o, const Graph& graph, const EGCLState& in, const torch::Tensor& edge_attr) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("EGCL: " + what); };
  if (!in.h.defined() || in.h.dim() != 2 || in.h.size(0) != graph.num_nodes || in.h.size(1) != o.in_features()) {
    fail("h must be [" + std::to_string(graph.num_nodes) + ", " + std::to_string(o.in_features()) + "]");
  }
  if (!in.x.defined() || in.x.dim() != 2 || in.x.size(0) != graph.num_nodes) {
    fail("x must be [" + std::to_string(graph.num_nodes) + ", n]");
  }
  check_velocity_and_edge_inputs(o.velocity(), o.edge_features(), graph, in.x, in.v, edge_attr);
  if (graph.inv_degree.scalar_type() != in.x.scalar_type()) {
    fail("graph was made for another float dtype than x (make_graph's float_dtype)");
  }
}

/// U(-1/sqrt(fan_in), 1/sqrt(fan_in)), torch's default Linear init, for the parts of a split layer.
void uniform_fan_in_(torch::Tensor& t, std::int64_t fan_in) {
  const double bound = 1.0 / std::sqrt(static_cast<double>(fan_in));
  torch::nn::init::uniform_(t, -bound, bound);
}

}  // namespace

void check_velocity_and_edge_inputs(bool velocity, std::int64_t edge_features, const Graph& graph,
                                    const torch::Tensor& x, const torch::Tensor& v, const torch::Tensor& edge_attr) {
  if (velocity && (!v.defined() || v.sizes() != x.sizes())) {
    throw std::invalid_argument("EGCL: velocity layers need v shaped like x");
  }
  const std::int64_t edges = graph.row.size(0);
  if (edge_features > 0 && (!edge_attr.defined() || edge_attr.dim() != 2 || edge_attr.size(0) != edges ||
                            edge_attr.size(1) != edge_features)) {
    throw std::invalid_argument("EGCL: edge_attr must be [E = " + std::to_string(edges) + ", " +
                                std::to_string(edge_features) + "]");
  }
}

EGCLImpl::EGCLImpl(const EGCLOptions& o)
    : options(checked(o)),
      message_receiver_(LinearOptions(o.in_features(), o.hidden_features())),
      message_sender_(LinearOptions(o.in_features(), o.hidden_features()).bias(false)),
      message_distance_(torch::empty({o.hidden_features()})),
      message_attr_(o.edge_features() > 0 ? Linear(LinearOptions(o.edge_features(), o.hidden_features()).bias(false))
                                          : Linear(nullptr)),
      message_out_(o.hidden_features(), o.hidden_features()),
      attention_(o.attention() ? Linear(o.hidden_features(), 1) : Linear(nullptr)),
      coord_hidden_(o.hidden_features(), o.hidden_features()),
      coord_out_(LinearOptions(o.hidden_features(), 1).bias(false)),
      node_hidden_(o.in_features() + o.hidden_features(), o.hidden_features()),
      node_out_(o.hidden_features(), o.out_features()),
      velocity_hidden_(o.velocity() ? Linear(o.in_features(), o.hidden_features()) : Linear(nullptr)),
      velocity_out_(o.velocity() ? Linear(o.hidden_features(), 1) : Linear(nullptr)) {
  register_module("message_receiver", message_receiver_);
  register_module("message_sender", message_sender_);
  message_distance_ = register_parameter("message_distance", message_distance_);
  if (message_attr_) register_module("message_attr", message_attr_);
  register_module("message_out", message_out_);
  if (attention_) register_module("attention", attention_);
  register_module("coord_hidden", coord_hidden_);
  register_module("coord_out", coord_out_);
  register_module("node_hidden", node_hidden_);
  register_module("node_out", node_out_);
  if (velocity_hidden_) register_module("velocity_hidden", velocity_hidden_);
  if (velocity_out_) register_module("velocity_out", velocity_out_);

  torch::NoGradGuard no_grad;
  const std::int64_t fan_in = 2 * o.in_features() + 1 + o.edge_features();  // of the unsplit first layer
  for (torch::Tensor& t : message_receiver_->parameters()) uniform_fan_in_(t, fan_in);
  uniform_fan_in_(message_sender_->weight, fan_in);
  uniform_fan_in_(message_distance_, fan_in);
  if (message_attr_) uniform_fan_in_(message_attr_->weight, fan_in);
  torch::nn::init::xavier_uniform_(coord_out_->weight, kCoordOutGain);
}

torch::Tensor EGCLImpl::linear(const torch::nn::Linear& layer, const torch::Tensor& x) const {
  if (options.dense_kernels() && x.scalar_type() == torch::kFloat32 && x.device().is_cpu() &&
      layer->weight.scalar_type() == torch::kFloat32) {
    return dense_linear(x, layer->weight, layer->bias);
  }
  return torch::linear(x, layer->weight, layer->bias);
}

EGCLState EGCLImpl::forward(const Graph& graph, const EGCLState& in, const torch::Tensor& edge_attr) {
  check_inputs(options, graph, in, edge_attr);
  const auto [radial, direction] = coord2radial(graph, in.x);
  const torch::Tensor m = edge_model(graph, in.h, radial, edge_attr);
  const torch::Tensor shift = coord_shift(graph, direction, m);
  EGCLState out = move(in, shift);
  out.h = node_model(graph, in.h, m);
  return out;
}

std::pair<torch::Tensor, torch::Tensor> EGCLImpl::coord2radial(const Graph& graph, const torch::Tensor& x) const {
  const torch::Tensor diff = x.index_select(0, graph.row) - x.index_select(0, graph.col);
  const torch::Tensor radial = diff.square().sum(1, /*keepdim=*/true);
  if (!options.normalize()) return {radial, diff};
  // As in the reference code the norm is detached: the direction is a unit vector, not a path for gradients.
  return {radial, diff / (radial.detach().sqrt() + kNormEpsilon)};
}

torch::Tensor EGCLImpl::edge_model(const Graph& graph, const torch::Tensor& h, const torch::Tensor& radial,
                                   const torch::Tensor& edge_attr) {
  torch::Tensor pre = linear(message_receiver_, h).index_select(0, graph.row) +
                      linear(message_sender_, h).index_select(0, graph.col);
  pre = torch::addmm(pre, radial, message_distance_.unsqueeze(0));  // rank-1 update: cheaper backward than addcmul
  if (message_attr_) pre = torch::addmm(pre, edge_attr, message_attr_->weight.t());
  torch::Tensor m = activate(linear(message_out_, activate(pre, options.activation())), options.activation());
  if (attention_) m = m * torch::sigmoid(linear(attention_, m));
  return m;
}

torch::Tensor EGCLImpl::coord_shift(const Graph& graph, const torch::Tensor& direction, const torch::Tensor& m) {
  torch::Tensor phi = linear(coord_out_, activate(linear(coord_hidden_, m), options.activation()));  // [E, 1]
  if (options.tanh()) phi = torch::tanh(phi);
  const torch::Tensor shift = segment_sum(direction * phi, graph.row, graph.num_nodes);
  return options.coord_aggregation() == Aggregation::kMean ? shift * graph.inv_degree : shift;
}

EGCLState EGCLImpl::move(const EGCLState& in, const torch::Tensor& shift) {
  if (!velocity_out_) return {torch::Tensor(), in.x + shift, torch::Tensor()};
  const torch::Tensor scale = linear(velocity_out_, activate(linear(velocity_hidden_, in.h), options.activation()));  // [N, 1]
  const torch::Tensor v = torch::addcmul(shift, scale, in.v);
  return {torch::Tensor(), in.x + v, v};
}

torch::Tensor EGCLImpl::node_model(const Graph& graph, const torch::Tensor& h, const torch::Tensor& m) {
  const torch::Tensor aggregated = segment_sum(m, graph.row, graph.num_nodes);
  const torch::Tensor out = linear(node_out_, activate(linear(node_hidden_, torch::cat({h, aggregated}, 1)), options.activation()));
  return options.residual() ? h + out : out;
}

EGCLWeights EGCLImpl::inference_weights() const {
  EGCLWeights w;
  w.in_features = options.in_features();
  w.hidden = options.hidden_features();
  w.out_features = options.out_features();
  w.edge_features = options.edge_features();
  w.activation = options.activation();
  w.residual = options.residual();
  w.attention = options.attention();
  w.normalize = options.normalize();
  w.tanh = options.tanh();
  w.velocity = options.velocity();
  w.mean_aggregation = options.coord_aggregation() == Aggregation::kMean;
  w.receiver_wt = transposed_floats(message_receiver_->weight);
  w.receiver_b = flat_floats(message_receiver_->bias);
  w.sender_wt = transposed_floats(message_sender_->weight);
  w.distance_w = flat_floats(message_distance_);
  if (message_attr_) w.attr_wt = transposed_floats(message_attr_->weight);
  w.message_wt = transposed_floats(message_out_->weight);
  w.message_b = flat_floats(message_out_->bias);
  if (attention_) {
    w.attention_w = flat_floats(attention_->weight);
    w.attention_b = attention_->bias.item<float>();
  }
  w.coord_wt = transposed_floats(coord_hidden_->weight);
  w.coord_b = flat_floats(coord_hidden_->bias);
  w.coord_out_w = flat_floats(coord_out_->weight);
  w.node_wt = transposed_floats(node_hidden_->weight);
  w.node_b = flat_floats(node_hidden_->bias);
  w.node_out_wt = transposed_floats(node_out_->weight);
  w.node_out_b = flat_floats(node_out_->bias);
  if (velocity_hidden_) {
    w.velocity_wt = transposed_floats(velocity_hidden_->weight);
    w.velocity_b = flat_floats(velocity_hidden_->bias);
    w.velocity_out_w = flat_floats(velocity_out_->weight);
    w.velocity_out_b = velocity_out_->bias.item<float>();
  }
  return w;
}

}  // namespace equimol::models
