#include "rl/design_inference.h"

#include <Eigen/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "models/dense_linear.h"
#include "models/egnn_inference.h"
#include "models/mlp_inference.h"
#include "rl/design_constants.h"
#include "rl/design_egnn_agent.h"

namespace equimol::rl {

struct DesignInferenceWeights {
  std::int64_t hidden = 0, embedding = 0, distance_components = 0, direction_components = 0, max_atoms = 0;
  std::vector<int> elements;               // the task's elements (DesignEnv's order)
  std::vector<std::size_t> vocab_slot;     // each one's slot in kDesignElements
  std::vector<float> embedding_table;      // [kEmbeddedElements, embedding]
  std::shared_ptr<const models::EGNNWeights> egnn;
  models::MLPWeights element_head, focus_head, distance_head, direction_head, vector_head;
};

namespace {

using namespace design_constants;

double softplus(double x) { return x > 20.0 ? x : std::log1p(std::exp(x)); }
double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

std::vector<double> log_softmax(const std::vector<double>& logits) {
  const double top = *std::max_element(logits.begin(), logits.end());
  double sum = 0.0;
  for (double l : logits) sum += std::exp(l - top);
  const double log_sum = top + std::log(sum);
  std::vector<double> out;
  out.reserve(logits.size());
  for (double l : logits) out.push_back(l - log_sum);
  return out;
}

std::size_t argmax(const std::vector<double>& values) {
  return static_cast<std::size_t>(std::max_element(values.begin(), values.end()) - values.begin());
}

/// An index drawn with probabilities exp(log_probs).
std::size_t draw(const std::vector<double>& log_probs, std::mt19937_64& rng) {
  double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
  for (std::size_t i = 0; i < log_probs.size(); ++i) {
    u -= std::exp(log_probs[i]);
    if (u < 0.0) return i;
  }
  return argmax(log_probs);  // rounding left u >= 0: the last mass belongs to the likeliest
}

/// The unit vector of v and its fade |v|² / (|v|² + scale²) (any unit vector where v vanishes: the
/// laws on it have faded to uniform), as unit_axes in design_egnn_agent.cpp.
std::pair<Eigen::Vector3d, double> unit_axis(const Eigen::Vector3d& v, double scale) {
  const double length2 = v.squaredNorm();
  const Eigen::Vector3d axis = length2 > 1e-30 ? Eigen::Vector3d(v / std::sqrt(length2)) : Eigen::Vector3d::UnitZ();
  return {axis, length2 / (length2 + scale * scale)};
}

/// t μ + √(1 − t²)(cos φ e₁ + sin φ e₂) with φ uniform: a direction at cosine t to μ, azimuth uniform.
Eigen::Vector3d at_cosine(const Eigen::Vector3d& mu, double t, std::mt19937_64& rng) {
  const Eigen::Vector3d e1 = perpendicular(mu);
  const Eigen::Vector3d e2 = mu.cross(e1);
  const double phi = std::uniform_real_distribution<double>(0.0, 2.0 * M_PI)(rng);
  return t * mu + std::sqrt(std::max(1.0 - t * t, 0.0)) * (std::cos(phi) * e1 + std::sin(phi) * e2);
}

/// A draw of the direction law (rl/sphere.h): vMF by the inverse of its cosine's CDF on S²,
/// w = 1 + log(ξ + (1 − ξ) e^{−2κ}) / κ; a cone's cosine 2x − 1 with x ~ Beta(a, b) by two Gamma draws.
Eigen::Vector3d sample_direction(const DirectionLaw& law, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  if (!law.is_cone) {
    const double xi = uniform(rng);
    const double w = law.kappa > 1e-8 ? 1.0 + std::log(xi + (1.0 - xi) * std::exp(-2.0 * law.kappa)) / law.kappa
                                      : 2.0 * xi - 1.0;
    return at_cosine(law.axis, std::clamp(w, -1.0, 1.0), rng);
  }
  const double ga = std::gamma_distribution<double>(law.cone_a, 1.0)(rng);
  const double gb = std::gamma_distribution<double>(law.cone_b, 1.0)(rng);
  const double x = std::clamp(ga / (ga + gb), 1e-12, 1.0 - 1e-12);
  return at_cosine(law.axis, 2.0 * x - 1.0, rng);
}

std::vector<double> as_doubles(const float* values, std::int64_t n) { return {values, values + n}; }

}  // namespace

struct DesignInference::Encoded {
  const envs::GraphObservation* obs = nullptr;
  std::int64_t n = 0;
  std::vector<Eigen::Vector3d> x;              // Å
  std::vector<float> h;                        // [n, hidden] the EGNN's node features
  std::vector<float> context;                  // [hidden + vocabulary + 1]
  std::vector<float> bonding;                  // [n, 2] bonded-neighbour count Σ_j s, |a_f|
  std::vector<Eigen::Vector3d> away;           // [n] the away axes a_f
};

DesignInference::DesignInference(DesignEgnnActorCriticImpl& agent) {
  torch::NoGradGuard no_grad;
  auto w = std::make_unique<DesignInferenceWeights>();
  const EgnnAgentOptions& o = agent.options_;
  w->hidden = o.hidden;
  w->embedding = o.embedding;
  w->distance_components = o.distance_components;
  w->direction_components = o.direction_components;
  w->max_atoms = agent.layout_.max_atoms;
  w->elements = agent.elements_;
  for (int z : w->elements) {
    w->vocab_slot.push_back(static_cast<std::size_t>(std::find(kDesignElements.begin(), kDesignElements.end(), z) -
                                                     kDesignElements.begin()));
  }
  w->embedding_table = models::flat_floats(agent.embedding_->weight);
  w->egnn = agent.egnn_->inference_weights();
  w->element_head = agent.element_head_->inference_weights();
  w->focus_head = agent.focus_head_->inference_weights();
  w->distance_head = agent.distance_head_->inference_weights();
  w->direction_head = agent.direction_head_->inference_weights();
  w->vector_head = agent.vector_head_->inference_weights();
  w_ = std::move(w);
}

DesignInference::~DesignInference() = default;
DesignInference::DesignInference(DesignInference&&) noexcept = default;
DesignInference& DesignInference::operator=(DesignInference&&) noexcept = default;

DesignInference::Encoded DesignInference::encode(const envs::GraphObservation& obs) const {
  const DesignInferenceWeights& w = *w_;
  Encoded e;
  e.obs = &obs;
  e.n = static_cast<std::int64_t>(obs.atomic_numbers.size());
  if (e.n > w.max_atoms || obs.positions_angstrom.size() != static_cast<std::size_t>(3 * e.n) ||
      obs.globals.size() != w.elements.size()) {
    throw std::invalid_argument("design agent: an observation with " + std::to_string(e.n) + " atoms and " +
                                std::to_string(obs.globals.size()) + " bag counts does not fit its canvas of " +
                                std::to_string(w.max_atoms) + " atoms and " + std::to_string(w.elements.size()) +
                                " elements");
  }
  const std::int64_t n = e.n, hid = w.hidden, emb = w.embedding;
  const auto vocabulary = static_cast<std::int64_t>(kDesignElements.size());
  std::vector<float> bag(static_cast<std::size_t>(vocabulary), 0.0f);
  for (std::size_t k = 0; k < w.elements.size(); ++k) bag[w.vocab_slot[k]] = static_cast<float>(kBagScale * obs.globals[k]);

  // EGNN over the complete graph of the canvas: node input [embedding(Z), bag].
  const std::int64_t in = emb + vocabulary;
  std::vector<float> h_in(static_cast<std::size_t>(n * in)), x(static_cast<std::size_t>(3 * n));
  for (std::int64_t i = 0; i < n; ++i) {
    const float* row = w.embedding_table.data() + obs.atomic_numbers[static_cast<std::size_t>(i)] * emb;
    std::copy(row, row + emb, h_in.begin() + i * in);
    std::copy(bag.begin(), bag.end(), h_in.begin() + i * in + emb);
    for (int k = 0; k < 3; ++k) x[static_cast<std::size_t>(3 * i + k)] = static_cast<float>(obs.positions_angstrom[static_cast<std::size_t>(3 * i + k)]);
    e.x.emplace_back(obs.positions_angstrom[static_cast<std::size_t>(3 * i)], obs.positions_angstrom[static_cast<std::size_t>(3 * i + 1)],
                     obs.positions_angstrom[static_cast<std::size_t>(3 * i + 2)]);
  }
  std::vector<std::int64_t> row, col;
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t j = 0; j < n; ++j) {
      if (i != j) {
        row.push_back(i);
        col.push_back(j);
      }
    }
  }
  const std::vector<float> inv_degree(static_cast<std::size_t>(n), 1.0f / static_cast<float>(std::max<std::int64_t>(n - 1, 1)));
  e.h.assign(static_cast<std::size_t>(n * hid), 0.0f);
  if (n > 0) {
    const models::GraphArrays graph{n, static_cast<std::int64_t>(row.size()), row.data(), col.data(), inv_degree.data()};
    models::egnn_forward(*w.egnn, graph, 3, h_in.data(), nullptr, x.data(), nullptr, e.h.data());
  }
  // Context: mean-pooled h (zero on the empty canvas), the bag, the canvas fill.
  e.context.assign(static_cast<std::size_t>(hid), 0.0f);
  for (std::int64_t i = 0; i < n; ++i) {
    for (std::int64_t k = 0; k < hid; ++k) e.context[static_cast<std::size_t>(k)] += e.h[static_cast<std::size_t>(i * hid + k)] / static_cast<float>(n);
  }
  e.context.insert(e.context.end(), bag.begin(), bag.end());
  e.context.push_back(static_cast<float>(n) / static_cast<float>(w.max_atoms));

  // The away axes and bonded-neighbour counts (design_egnn_agent.cpp: kBonded, kBondSwitch).
  e.away.assign(static_cast<std::size_t>(n), Eigen::Vector3d::Zero());
  e.bonding.assign(static_cast<std::size_t>(2 * n), 0.0f);
  for (std::int64_t i = 0; i < n; ++i) {
    double count = 0.0;
    for (std::int64_t j = 0; j < n; ++j) {
      if (i == j) continue;
      const Eigen::Vector3d diff = e.x[static_cast<std::size_t>(i)] - e.x[static_cast<std::size_t>(j)];
      const double length = std::max(diff.norm(), 1e-9);
      const double bond = covalent_radius_ang(obs.atomic_numbers[static_cast<std::size_t>(i)]) +
                          covalent_radius_ang(obs.atomic_numbers[static_cast<std::size_t>(j)]);
      const double bonded = sigmoid(kBondSwitch * (kBonded - length / bond));
      count += bonded;
      e.away[static_cast<std::size_t>(i)] += diff * (bonded / length);
    }
    e.bonding[static_cast<std::size_t>(2 * i)] = static_cast<float>(count);
    e.bonding[static_cast<std::size_t>(2 * i + 1)] = static_cast<float>(e.away[static_cast<std::size_t>(i)].norm());
  }
  return e;
}

