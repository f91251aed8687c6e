#include "rl/pes_egnn_agent.h"

#include <cmath>
#include <stdexcept>

#include "rl/sphere.h"

namespace equimol::rl {

namespace {

constexpr std::int64_t kMaxAtomicNumber = 118;
constexpr double kHalfLogTwoPi = 0.91893853320467274178;  // log(2π) / 2
// Categories of the mode head; the hop is PesEnv's mode 3 (its mode 2, restart, is not learned).
constexpr std::int64_t kKick = 0, kDrive = 1, kHop = 2;
constexpr double kEnvHop = 3.0;

models::MLP head(std::int64_t in, std::int64_t hidden, std::int64_t out, double output_gain) {
  return models::MLP(models::MLPOptions(in, out)
                         .hidden_sizes({hidden})
                         .activation(models::Activation::kSiLU)
                         .output_gain(output_gain));
}

/// Row-major pairs i < j of n atoms.
std::pair<torch::Tensor, torch::Tensor> upper_pairs(std::int64_t n) {
  const torch::Tensor index = torch::triu_indices(n, n, 1);
  return {index[0].contiguous(), index[1].contiguous()};
}

torch::Tensor pick(const torch::Tensor& values, const torch::Tensor& index) {  // values [B, K], index [B]
  return values.gather(1, index.unsqueeze(1)).squeeze(1);
}

}  // namespace

struct PesEgnnActorCriticImpl::Features {
  GraphBatch graph;
  models::EGNNOutput out;
  torch::Tensor context;  // [B, hidden + globals] invariant
};

PesEgnnActorCriticImpl::PesEgnnActorCriticImpl(const envs::GraphSpace& observation_space, const envs::Box& action_space,
                                               const EgnnAgentOptions& o)
    : layout_(GraphLayout::of(observation_space)),
      max_kick_(action_space.high.at(4)),
      target_min_(action_space.low.at(3)),
      target_max_(action_space.high.at(3)),
      embedding_(kMaxAtomicNumber + 1, o.embedding),
      egnn_(models::EGNNOptions(o.embedding + layout_.node_feature_dim + layout_.global_dim, o.hidden, o.hidden)
                .layers(o.layers)
                .pooling(models::Pooling::kMean)),
      mode_head_(head(o.hidden + layout_.global_dim, o.hidden, o.hop ? 3 : 2, 0.01)),
      pair_head_(head(2 * o.hidden + 1, o.hidden, 3, 0.01)),
      value_head_(head(o.hidden + layout_.global_dim, o.hidden, 1, 1.0)) {
  if (action_space.dim() != 4 + 3 * layout_.max_atoms) {
    throw std::invalid_argument("egnn pes agent: action Box(" + std::to_string(action_space.dim()) +
                                ") is not PesEnv's [mode, i, j, target, d_1..d_n] for " +
                                std::to_string(layout_.max_atoms) + " atoms");
  }
  std::tie(pair_i_, pair_j_) = upper_pairs(layout_.max_atoms);
  register_module("embedding_", embedding_);
  register_module("egnn_", egnn_);
  register_module("mode_head_", mode_head_);
  register_module("pair_head_", pair_head_);
  register_module("value_head_", value_head_);
  log_std_ = register_parameter("log_std_", torch::full({}, o.kick_log_std_init));
  if (o.per_atom_kick_std) kick_std_head_ = register_module("kick_std_head_", head(o.hidden, o.hidden, 1, 0.01));
  if (o.hop) {
    if (action_space.high.at(0) < kEnvHop) throw std::invalid_argument("egnn pes agent: hop needs an env with the hop action");
    hop_head_ = register_module("hop_head_", head(o.hidden, o.hidden, 1, 0.01));
  }
}

PesEgnnActorCriticImpl::Features PesEgnnActorCriticImpl::encode(const torch::Tensor& obs) {
  Features f{unpack_graphs(obs, layout_), {}, {}};
  const GraphBatch& g = f.graph;
  if (!g.counts.eq(layout_.max_atoms).all().item<bool>()) {
    throw std::invalid_argument("egnn pes agent: every observation must hold all " + std::to_string(layout_.max_atoms) + " atoms");
  }
  const torch::Tensor h = torch::cat({embedding_(g.atomic_numbers).to(obs.scalar_type()), g.node_features,
                                      g.globals.index_select(0, g.graph.batch)},
                                     1);
  f.out = egnn_(g.graph, h, g.positions);
  f.context = torch::cat({f.out.graph_h, g.globals}, 1);
  return f;
}

PolicyOutput PesEgnnActorCriticImpl::forward(const torch::Tensor& obs) {
  const Features f = encode(obs);
  const std::int64_t b = obs.size(0), n = layout_.max_atoms;
  // Kick mean: the equivariant vector, rescaled by an invariant factor to a length below max_kick / 2.
  const torch::Tensor v = f.out.vector;
  const torch::Tensor mean = 0.5 * max_kick_ * v / torch::sqrt(1.0 + v.pow(2).sum(1, true));
  // Pair features, symmetric in i and j.
  const torch::Tensor h = f.out.h.view({b, n, -1});
  const torch::Tensor x = f.graph.positions.view({b, n, 3});
  const torch::Tensor hi = h.index_select(1, pair_i_), hj = h.index_select(1, pair_j_);
  const torch::Tensor distance = (x.index_select(1, pair_i_) - x.index_select(1, pair_j_)).norm(2, 2, true);
  const torch::Tensor pair = pair_head_(torch::cat({hi + hj, hi * hj, distance}, 2));  // [B, P, 3]

  PesActionDistribution::Params p;
  p.mode_logits = mode_head_(f.context);
  p.kick_mean = mean.reshape({b, 3 * n});
  p.log_std = log_std_.to(obs.scalar_type());
  if (kick_std_head_) p.log_std = p.log_std + kick_std_head_(f.out.h).view({b, n}).repeat_interleave(3, 1);
  if (hop_head_) p.hop_logits = hop_head_(f.out.h).view({b, n});
  p.pair_logits = pair.select(2, 0);
  p.beta_a = 1.0 + torch::softplus(pair.select(2, 1));
  p.beta_b = 1.0 + torch::softplus(pair.select(2, 2));
  p.pair_i = pair_i_;
  p.pair_j = pair_j_;
  p.n_atoms = n;
  p.target_min = target_min_;
  p.target_max = target_max_;
  return {std::make_unique<PesActionDistribution>(std::move(p)), value_head_(f.context).squeeze(1)};
}

torch::Tensor PesEgnnActorCriticImpl::value(const torch::Tensor& obs) {
  return value_head_(encode(obs).context).squeeze(1);
}

PesActionDistribution::PesActionDistribution(Params params) : p_(std::move(params)) {
  mode_log_probs_ = torch::log_softmax(p_.mode_logits, 1);
  pair_log_probs_ = torch::log_softmax(p_.pair_logits, 1);
  if (hops()) hop_log_probs_ = torch::log_softmax(p_.hop_logits, 1);
}

torch::Tensor PesEgnnActorCriticImpl::env_actions(const torch::Tensor& actions) const {
  const torch::Tensor rows = actions.slice(1, 4).reshape({actions.size(0), -1, 3});
  const torch::Tensor length = rows.norm(2, 2, true);
  const torch::Tensor shortened = torch::where(length > max_kick_, rows * (max_kick_ / length), rows);
  return torch::cat({actions.slice(1, 0, 4), shortened.reshape({actions.size(0), -1})}, 1);
}

torch::Tensor PesActionDistribution::encode(const torch::Tensor& mode, const torch::Tensor& pair,
                                            const torch::Tensor& target01, const torch::Tensor& kick,
                                            const torch::Tensor& hop_atom) const {
  const std::int64_t b = mode.size(0), n = p_.n_atoms;
  const torch::Tensor is_hop = mode.eq(kHop);
  torch::Tensor action = torch::zeros({b, 4 + 3 * n}, p_.kick_mean.options());
  action.select(1, 0).copy_(torch::where(is_hop, torch::full_like(mode, static_cast<std::int64_t>(kEnvHop)), mode));
  action.select(1, 1).copy_(torch::where(is_hop, hop_atom, p_.pair_i.index_select(0, pair)));
  action.select(1, 2).copy_(p_.pair_j.index_select(0, pair));
  action.select(1, 3).copy_(p_.target_min + (p_.target_max - p_.target_min) * target01);
  // A kick keeps every displacement, a hop only its atom's (the direction), a drive none.
  const torch::Tensor hop_rows = torch::one_hot(hop_atom, n).to(kick.scalar_type()).repeat_interleave(3, 1);
  const torch::Tensor keep = mode.eq(kKick).unsqueeze(1).to(kick.scalar_type()) + is_hop.unsqueeze(1).to(kick.scalar_type()) * hop_rows;
  action.slice(1, 4).copy_(kick * keep);
  return action;
}

torch::Tensor PesActionDistribution::sample() const {
  torch::NoGradGuard no_grad;
  const torch::Tensor mode = torch::multinomial(mode_log_probs_.exp(), 1).squeeze(1);
  const torch::Tensor pair = torch::multinomial(pair_log_probs_.exp(), 1).squeeze(1);
  const torch::Tensor target01 = beta_sample(pick(p_.beta_a, pair), pick(p_.beta_b, pair));
  const torch::Tensor kick = p_.kick_mean + p_.log_std.exp() * torch::randn_like(p_.kick_mean);
  const torch::Tensor hop_atom = hops() ? torch::multinomial(hop_log_probs_.exp(), 1).squeeze(1) : torch::zeros_like(mode);
  return encode(mode, pair, target01, kick, hop_atom);
}

torch::Tensor PesActionDistribution::mode() const {
  torch::NoGradGuard no_grad;
  const torch::Tensor pair = p_.pair_logits.argmax(1);
  const torch::Tensor a = pick(p_.beta_a, pair), b = pick(p_.beta_b, pair);
  const torch::Tensor mode = p_.mode_logits.argmax(1);
  const torch::Tensor hop_atom = hops() ? p_.hop_logits.argmax(1) : torch::zeros_like(mode);
  // The Beta's mode; a = b = 1 (softplus underflow) is flat: the middle then.
  const torch::Tensor spread = a + b - 2.0;
  const torch::Tensor target01 = torch::where(spread > 1e-12, (a - 1.0) / spread.clamp_min(1e-12), torch::full_like(a, 0.5));
  return encode(mode, pair, target01, p_.kick_mean, hop_atom);
}

torch::Tensor PesActionDistribution::log_prob(const torch::Tensor& actions) const {
  const std::int64_t n = p_.n_atoms;
  const torch::Tensor a = actions.to(p_.kick_mean.scalar_type());
  const torch::Tensor env_mode = a.select(1, 0).round();
  const torch::Tensor mode =
      (hops() ? torch::where(env_mode.eq(kEnvHop), torch::full_like(env_mode, kHop), env_mode.clamp(0, 1)) : env_mode.clamp(0, 1))
          .to(torch::kLong);
  const torch::Tensor i = a.select(1, 1).round().clamp(0, n - 1).to(torch::kLong);
  const torch::Tensor j_given = a.select(1, 2).round().clamp(0, n - 1).to(torch::kLong);
  const torch::Tensor j = torch::where(j_given.eq(i), torch::remainder(i + 1, n), j_given);  // as PesEnv drives i == j
  const torch::Tensor lo = torch::minimum(i, j), hi = torch::maximum(i, j);
  // Index of (lo, hi) among the row-major pairs lo < hi (kick actions may carry any pair: clamped).
  const torch::Tensor pair = (lo * n - torch::div(lo * (lo + 1), 2, "floor") + (hi - lo - 1)).clamp(0, p_.pair_logits.size(1) - 1);
  const torch::Tensor target01 = (a.select(1, 3) - p_.target_min) / (p_.target_max - p_.target_min);

  const torch::Tensor log_std = p_.log_std.expand_as(p_.kick_mean);
  const torch::Tensor z = (a.slice(1, 4) - p_.kick_mean) / log_std.exp();
  const torch::Tensor kick = -0.5 * z.pow(2).sum(1) - (log_std + kHalfLogTwoPi).sum(1);
  const torch::Tensor drive = pick(pair_log_probs_, pair) +
                              beta_log_prob(target01, pick(p_.beta_a, pair), pick(p_.beta_b, pair)) -
                              std::log(p_.target_max - p_.target_min);
  torch::Tensor branch = torch::where(mode.eq(kKick), kick, drive);
  if (hops()) {
    // The hop: which atom, and its displacement row (the direction) under that atom's Gaussian.
    auto row = [&](const torch::Tensor& flat) {  // [B, 3n] -> [B, 3] of atom i
      return flat.reshape({flat.size(0), n, 3}).gather(1, i.view({-1, 1, 1}).expand({-1, 1, 3})).squeeze(1);
    };
    const torch::Tensor row_log_std = row(log_std);
    const torch::Tensor zi = (row(a.slice(1, 4).contiguous()) - row(p_.kick_mean)) / row_log_std.exp();
    const torch::Tensor hop = pick(hop_log_probs_, i) - 0.5 * zi.pow(2).sum(1) - (row_log_std + kHalfLogTwoPi).sum(1);
    branch = torch::where(mode.eq(kHop), hop, branch);
  }
  return pick(mode_log_probs_, mode) + branch;
}

torch::Tensor PesActionDistribution::entropy() const {
  const torch::Tensor mode_probs = mode_log_probs_.exp();
  const torch::Tensor mode_entropy = -(mode_probs * mode_log_probs_).sum(1);
  const torch::Tensor kick = (0.5 + kHalfLogTwoPi + p_.log_std.expand_as(p_.kick_mean)).sum(1);
  const torch::Tensor pair_probs = pair_log_probs_.exp();
  const torch::Tensor drive = -(pair_probs * pair_log_probs_).sum(1) +
                              (pair_probs * beta_entropy(p_.beta_a, p_.beta_b)).sum(1) +
                              std::log(p_.target_max - p_.target_min);
  torch::Tensor total = mode_entropy + mode_probs.select(1, kKick) * kick + mode_probs.select(1, kDrive) * drive;
  if (hops()) {
    const std::int64_t b = p_.kick_mean.size(0), n = p_.n_atoms;
    const torch::Tensor hop_probs = hop_log_probs_.exp();
    const torch::Tensor row_entropy =
        (0.5 + kHalfLogTwoPi + p_.log_std.expand_as(p_.kick_mean)).view({b, n, 3}).sum(2);  // [B, n]
    const torch::Tensor hop = -(hop_probs * hop_log_probs_).sum(1) + (hop_probs * row_entropy).sum(1);
    total = total + mode_probs.select(1, kHop) * hop;
  }
  return total;
}

}  // namespace equimol::rl
