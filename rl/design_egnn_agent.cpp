#include "rl/design_egnn_agent.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "models/graph_ops.h"
#include "rl/design_constants.h"
#include "rl/design_decoding.h"
#include "rl/sphere.h"

namespace equimol::rl {

const std::vector<int> kDesignElements = {1, 5, 6, 7, 8, 9, 14, 15, 16, 17, 35, 53};

namespace {

using namespace design_constants;

models::MLP head(std::int64_t in, std::int64_t hidden, std::int64_t out, double output_gain) {
  return models::MLP(models::MLPOptions(in, out)
                         .hidden_sizes({hidden})
                         .activation(models::Activation::kSiLU)
                         .output_gain(output_gain));
}

/// Entry index_b of dimension `dim` for each row b (dim 0): drops `dim`.
torch::Tensor take_per_row(const torch::Tensor& t, const torch::Tensor& index, std::int64_t dim) {
  std::vector<std::int64_t> view(static_cast<std::size_t>(t.dim()), 1);
  view[0] = t.size(0);
  std::vector<std::int64_t> shape = t.sizes().vec();
  shape[static_cast<std::size_t>(dim)] = 1;
  return t.gather(dim, index.view(view).expand(shape)).squeeze(dim);
}

/// t[:, :, k_b, ...] for each row b: drops dim 2.
torch::Tensor take_element(const torch::Tensor& t, const torch::Tensor& k) { return take_per_row(t, k, 2); }

/// t[b, f_b, ...] for each row b: drops dim 1.
torch::Tensor take_atom(const torch::Tensor& t, const torch::Tensor& f) { return take_per_row(t, f, 1); }

torch::Tensor categorical(const torch::Tensor& log_probs) {  // [B, K] -> [B]
  return torch::multinomial(log_probs.exp(), 1).squeeze(1);
}

torch::Tensor normal_log_prob(const torch::Tensor& x, const torch::Tensor& mean, const torch::Tensor& std) {
  return -0.5 * ((x - mean) / std).pow(2) - std.log() - kHalfLogTwoPi;
}

/// log of the mass the mixture leaves on r > 0: log Σ_c w_c Φ(μ_c / σ_c).
torch::Tensor positive_mass(const torch::Tensor& log_w, const torch::Tensor& mean, const torch::Tensor& std) {
  const torch::Tensor log_phi = torch::log(0.5 * torch::erfc(-mean / std / std::sqrt(2.0)));
  return torch::logsumexp(log_w + log_phi, -1);
}

/// log p_r(r) of the distance mixture truncated to r > 0: r [..., 1], the parameters [..., K].
torch::Tensor distance_log_prob(const torch::Tensor& r, const torch::Tensor& log_w, const torch::Tensor& mean,
                                const torch::Tensor& std) {
  return torch::logsumexp(log_w + normal_log_prob(r, mean, std), -1) - positive_mass(log_w, mean, std);
}

/// Covalent radii (Å) indexed by atomic number, [kEmbeddedElements] (0 beyond chem's table).
torch::Tensor covalent_radii(const torch::TensorOptions& options) {
  std::vector<double> radii(kEmbeddedElements, 0.0);
  for (int z = 1; z < kEmbeddedElements; ++z) radii[static_cast<std::size_t>(z)] = covalent_radius_ang(z);
  return torch::tensor(radii, torch::kDouble).to(options.dtype());
}

/// Node tensor [N, ...] laid out densely as [B, M, ...] (zeros where no atom).
torch::Tensor densify(const torch::Tensor& nodes, const GraphBatch& g, std::int64_t max_atoms) {
  std::vector<std::int64_t> shape = nodes.sizes().vec();
  shape.erase(shape.begin());
  shape.insert(shape.begin(), {static_cast<std::int64_t>(g.sizes.size()), max_atoms});
  const torch::Tensor batch = g.graph.batch;
  const torch::Tensor local = torch::arange(nodes.size(0), batch.options()) - g.first_node.index_select(0, batch);
  return torch::zeros(shape, nodes.options()).index_put_({batch, local}, nodes);
}

/// Unit vectors of v [..., 3] and their fade |v|² / (|v|² + kAxisScale²), 0 where v vanishes. Where no
/// axis exists (a lone atom) any unit vector will do: the laws built on it have faded to uniform.
std::pair<torch::Tensor, torch::Tensor> unit_axes(const torch::Tensor& v) {
  const torch::Tensor length2 = v.pow(2).sum(-1);
  const torch::Tensor z_axis = torch::tensor({0.0, 0.0, 1.0}, v.options());
  const torch::Tensor axes = torch::where(length2.gt(1e-30).unsqueeze(-1), v / length2.clamp_min(1e-30).sqrt().unsqueeze(-1), z_axis);
  return {axes, length2 / (length2 + kAxisScale * kAxisScale)};
}

}  // namespace

struct DesignEgnnActorCriticImpl::Features {
  GraphBatch graph;
  models::EGNNOutput out;
  torch::Tensor context;  // [B, hidden + vocabulary + 1] invariant
};

DesignEgnnActorCriticImpl::DesignEgnnActorCriticImpl(const envs::GraphSpace& observation_space,
                                                     const envs::Box& action_space, const EgnnAgentOptions& o)
    : layout_(GraphLayout::of(observation_space)),
      options_(o),
      elements_(observation_space.elements),
      embedding_(kEmbeddedElements, o.embedding),
      egnn_(models::EGNNOptions(o.embedding + static_cast<std::int64_t>(kDesignElements.size()), o.hidden, o.hidden)
                .layers(o.layers)
                .pooling(models::Pooling::kMean)),
      element_head_(head(o.hidden + static_cast<std::int64_t>(kDesignElements.size()) + 1, o.hidden,
                         static_cast<std::int64_t>(kDesignElements.size()), 0.01)),
      focus_head_(head(o.hidden + o.embedding + 2, o.hidden, 1, 0.01)),
      distance_head_(head(o.hidden + o.embedding + 2, o.hidden, 3 * o.distance_components, 0.01)),
      direction_head_(head(o.hidden + o.embedding + 2, o.hidden, 8 * o.direction_components + 5, 0.01)),
      vector_head_(head(2 * o.hidden + 1 + o.embedding, o.hidden, 5 * o.direction_components, 1.0)),
      value_head_(head(o.hidden + static_cast<std::int64_t>(kDesignElements.size()) + 1, o.hidden, 1, 1.0)) {
  if (action_space.dim() != 4 || layout_.node_feature_dim != 0 ||
      layout_.global_dim != static_cast<std::int64_t>(elements_.size())) {
    throw std::invalid_argument("egnn design agent: expects DesignEnv's spaces (Box(4) actions, bag counts as globals)");
  }
  std::vector<std::int64_t> slots;
  for (int z : elements_) {
    const auto it = std::find(kDesignElements.begin(), kDesignElements.end(), z);
    if (it == kDesignElements.end()) {
      throw std::invalid_argument("egnn design agent: element Z = " + std::to_string(z) + " is not in its vocabulary");
    }
    slots.push_back(it - kDesignElements.begin());
  }
  vocab_index_ = torch::tensor(slots, torch::kLong);
  register_module("embedding_", embedding_);
  register_module("egnn_", egnn_);
  register_module("element_head_", element_head_);
  register_module("focus_head_", focus_head_);
  register_module("distance_head_", distance_head_);
  register_module("direction_head_", direction_head_);
  register_module("vector_head_", vector_head_);
  register_module("value_head_", value_head_);
}

DesignEgnnActorCriticImpl::Features DesignEgnnActorCriticImpl::encode(const torch::Tensor& obs) {
  Features f{unpack_graphs(obs, layout_), {}, {}};
  const GraphBatch& g = f.graph;
  const std::int64_t b = obs.size(0);
  const torch::Tensor bag = torch::zeros({b, static_cast<std::int64_t>(kDesignElements.size())}, obs.options())
                                .index_copy(1, vocab_index_, kBagScale * g.globals);
  const torch::Tensor h = torch::cat({embedding_(g.atomic_numbers).to(obs.scalar_type()), bag.index_select(0, g.graph.batch)}, 1);
  f.out = egnn_(g.graph, h, g.positions);
  const torch::Tensor size = g.counts.to(obs.scalar_type()).unsqueeze(1) / static_cast<double>(layout_.max_atoms);
  f.context = torch::cat({f.out.graph_h, bag, size}, 1);
  return f;
}

PolicyOutput DesignEgnnActorCriticImpl::forward(const torch::Tensor& obs) {
  const Features f = encode(obs);
  const GraphBatch& g = f.graph;
  const std::int64_t m = layout_.max_atoms, v = static_cast<std::int64_t>(elements_.size());
  const std::int64_t k = options_.distance_components, d = options_.direction_components;
  const auto dtype = obs.scalar_type();
  const torch::Tensor element_z = torch::tensor(std::vector<std::int64_t>(elements_.begin(), elements_.end()));
  const torch::Tensor element_embedding = embedding_(element_z).to(dtype);  // [V, E]
  const std::int64_t n = g.positions.size(0);

  const models::Graph& graph = g.graph;
  const torch::Tensor diff = g.positions.index_select(0, graph.row) - g.positions.index_select(0, graph.col);  // [E, 3]
  // The away axis (above kBonded): a fixed equivariant vector of the geometry, the same for every element.
  const torch::Tensor radii = covalent_radii(obs.options());
  const torch::Tensor length = diff.norm(2, 1).clamp_min(1e-9);  // [E]
  const torch::Tensor bond_length =
      radii.index_select(0, g.atomic_numbers.index_select(0, graph.row)) + radii.index_select(0, g.atomic_numbers.index_select(0, graph.col));
  const torch::Tensor bonded = torch::sigmoid(kBondSwitch * (kBonded - length / bond_length));
  const torch::Tensor away = models::segment_sum(diff * (bonded / length).unsqueeze(1), graph.row, n);  // [N, 3]
  const torch::Tensor away_length2 = away.pow(2).sum(1, true);
  // Invariant features of the focus atom's bonding: its bonded-neighbour count Σ_j s and |a_f|.
  const torch::Tensor bonding = torch::cat({models::segment_sum(bonded.unsqueeze(1), graph.row, n), away_length2.sqrt()}, 1);

  // Node-level heads for every (atom, element): q [N, V, hidden + E + 2].
  const torch::Tensor h = f.out.h;
  const torch::Tensor q = torch::cat({h.unsqueeze(1).expand({n, v, h.size(1)}),
                                      element_embedding.unsqueeze(0).expand({n, v, element_embedding.size(1)}),
                                      bonding.unsqueeze(1).expand({n, v, 2})},
                                     2);
  const torch::Tensor focus = focus_head_(q).squeeze(2);                              // [N, V]
  const torch::Tensor dist = distance_head_(q).view({n, v, 3, k});                  // [N, V, 3, K]
  const torch::Tensor dir_out = direction_head_(q);                                 // [N, V, 8D + 5]
  const torch::Tensor dir = dir_out.slice(2, 0, 8 * d).view({n, v, 8, d});         // [N, V, 8, D]
  // The away axis's two laws: vMF logit and κ, cone logit, a and b.
  const torch::Tensor away_out = dir_out.slice(2, 8 * d);                           // [N, V, 5]

  // Equivariant axes: v_fc = (1/deg f) Σ_j (x_f − x_j) φ_c(h_f, h_j, |x_f − x_j|², Z).
  const std::int64_t e = diff.size(0);
  const torch::Tensor edge_in = torch::cat({h.index_select(0, graph.row), h.index_select(0, graph.col),
                                            diff.pow(2).sum(1, true)},
                                           1);
  const torch::Tensor coefficients = vector_head_(torch::cat(
      {edge_in.unsqueeze(1).expand({e, v, edge_in.size(1)}), element_embedding.unsqueeze(0).expand({e, v, element_embedding.size(1)})},
      2));                                                                           // [E, V, 5D]
  const torch::Tensor messages = coefficients.unsqueeze(3) * diff.view({e, 1, 1, 3});  // [E, V, 5D, 3]
  const torch::Tensor vectors = models::segment_sum(messages, graph.row, n) * graph.inv_degree.to(dtype).view({n, 1, 1, 1});
  // Vectors [0, D): vMF axes, [D, 2D): cone axes, then per mirror pair (D of them) w, a and b.
  const auto [axes, fade] = unit_axes(vectors.slice(2, 0, 3 * d));                 // [N, V, 3D, 3], [N, V, 3D]
  // Mirror pairs: m± = (ŵ ± s n) / |ŵ ± s n| with n = a × b, a pseudo-vector (it flips under a reflection,
  // which swaps m+ and m−; their weights and κ are tied, so the mixture is O(3)-equivariant). They
  // reach out of the plane of a planar canvas, where every equivariant vector lies in the plane.
  const torch::Tensor cross = torch::cross(vectors.slice(2, 3 * d, 4 * d), vectors.slice(2, 4 * d, 5 * d), 3);
  const torch::Tensor normal = cross / (cross.pow(2).sum(3, true) + kAxisScale * kAxisScale).sqrt();  // → 0 on a line
  const torch::Tensor w = axes.slice(2, 2 * d, 3 * d), lift = torch::softplus(dir.select(2, 7)).unsqueeze(3) * normal;
  const torch::Tensor pair_axes = torch::cat({w + lift, w - lift}, 2);
  const torch::Tensor pair_unit = pair_axes / pair_axes.norm(2, 3, true).clamp_min(1e-12);
  const torch::Tensor fade_pair = fade.slice(2, 2 * d, 3 * d).repeat({1, 1, 2});
  const torch::Tensor away_fade = (away_length2 / (away_length2 + kAwayScale * kAwayScale)).expand({n, v});
  const torch::Tensor away_axis = torch::where(away_length2.gt(1e-30), away / away_length2.clamp_min(1e-30).sqrt(),
                                               torch::tensor({0.0, 0.0, 1.0}, away.options()))
                                      .view({n, 1, 1, 3})
                                      .expand({n, v, 1, 3});

  DesignActionDistribution::Params p;
  p.elements = element_z.to(dtype);
  const torch::Tensor left = g.globals.gt(0.5);
  p.element_logits = element_head_(f.context).index_select(1, vocab_index_).masked_fill(~left, kMasked);
  p.positions = densify(g.positions, g, m);
  p.present = torch::arange(m).unsqueeze(0) < g.counts.unsqueeze(1);
  p.numbers = densify(g.atomic_numbers, g, m);
  p.focus_logits = densify(focus, g, m);
  const torch::Tensor centres = torch::linspace(kFirstMean, kLastMean, k, obs.options());
  const torch::Tensor centre_logits = torch::logit((centres - kMinBond) / kBondSpan);
  const torch::Tensor bond = radii.index_select(0, g.atomic_numbers).unsqueeze(1) + radii.index_select(0, element_z).unsqueeze(0);  // [N, V]
  p.distance_logits = densify(dist.select(2, 0), g, m);
  p.distance_mean = densify(bond.unsqueeze(2), g, m) * (kMinBond + kBondSpan * torch::sigmoid(densify(dist.select(2, 1), g, m) + centre_logits));
  p.distance_std = kMinStd + kStdSpan * torch::sigmoid(densify(dist.select(2, 2), g, m) + kStdBias);
  // Direction components: D vMF, 2D mirror-pair vMF (m+ of each pair, then m−), the away vMF; D cones,
  // the away cone.
  const torch::Tensor pair_logits = dir.select(2, 5).repeat({1, 1, 2});
  const std::vector<double> away_bias = {kAwayLogit, 0.0, kAwayLogit, kAwayConeA, kAwayConeB};
  const auto away_param = [&](std::int64_t i) { return away_out.slice(2, i, i + 1) + away_bias[static_cast<std::size_t>(i)]; };  // [N, V, 1]
  p.direction_logits = densify(
      torch::cat({dir.select(2, 0), pair_logits, away_param(0), dir.select(2, 1), away_param(2)}, 2), g, m);
  p.axes = densify(torch::cat({axes.slice(2, 0, d), pair_unit, away_axis, axes.slice(2, d, 2 * d), away_axis}, 2), g, m);
  const torch::Tensor fade_vmf = fade.slice(2, 0, d), fade_cone = fade.slice(2, d, 2 * d);
  const torch::Tensor pair_kappa = (kKappaScale * torch::softplus(dir.select(2, 6))).repeat({1, 1, 2}) * fade_pair;
  const torch::Tensor away_kappa = kKappaScale * torch::softplus(away_param(1)) * away_fade.unsqueeze(2);
  p.kappa = densify(torch::cat({kKappaScale * torch::softplus(dir.select(2, 2)) * fade_vmf, pair_kappa, away_kappa}, 2), g, m);
  const torch::Tensor cone_fade = torch::cat({fade_cone, away_fade.unsqueeze(2)}, 2);
  p.cone_a = densify(1.0 + kConeScale * torch::softplus(torch::cat({dir.select(2, 3), away_param(3)}, 2)) * cone_fade, g, m);
  p.cone_b = densify(1.0 + kConeScale * torch::softplus(torch::cat({dir.select(2, 4), away_param(4)}, 2)) * cone_fade, g, m);
  // Padding slots get harmless parameters (they are masked out of every sum).
  const torch::Tensor pad = (~p.present).view({p.present.size(0), m, 1, 1});
  p.distance_std = p.distance_std.masked_fill(pad, 1.0);
  p.distance_mean = p.distance_mean.masked_fill(pad, 1.0);
  p.cone_a = p.cone_a.masked_fill(pad, 2.0);
  p.cone_b = p.cone_b.masked_fill(pad, 2.0);
  return {std::make_unique<DesignActionDistribution>(std::move(p)), value_head_(f.context).squeeze(1)};
}

torch::Tensor DesignEgnnActorCriticImpl::value(const torch::Tensor& obs) {
  return value_head_(encode(obs).context).squeeze(1);
}

// ---------------------------------------------------------------------------------------------------

struct DesignActionDistribution::Slice {
  torch::Tensor focus_log_probs;    // [B, M]
  torch::Tensor distance_log_w, distance_mean, distance_std;  // [B, M, K]
  torch::Tensor direction_log_w;    // [B, M, C]: the vMF components, then the cones
  torch::Tensor axes;               // [B, M, C, 3]
  torch::Tensor kappa, cone_a, cone_b;  // [B, M, D]
};

DesignActionDistribution::DesignActionDistribution(Params params) : p_(std::move(params)) {
  element_log_probs_ = torch::log_softmax(p_.element_logits, 1);
  empty_ = ~p_.present.any(1);
}

DesignActionDistribution::Slice DesignActionDistribution::slice(const torch::Tensor& element) const {
  Slice s;
  s.focus_log_probs = torch::log_softmax(take_element(p_.focus_logits, element).masked_fill(~p_.present, kMasked), 1);
  s.distance_log_w = torch::log_softmax(take_element(p_.distance_logits, element), 2);
  s.distance_mean = take_element(p_.distance_mean, element);
  s.distance_std = take_element(p_.distance_std, element);
  s.direction_log_w = torch::log_softmax(take_element(p_.direction_logits, element), 2);
  s.axes = take_element(p_.axes, element);
  s.kappa = take_element(p_.kappa, element);
  s.cone_a = take_element(p_.cone_a, element);
  s.cone_b = take_element(p_.cone_b, element);
  return s;
}

torch::Tensor DesignActionDistribution::log_prob(const torch::Tensor& actions) const {
  const torch::Tensor a = actions.to(p_.positions.scalar_type());
  const torch::Tensor element = a.select(1, 0).round().unsqueeze(1).eq(p_.elements.unsqueeze(0)).to(torch::kLong).argmax(1);
  const torch::Tensor element_lp = element_log_probs_.gather(1, element.unsqueeze(1)).squeeze(1);
  const Slice s = slice(element);
  const std::int64_t d = s.kappa.size(2);

  const torch::Tensor offset = a.slice(1, 1, 4).unsqueeze(1) - p_.positions;  // [B, M, 3]
  const torch::Tensor r = offset.norm(2, 2).clamp_min(1e-9);
  const torch::Tensor u = offset / r.unsqueeze(2);
  const torch::Tensor r_lp =
      distance_log_prob(r.unsqueeze(2), s.distance_log_w, s.distance_mean, s.distance_std);
  const torch::Tensor uu = u.unsqueeze(2);
  const torch::Tensor component_lp = torch::cat({vmf_log_prob(s.axes.slice(2, 0, d), s.kappa, uu),
                                                 cone_log_prob(s.axes.slice(2, d), s.cone_a, s.cone_b, uu)},
                                                2);
  const torch::Tensor u_lp = torch::logsumexp(s.direction_log_w + component_lp, 2);
  const torch::Tensor per_focus = (s.focus_log_probs + r_lp + u_lp - 2.0 * r.log()).masked_fill(~p_.present, kMasked);
  const torch::Tensor position_lp = torch::logsumexp(per_focus, 1);
  return element_lp + torch::where(empty_, torch::zeros_like(position_lp), position_lp);
}

torch::Tensor DesignActionDistribution::sample() const {
  torch::NoGradGuard no_grad;
  const torch::Tensor element = categorical(element_log_probs_);
  const Slice s = slice(element);
  const torch::Tensor focus = categorical(s.focus_log_probs);
  const std::int64_t b = element.size(0), d = s.kappa.size(2);
  const auto rows = torch::arange(b);

  // Distance: a component, then a Gaussian draw, redrawn until positive (the truncated mixture).
  const torch::Tensor log_w = take_atom(s.distance_log_w, focus), mean = take_atom(s.distance_mean, focus),
                      std = take_atom(s.distance_std, focus);
  torch::Tensor r = torch::zeros({b}, mean.options());
  torch::Tensor todo = torch::ones({b}, torch::kBool);
  while (todo.any().item<bool>()) {
    const torch::Tensor c = categorical(log_w).unsqueeze(1);
    const torch::Tensor draw = mean.gather(1, c).squeeze(1) + std.gather(1, c).squeeze(1) * torch::randn({b}, mean.options());
    r = torch::where(todo, draw, r);
    todo = r.le(0.0);
  }
  // Direction: a component, then its law.
  const torch::Tensor c = categorical(take_atom(s.direction_log_w, focus));
  const torch::Tensor axes = take_atom(s.axes, focus);  // [B, C, 3]
  const torch::Tensor axis = axes.gather(1, c.view({b, 1, 1}).expand({b, 1, 3})).squeeze(1);
  const torch::Tensor is_vmf = c.lt(d);
  const torch::Tensor cv = c.clamp_max(d - 1), cc = (c - d).clamp_min(0);
  const torch::Tensor kappa = take_atom(s.kappa, focus).gather(1, cv.unsqueeze(1)).squeeze(1);
  const torch::Tensor cone_a = take_atom(s.cone_a, focus).gather(1, cc.unsqueeze(1)).squeeze(1);
  const torch::Tensor cone_b = take_atom(s.cone_b, focus).gather(1, cc.unsqueeze(1)).squeeze(1);
  const torch::Tensor u = torch::where(is_vmf.unsqueeze(1), vmf_sample(axis, kappa), cone_sample(axis, cone_a, cone_b));

  torch::Tensor position = take_atom(p_.positions, focus) + r.unsqueeze(1) * u;
  position = position.masked_fill(empty_.unsqueeze(1), 0.0);
  return torch::cat({p_.elements.index_select(0, element).unsqueeze(1), position}, 1);
}

torch::Tensor DesignActionDistribution::mode() const {
  torch::NoGradGuard no_grad;
  const torch::Tensor element = element_log_probs_.argmax(1);
  const Slice s = slice(element);
  const std::int64_t b = element.size(0), d = s.kappa.size(2);
  // Each row's data, in double, for the torch-free decoding (rl/design_decoding.h).
  const auto to_double = [](const torch::Tensor& t) { return t.detach().to(torch::kDouble).contiguous(); };
  const torch::Tensor positions = to_double(p_.positions);
  const torch::Tensor atom_counts = p_.present.sum(1).to(torch::kLong).contiguous(), empty = empty_.contiguous(),
                      chosen = element.contiguous();
  const torch::Tensor numbers_long = p_.numbers.defined() ? p_.numbers.to(torch::kLong).contiguous() : torch::Tensor();
  const torch::Tensor focus_lp = to_double(s.focus_log_probs), distance_lw = to_double(s.distance_log_w),
                      distance_mean = to_double(s.distance_mean), distance_std = to_double(s.distance_std),
                      direction_lw = to_double(s.direction_log_w), axes = to_double(s.axes), kappa = to_double(s.kappa),
                      cone_a = to_double(s.cone_a), cone_b = to_double(s.cone_b), elements = to_double(p_.elements);
  const auto x = positions.accessor<double, 3>();
  const auto fl = focus_lp.accessor<double, 2>();
  const auto dw = distance_lw.accessor<double, 3>(), dm = distance_mean.accessor<double, 3>(), ds = distance_std.accessor<double, 3>();
  const auto cw = direction_lw.accessor<double, 3>(), ka = kappa.accessor<double, 3>(), ca = cone_a.accessor<double, 3>(),
             cb = cone_b.accessor<double, 3>();
  const auto ax = axes.accessor<double, 4>();
  const std::int64_t k_count = distance_lw.size(2), c_count = direction_lw.size(2);
  torch::Tensor position = torch::zeros({b, 3}, torch::kDouble);
  auto out = position.accessor<double, 2>();
  for (std::int64_t row = 0; row < b; ++row) {
    if (empty.data_ptr<bool>()[row]) continue;  // the env puts the first atom at the origin
    const std::int64_t atoms = atom_counts.data_ptr<std::int64_t>()[row];
    const int z = static_cast<int>(std::lround(elements.data_ptr<double>()[chosen.data_ptr<std::int64_t>()[row]]));
    std::vector<int> numbers(static_cast<std::size_t>(atoms), 0);  // 0: unknown (Params without numbers)
    if (numbers_long.defined()) {
      const auto zs = numbers_long.accessor<std::int64_t, 2>();
      for (std::int64_t f = 0; f < atoms; ++f) numbers[static_cast<std::size_t>(f)] = static_cast<int>(zs[row][f]);
    }
    std::vector<Eigen::Vector3d> canvas;
    std::vector<PlacementLaw> laws;
    for (std::int64_t f = 0; f < atoms; ++f) {
      canvas.emplace_back(x[row][f][0], x[row][f][1], x[row][f][2]);
      PlacementLaw law;
      law.focus_log_prob = fl[row][f];
      for (std::int64_t k = 0; k < k_count; ++k) {
        law.distance_log_weight.push_back(dw[row][f][k]);
        law.distance_mean_ang.push_back(dm[row][f][k]);
        law.distance_std_ang.push_back(ds[row][f][k]);
      }
      for (std::int64_t c = 0; c < c_count; ++c) {
        DirectionLaw dl;
        dl.is_cone = c >= d;
        dl.axis = Eigen::Vector3d(ax[row][f][c][0], ax[row][f][c][1], ax[row][f][c][2]);
        if (dl.is_cone) {
          dl.cone_a = ca[row][f][c - d], dl.cone_b = cb[row][f][c - d];
        } else {
          dl.kappa = ka[row][f][c];
        }
        dl.log_weight = cw[row][f][c];
        law.directions.push_back(dl);
      }
      laws.push_back(std::move(law));
    }
    const Eigen::Vector3d u = greedy_position(numbers, canvas, z, laws);
    for (int i = 0; i < 3; ++i) out[row][i] = u[i];
  }
  return torch::cat({p_.elements.index_select(0, element).unsqueeze(1), position.to(p_.positions.scalar_type())}, 1);
}

torch::Tensor DesignActionDistribution::entropy() const {
  const torch::Tensor element_probs = element_log_probs_.exp();
  torch::Tensor h = -(element_probs * element_log_probs_).sum(1);
  const std::int64_t v = p_.elements.size(0);
  for (std::int64_t k = 0; k < v; ++k) {
    const Slice s = slice(torch::full({element_probs.size(0)}, k, torch::kLong));
    const std::int64_t d = s.kappa.size(2);
    const torch::Tensor focus_probs = s.focus_log_probs.exp();
    const torch::Tensor w = s.distance_log_w.exp(), dw = s.direction_log_w.exp();
    const torch::Tensor h_r = -(w * s.distance_log_w).sum(2) + (w * (0.5 + kHalfLogTwoPi + s.distance_std.log())).sum(2);
    const torch::Tensor h_c = torch::cat({vmf_entropy(s.kappa), cone_entropy(s.cone_a, s.cone_b)}, 2);
    const torch::Tensor h_u = -(dw * s.direction_log_w).sum(2) + (dw * h_c).sum(2);
    (void)d;
    const torch::Tensor h_focus = -(focus_probs * s.focus_log_probs).sum(1) + (focus_probs * (h_r + h_u)).sum(1);
    h = h + element_probs.select(1, k) * torch::where(empty_, torch::zeros_like(h_focus), h_focus);
  }
  return h;
}

}  // namespace equimol::rl