std::vector<double> DesignInference::element_log_probs(const Encoded& e) const {
  const DesignInferenceWeights& w = *w_;
  std::vector<float> out(static_cast<std::size_t>(w.element_head.out_features()));
  std::vector<float> scratch;
  models::mlp_forward(w.element_head, e.context.data(), 1, out.data(), scratch);
  std::vector<double> logits;
  for (std::size_t k = 0; k < w.elements.size(); ++k) {
    logits.push_back(e.obs->globals[k] > 0.5 ? static_cast<double>(out[w.vocab_slot[k]]) : kMasked);
  }
  return log_softmax(logits);
}

std::vector<PlacementLaw> DesignInference::placement_laws(const Encoded& e, int element_index) const {
  const DesignInferenceWeights& w = *w_;
  const std::int64_t n = e.n, hid = w.hidden, emb = w.embedding;
  const std::int64_t k_count = w.distance_components, d = w.direction_components;
  if (n == 0) return {};
  const int z = w.elements[static_cast<std::size_t>(element_index)];
  const float* element_embedding = w.embedding_table.data() + z * emb;
  std::vector<float> scratch;

  // Node heads on q_f = [h_f, embedding(element), Σ_j s_fj, |a_f|].
  const std::int64_t q_width = hid + emb + 2;
  std::vector<float> q(static_cast<std::size_t>(n * q_width));
  for (std::int64_t f = 0; f < n; ++f) {
    float* row = q.data() + f * q_width;
    std::copy(e.h.begin() + f * hid, e.h.begin() + (f + 1) * hid, row);
    std::copy(element_embedding, element_embedding + emb, row + hid);
    row[hid + emb] = e.bonding[static_cast<std::size_t>(2 * f)];
    row[hid + emb + 1] = e.bonding[static_cast<std::size_t>(2 * f + 1)];
  }
  std::vector<float> focus(static_cast<std::size_t>(n)), dist(static_cast<std::size_t>(n * 3 * k_count)),
      dir(static_cast<std::size_t>(n * w.direction_head.out_features()));
  models::mlp_forward(w.focus_head, q.data(), n, focus.data(), scratch);
  models::mlp_forward(w.distance_head, q.data(), n, dist.data(), scratch);
  models::mlp_forward(w.direction_head, q.data(), n, dir.data(), scratch);

  // Equivariant vectors v_fc = (1/deg f) Σ_j (x_f − x_j) φ_c(h_f, h_j, |x_f − x_j|², element).
  const std::int64_t edge_width = 2 * hid + 1 + emb, vectors_per_atom = 5 * d;
  const std::int64_t edges = n * (n - 1);
  std::vector<float> edge_in(static_cast<std::size_t>(edges * edge_width)), coefficients(static_cast<std::size_t>(edges * vectors_per_atom));
  std::int64_t edge = 0;
  for (std::int64_t f = 0; f < n; ++f) {
    for (std::int64_t j = 0; j < n; ++j) {
      if (j == f) continue;
      float* row = edge_in.data() + edge * edge_width;
      std::copy(e.h.begin() + f * hid, e.h.begin() + (f + 1) * hid, row);
      std::copy(e.h.begin() + j * hid, e.h.begin() + (j + 1) * hid, row + hid);
      row[2 * hid] = static_cast<float>((e.x[static_cast<std::size_t>(f)] - e.x[static_cast<std::size_t>(j)]).squaredNorm());
      std::copy(element_embedding, element_embedding + emb, row + 2 * hid + 1);
      ++edge;
    }
  }
  if (edges > 0) models::mlp_forward(w.vector_head, edge_in.data(), edges, coefficients.data(), scratch);
  const double inv_degree = 1.0 / static_cast<double>(std::max<std::int64_t>(n - 1, 1));

  std::vector<double> focus_logits = as_doubles(focus.data(), n);
  const std::vector<double> focus_log_probs = log_softmax(focus_logits);
  std::vector<double> centre_logits;
  for (std::int64_t c = 0; c < k_count; ++c) {
    const double centre = k_count > 1 ? kFirstMean + (kLastMean - kFirstMean) * static_cast<double>(c) / static_cast<double>(k_count - 1)
                                      : kFirstMean;
    const double p = (centre - kMinBond) / kBondSpan;
    centre_logits.push_back(std::log(p / (1.0 - p)));
  }
  const double away_bias[5] = {kAwayLogit, 0.0, kAwayLogit, kAwayConeA, kAwayConeB};

  std::vector<PlacementLaw> laws(static_cast<std::size_t>(n));
  edge = 0;
  for (std::int64_t f = 0; f < n; ++f) {
    PlacementLaw& law = laws[static_cast<std::size_t>(f)];
    law.focus_log_prob = focus_log_probs[static_cast<std::size_t>(f)];
    // Distance mixture, means in covalent bond lengths.
    const float* ds = dist.data() + f * 3 * k_count;
    const double bond = covalent_radius_ang(e.obs->atomic_numbers[static_cast<std::size_t>(f)]) +
                        covalent_radius_ang(z);
    law.distance_log_weight = log_softmax(as_doubles(ds, k_count));
    for (std::int64_t c = 0; c < k_count; ++c) {
      law.distance_mean_ang.push_back(bond * (kMinBond + kBondSpan * sigmoid(ds[k_count + c] + centre_logits[static_cast<std::size_t>(c)])));
      law.distance_std_ang.push_back(kMinStd + kStdSpan * sigmoid(ds[2 * k_count + c] + kStdBias));
    }
    // This atom's 5D vectors.
    std::vector<Eigen::Vector3d> v(static_cast<std::size_t>(vectors_per_atom), Eigen::Vector3d::Zero());
    for (std::int64_t j = 0; j < n; ++j) {
      if (j == f) continue;
      const Eigen::Vector3d diff = e.x[static_cast<std::size_t>(f)] - e.x[static_cast<std::size_t>(j)];
      const float* coefficient = coefficients.data() + edge * vectors_per_atom;
      for (std::int64_t c = 0; c < vectors_per_atom; ++c) v[static_cast<std::size_t>(c)] += static_cast<double>(coefficient[c]) * diff;
      ++edge;
    }
    for (auto& vector : v) vector *= inv_degree;
    // Direction head outputs: [8, D] (vMF logit, cone logit, κ, cone a, cone b, pair logit, pair κ,
    // lift), then the away laws' five (vMF logit, κ, cone logit, a, b).
    const float* out = dir.data() + f * w.direction_head.out_features();
    const auto head = [&](int r, std::int64_t c) { return static_cast<double>(out[r * d + c]); };
    const auto away_param = [&](int i) { return static_cast<double>(out[8 * d + i]) + away_bias[i]; };
    const auto [away_axis, away_fade] = unit_axis(e.away[static_cast<std::size_t>(f)], kAwayScale);

    std::vector<double> logits;
    std::vector<DirectionLaw>& laws_u = law.directions;
    for (std::int64_t c = 0; c < d; ++c) {  // D vMF
      const auto [axis, fade] = unit_axis(v[static_cast<std::size_t>(c)], kAxisScale);
      laws_u.push_back({false, axis, kKappaScale * softplus(head(2, c)) * fade, 1.0, 1.0, 0.0});
      logits.push_back(head(0, c));
    }
    for (double sign : {1.0, -1.0}) {  // mirror pairs: m+ of each, then m−
      for (std::int64_t c = 0; c < d; ++c) {
        const auto [w_axis, fade] = unit_axis(v[static_cast<std::size_t>(2 * d + c)], kAxisScale);
        const Eigen::Vector3d cross = v[static_cast<std::size_t>(3 * d + c)].cross(v[static_cast<std::size_t>(4 * d + c)]);
        const Eigen::Vector3d normal = cross / std::sqrt(cross.squaredNorm() + kAxisScale * kAxisScale);
        const Eigen::Vector3d pair = w_axis + sign * softplus(head(7, c)) * normal;
        laws_u.push_back({false, pair / std::max(pair.norm(), 1e-12), kKappaScale * softplus(head(6, c)) * fade, 1.0, 1.0, 0.0});
        logits.push_back(head(5, c));
      }
    }
    laws_u.push_back({false, away_axis, kKappaScale * softplus(away_param(1)) * away_fade, 1.0, 1.0, 0.0});
    logits.push_back(away_param(0));
    for (std::int64_t c = 0; c < d; ++c) {  // D cones
      const auto [axis, fade] = unit_axis(v[static_cast<std::size_t>(d + c)], kAxisScale);
      laws_u.push_back({true, axis, 0.0, 1.0 + kConeScale * softplus(head(3, c)) * fade,
                        1.0 + kConeScale * softplus(head(4, c)) * fade, 0.0});
      logits.push_back(head(1, c));
    }
    laws_u.push_back({true, away_axis, 0.0, 1.0 + kConeScale * softplus(away_param(3)) * away_fade,
                      1.0 + kConeScale * softplus(away_param(4)) * away_fade, 0.0});
    logits.push_back(away_param(2));
    const std::vector<double> log_weights = log_softmax(logits);
    for (std::size_t c = 0; c < laws_u.size(); ++c) laws_u[c].log_weight = log_weights[c];
  }
  return laws;
}

std::vector<double> DesignInference::element_log_probs(const envs::GraphObservation& obs) const {
  return element_log_probs(encode(obs));
}

std::vector<PlacementLaw> DesignInference::placement_laws(const envs::GraphObservation& obs, int element_index) const {
  return placement_laws(encode(obs), element_index);
}

std::vector<double> DesignInference::greedy(const envs::GraphObservation& obs) const {
  const Encoded e = encode(obs);
  const std::size_t k = argmax(element_log_probs(e));
  const int z = w_->elements[k];
  if (e.n == 0) return {static_cast<double>(z), 0.0, 0.0, 0.0};  // the env puts the first atom at the origin
  const Eigen::Vector3d position = greedy_position(obs.atomic_numbers, e.x, z, placement_laws(e, static_cast<int>(k)));
  return {static_cast<double>(z), position.x(), position.y(), position.z()};
}

std::vector<double> DesignInference::sample(const envs::GraphObservation& obs, std::mt19937_64& rng) const {
  const Encoded e = encode(obs);
  const std::size_t k = draw(element_log_probs(e), rng);
  const int z = w_->elements[k];
  if (e.n == 0) return {static_cast<double>(z), 0.0, 0.0, 0.0};
  const std::vector<PlacementLaw> laws = placement_laws(e, static_cast<int>(k));
  std::vector<double> focus_log_probs;
  for (const PlacementLaw& law : laws) focus_log_probs.push_back(law.focus_log_prob);
  const std::size_t f = draw(focus_log_probs, rng);
  const PlacementLaw& law = laws[f];
  // The distance mixture truncated to r > 0: a component and a Gaussian draw, redrawn until positive.
  double r = 0.0;
  std::normal_distribution<double> normal(0.0, 1.0);
  while (r <= 0.0) {
    const std::size_t c = draw(law.distance_log_weight, rng);
    r = law.distance_mean_ang[c] + law.distance_std_ang[c] * normal(rng);
  }
  std::vector<double> direction_log_weights;
  for (const DirectionLaw& d : law.directions) direction_log_weights.push_back(d.log_weight);
  const Eigen::Vector3d u = sample_direction(law.directions[draw(direction_log_weights, rng)], rng);
  const Eigen::Vector3d position = e.x[f] + r * u;
  return {static_cast<double>(z), position.x(), position.y(), position.z()};
}

}  // namespace equimol::rl
