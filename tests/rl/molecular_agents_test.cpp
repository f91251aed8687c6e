// The EGNN agents of the molecular envs: featurizer round trip; exact equivariance of the action
// densities and invariance of the values under rotations, reflections, translations and permutations
// (float64, 1e-9); log-probabilities against brute-force formulas; sampling statistics of the laws.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <numeric>

#include "envs/env_factory.h"
#include "envs/pes_env.h"
#include "rl/design_egnn_agent.h"
#include "rl/featurize.h"
#include "rl/molecular_agents.h"
#include "rl/graph_features.h"
#include "rl/pes_egnn_agent.h"
#include "rl/sphere.h"

namespace equimol::rl {
namespace {

constexpr double kTol = 1e-9;

/// A random orthogonal matrix, a proper rotation or (reflect) one with det -1.
torch::Tensor random_orthogonal(bool reflect) {
  auto [q, r] = torch::linalg_qr(torch::randn({3, 3}, torch::kDouble));
  q = q * torch::sign(torch::diagonal(r)).unsqueeze(0);
  if ((torch::det(q).item<double>() > 0) == reflect) q = -q;
  return q;
}

envs::GraphObservation random_molecule(int n, int features, int globals, const std::vector<int>& elements) {
  envs::GraphObservation g;
  for (int k = 0; k < n; ++k) g.atomic_numbers.push_back(elements[static_cast<std::size_t>(k) % elements.size()]);
  const torch::Tensor x = 1.5 * torch::randn({n, 3}, torch::kDouble);
  g.positions_angstrom.assign(x.data_ptr<double>(), x.data_ptr<double>() + 3 * n);
  const torch::Tensor f = torch::rand({n * features}, torch::kDouble);
  g.node_features.assign(f.data_ptr<double>(), f.data_ptr<double>() + n * features);
  const torch::Tensor gl = torch::rand({globals}, torch::kDouble) * 3;
  g.globals.assign(gl.data_ptr<double>(), gl.data_ptr<double>() + globals);
  for (auto& c : g.globals) c = std::round(c) + 1;  // bag counts for design
  return g;
}

/// g·s: positions Q x + t, then atoms relabelled so that new atom k is old atom perm[k].
envs::GraphObservation transform(const envs::GraphObservation& s, const torch::Tensor& q, const torch::Tensor& t,
                                 const std::vector<int>& perm, int features) {
  envs::GraphObservation out = s;
  const int n = static_cast<int>(s.atomic_numbers.size());
  const torch::Tensor x = torch::tensor(s.positions_angstrom, torch::kDouble).view({n, 3});
  const torch::Tensor y = (x.matmul(q.t()) + t).contiguous();
  for (int k = 0; k < n; ++k) {
    const int old = perm[static_cast<std::size_t>(k)];
    out.atomic_numbers[k] = s.atomic_numbers[old];
    for (int c = 0; c < 3; ++c) out.positions_angstrom[3 * k + c] = y[old][c].item<double>();
    for (int c = 0; c < features; ++c) out.node_features[features * k + c] = s.node_features[features * old + c];
  }
  return out;
}

torch::Tensor rows(const std::vector<envs::GraphObservation>& obs, const GraphLayout& layout) {
  torch::Tensor out = torch::empty({static_cast<std::int64_t>(obs.size()), layout.dim()});
  for (std::size_t b = 0; b < obs.size(); ++b) write_graph_row(obs[b], layout, out[b].data_ptr<float>());
  return out.to(torch::kDouble);
}

/// Positions in float64 (rows() goes through float32): overwrite them exactly.
torch::Tensor rows64(const std::vector<envs::GraphObservation>& obs, const GraphLayout& layout) {
  torch::Tensor out = rows(obs, layout);
  for (std::size_t b = 0; b < obs.size(); ++b) {
    const auto n = static_cast<std::int64_t>(obs[b].atomic_numbers.size());
    for (std::int64_t k = 0; k < 3 * n; ++k) out[b][1 + layout.max_atoms + k] = obs[b].positions_angstrom[k];
    for (std::size_t k = 0; k < obs[b].node_features.size(); ++k)
      out[b][1 + 4 * layout.max_atoms + static_cast<std::int64_t>(k)] = obs[b].node_features[k];
    for (std::size_t k = 0; k < obs[b].globals.size(); ++k)
      out[b][layout.dim() - static_cast<std::int64_t>(obs[b].globals.size()) + static_cast<std::int64_t>(k)] = obs[b].globals[k];
  }
  return out;
}

std::vector<int> random_permutation(int n) {
  std::vector<int> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  const torch::Tensor p = torch::randperm(n, torch::kLong);
  for (int k = 0; k < n; ++k) perm[k] = static_cast<int>(p[k].item<std::int64_t>());
  return perm;
}

TEST(GraphFeatures, RoundTripAndEmptyCanvas) {
  const envs::GraphSpace space{6, {1, 6}, 2, 3};
  const GraphLayout layout = GraphLayout::of(space);
  EXPECT_EQ(layout.dim(), 1 + 6 * 6 + 3);
  envs::GraphObservation empty;
  empty.globals = {1, 2, 3};
  const envs::GraphObservation mol = random_molecule(4, 2, 3, {6, 1});
  std::vector<envs::Observation> obs = {empty, mol};
  const torch::Tensor r = stack_observations(std::vector<const envs::Observation*>{&obs[0], &obs[1]}, envs::Space{space});
  const GraphBatch g = unpack_graphs(r, layout);
  EXPECT_EQ(g.sizes, (std::vector<std::int64_t>{0, 4}));
  EXPECT_EQ(g.graph.num_nodes, 4);
  EXPECT_EQ(g.graph.edge_index.size(1), 12);
  EXPECT_EQ(g.atomic_numbers[1].item<std::int64_t>(), 1);
  EXPECT_NEAR(g.positions[3][2].item<double>(), mol.positions_angstrom[11], 1e-6);
  EXPECT_NEAR(g.node_features[2][1].item<double>(), mol.node_features[5], 1e-6);
  EXPECT_NEAR(g.globals[0][2].item<double>(), 3.0, 0);
  envs::GraphObservation too_big = random_molecule(7, 2, 3, {6});
  std::vector<envs::Observation> bad = {too_big};
  EXPECT_THROW(stack_observations(std::vector<const envs::Observation*>{&bad[0]}, envs::Space{space}), std::invalid_argument);
}

// ---- PES ----------------------------------------------------------------------------------------

envs::Box pes_box(int n) {
  std::vector<double> low(4 + 3 * n, -1.0), high(4 + 3 * n, 1.0);
  low[0] = 0, high[0] = 3, low[1] = low[2] = 0, high[1] = high[2] = n - 1, low[3] = 0.9, high[3] = 2.5;
  return envs::make_box(low, high);
}

/// The action a relabelled and rotated: atom old i is new perm⁻¹(i); d' = Q d, relabelled.
torch::Tensor transform_pes_action(const torch::Tensor& a, const torch::Tensor& q, const std::vector<int>& perm) {
  const int n = static_cast<int>(perm.size());
  std::vector<int> inverse(n);
  for (int k = 0; k < n; ++k) inverse[perm[k]] = k;
  torch::Tensor out = a.clone();
  for (std::int64_t b = 0; b < a.size(0); ++b) {
    out[b][1] = inverse[static_cast<int>(a[b][1].item<double>())];
    out[b][2] = inverse[static_cast<int>(a[b][2].item<double>())];
    const torch::Tensor d = a[b].slice(0, 4).view({n, 3}).matmul(q.t());
    for (int k = 0; k < n; ++k) out[b].slice(0, 4 + 3 * k, 7 + 3 * k).copy_(d[perm[k]]);
  }
  return out;
}

/// Parameters: per_atom_kick_std, hop.
class PesEgnnAgentKickStd : public ::testing::TestWithParam<std::tuple<bool, bool>> {};

EgnnAgentOptions pes_agent_options(bool per_atom_kick_std, bool hop = false) {
  EgnnAgentOptions o;
  o.per_atom_kick_std = per_atom_kick_std;
  o.hop = hop;
  return o;
}

EgnnAgentOptions pes_agent_options(const std::tuple<bool, bool>& param) {
  return pes_agent_options(std::get<0>(param), std::get<1>(param));
}

TEST_P(PesEgnnAgentKickStd, DensityEquivariantValueInvariant) {
  torch::manual_seed(3);
  const int n = 5;
  const envs::GraphSpace space{n, {18}, 2, 4};
  PesEgnnActorCritic agent(space, pes_box(n), pes_agent_options(GetParam()));
  agent->to(torch::kDouble);
  const GraphLayout layout = GraphLayout::of(space);
  std::vector<envs::GraphObservation> s;
  for (int b = 0; b < 4; ++b) s.push_back(random_molecule(n, 2, 4, {18}));
  const torch::Tensor obs = rows64(s, layout);
  const PolicyOutput out = agent->forward(obs);
  torch::Tensor actions = torch::cat({out.distribution->sample(), out.distribution->sample(), out.distribution->mode()});
  actions.select(1, 0).slice(0, 0, 4).fill_(0);  // kicks
  actions.select(1, 0).slice(0, 4, 8).fill_(1);  // drives
  if (std::get<1>(GetParam())) actions.select(1, 0).slice(0, 8, 10).fill_(3);  // hops: atom i, direction d_i
  const torch::Tensor obs3 = obs.repeat({3, 1});
  const torch::Tensor lp = agent->forward(obs3).distribution->log_prob(actions);
  ASSERT_TRUE(torch::isfinite(lp).all().item<bool>());
  for (bool reflect : {false, true}) {
    const torch::Tensor q = random_orthogonal(reflect);
    const torch::Tensor t = torch::randn({3}, torch::kDouble) * 5;
    const std::vector<int> perm = random_permutation(n);
    std::vector<envs::GraphObservation> gs;
    for (const auto& m : s) gs.push_back(transform(m, q, t, perm, 2));
    const torch::Tensor gobs = rows64(gs, layout);
    const PolicyOutput gout = agent->forward(gobs.repeat({3, 1}));
    const torch::Tensor glp = gout.distribution->log_prob(transform_pes_action(actions, q, perm));
    EXPECT_LT((glp - lp).abs().max().item<double>(), kTol) << "reflect " << reflect;
    EXPECT_LT((gout.value - agent->forward(obs3).value).abs().max().item<double>(), kTol);
    EXPECT_LT((gout.distribution->entropy() - agent->forward(obs3).distribution->entropy()).abs().max().item<double>(), kTol);
  }
}

/// Three atoms, kick and drive modes, one σ: the parameters the brute-force tests check against.
PesActionDistribution::Params three_atom_params() {
  PesActionDistribution::Params p;
  p.mode_logits = torch::tensor({{0.3, -0.2}}, torch::kDouble);
  p.kick_mean = torch::randn({1, 9}, torch::kDouble) * 0.2;
  p.log_std = torch::tensor(-0.7, torch::kDouble);
  p.pair_logits = torch::tensor({{0.1, 0.5, -0.4}}, torch::kDouble);
  p.beta_a = torch::tensor({{1.5, 2.0, 3.0}}, torch::kDouble);
  p.beta_b = torch::tensor({{2.5, 1.2, 1.1}}, torch::kDouble);
  p.pair_i = torch::tensor({0, 0, 1}, torch::kLong);
  p.pair_j = torch::tensor({1, 2, 2}, torch::kLong);
  p.n_atoms = 3, p.target_min = 0.9, p.target_max = 2.5;
  return p;
}

TEST(PesActionDistribution, LogProbMatchesBruteForce) {
  torch::manual_seed(5);
  const PesActionDistribution::Params p = three_atom_params();
  const PesActionDistribution dist(p);
  const double log_z_mode = std::log(std::exp(0.3) + std::exp(-0.2));
  const double log_z_pair = std::log(std::exp(0.1) + std::exp(0.5) + std::exp(-0.4));
  const double sigma = std::exp(-0.7);
  // Kick: every displacement counts, nothing else.
  torch::Tensor kick = torch::zeros({1, 13}, torch::kDouble);
  kick[0][1] = 2, kick[0][2] = 1, kick[0][3] = 1.7;
  kick[0].slice(0, 4).copy_(torch::randn({9}, torch::kDouble) * 0.3);
  double expected = 0.3 - log_z_mode;
  for (int k = 0; k < 9; ++k) {
    const double z = (kick[0][4 + k].item<double>() - p.kick_mean[0][k].item<double>()) / sigma;
    expected += -0.5 * z * z - std::log(sigma) - 0.5 * std::log(2 * M_PI);
  }
  EXPECT_NEAR(dist.log_prob(kick).item<double>(), expected, 1e-12);
  // Drive of (2, 1) = pair (1, 2), target 1.7: displacements ignored.
  torch::Tensor drive = kick.clone();
  drive[0][0] = 1;
  const double x = (1.7 - 0.9) / 1.6, a = 3.0, b = 1.1;
  const double beta = (a - 1) * std::log(x) + (b - 1) * std::log(1 - x) - (std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b));
  expected = -0.2 - log_z_mode + (-0.4 - log_z_pair) + beta - std::log(1.6);
  EXPECT_NEAR(dist.log_prob(drive).item<double>(), expected, 1e-12);
  // A drive of (i, i) is run by PesEnv as (i, i + 1 mod n), and scored as that pair.
  for (const auto& [same, run] : std::vector<std::pair<int, std::pair<int, int>>>{{1, {1, 2}}, {2, {2, 0}}, {0, {0, 1}}}) {
    torch::Tensor given = drive.clone(), executed = drive.clone();
    given[0][1] = same, given[0][2] = same;
    executed[0][1] = run.first, executed[0][2] = run.second;
    EXPECT_NEAR(dist.log_prob(given).item<double>(), dist.log_prob(executed).item<double>(), 1e-12) << same;
  }
}

TEST_P(PesEgnnAgentKickStd, EntropyIsMinusMeanLogProbOfSamples) {
  torch::manual_seed(6);
  const int n = 4;
  const envs::GraphSpace space{n, {18}, 2, 4};
  PesEgnnActorCritic agent(space, pes_box(n), pes_agent_options(GetParam()));
  agent->to(torch::kDouble);
  const torch::Tensor obs = rows64({random_molecule(n, 2, 4, {18})}, GraphLayout::of(space)).repeat({20000, 1});
  torch::NoGradGuard no_grad;
  const PolicyOutput out = agent->forward(obs);
  const torch::Tensor lp = out.distribution->log_prob(out.distribution->sample());
  const double sem = lp.std().item<double>() / std::sqrt(20000.0);
  EXPECT_NEAR(-lp.mean().item<double>(), out.distribution->entropy()[0].item<double>(), 4 * sem + 1e-6);
}

TEST(PesEgnnAgent, PerAtomKickStdDiffersBetweenAtomsAndStates) {
  torch::manual_seed(8);
  const int n = 5;
  const envs::GraphSpace space{n, {18}, 2, 4};
  PesEgnnActorCritic agent(space, pes_box(n), pes_agent_options(true, false));
  agent->to(torch::kDouble);
  torch::NoGradGuard no_grad;
  for (auto& parameter : agent->named_parameters()) {  // a trained-looking head, not the near-zero init
    if (parameter.key().rfind("kick_std_head_", 0) == 0) parameter.value().normal_(0.0, 0.5);
  }
  const torch::Tensor obs = rows64({random_molecule(n, 2, 4, {18}), random_molecule(n, 2, 4, {18})}, GraphLayout::of(space));
  const torch::Tensor kicks = agent->forward(obs.repeat_interleave(4000, 0)).distribution->sample().slice(1, 4);
  // Per-atom spread of the samples: the 3 coordinates of one atom share σ_k; atoms and states differ.
  const torch::Tensor spread = kicks.view({2, 4000, n, 3}).std(1).mean(-1);  // [2, n]
  EXPECT_GT((spread.max() / spread.min()).item<double>(), 1.3);
  EXPECT_GT((spread[0] - spread[1]).abs().max().item<double>(), 0.05 * spread.mean().item<double>());
}

// What the env is sent: each atom's displacement at most max_kick long (the box's 1.0 here), shortened
// along itself, so that rotating an action rotates what the env gets; the box clip per component
// would turn a vector longer than the box. The header (mode, atoms, target) passes unchanged.
TEST(PesEgnnAgent, EnvActionsShortenDisplacementsWithoutTurningThem) {
  const int n = 3;
  PesEgnnActorCritic agent(envs::GraphSpace{n, {18}, 2, 4}, pes_box(n), pes_agent_options(false, true));
  agent->to(torch::kDouble);
  torch::Tensor a = torch::zeros({1, 4 + 3 * n}, torch::kDouble);
  a[0][0] = 3, a[0][1] = 2, a[0][2] = 1, a[0][3] = 1.7;
  a[0].slice(0, 4, 7).copy_(torch::tensor({0.3, -0.2, 0.1}, torch::kDouble));    // short: kept
  a[0].slice(0, 7, 10).copy_(torch::tensor({2.0, 1.0, -2.0}, torch::kDouble));   // length 3: to 1
  const torch::Tensor q = random_orthogonal(false);
  auto rotated = [&](const torch::Tensor& x) {
    torch::Tensor out = x.clone();
    out.slice(1, 4) = x.slice(1, 4).view({1, n, 3}).matmul(q.t()).reshape({1, 3 * n});
    return out;
  };
  const torch::Tensor sent = agent->env_actions(a);
  EXPECT_TRUE(torch::equal(sent.slice(1, 0, 7), a.slice(1, 0, 7)));
  EXPECT_NEAR(sent[0].slice(0, 7, 10).norm().item<double>(), 1.0, 1e-12);
  EXPECT_NEAR((sent[0].slice(0, 7, 10) - a[0].slice(0, 7, 10) / 3.0).abs().max().item<double>(), 0.0, 1e-12);
  EXPECT_NEAR((agent->env_actions(rotated(a)) - rotated(sent)).abs().max().item<double>(), 0.0, 1e-12);
  // After the env actions, the box clip no longer changes a displacement.
  std::vector<envs::Action> clipped;
  to_env_actions(sent, envs::Space{pes_box(n)}, clipped);
  const auto& values = std::get<std::vector<double>>(clipped.front());
  for (int k = 4; k < 4 + 3 * n; ++k) EXPECT_NEAR(values[k], sent[0][k].item<double>(), 1e-12) << k;
}

INSTANTIATE_TEST_SUITE_P(GlobalAndPerAtomWithAndWithoutHop, PesEgnnAgentKickStd,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()));

TEST(PesActionDistribution, PerAtomLogStdLogProbMatchesBruteForce) {
  torch::manual_seed(7);
  const int n = 2;
  PesActionDistribution::Params p;
  p.mode_logits = torch::tensor({{0.3, -0.2}}, torch::kDouble);
  p.kick_mean = torch::randn({1, 6}, torch::kDouble) * 0.2;
  p.log_std = torch::tensor({{-0.7, -0.7, -0.7, 0.2, 0.2, 0.2}}, torch::kDouble);
  p.pair_logits = torch::tensor({{0.1}}, torch::kDouble);
  p.beta_a = torch::tensor({{1.5}}, torch::kDouble);
  p.beta_b = torch::tensor({{2.5}}, torch::kDouble);
  p.pair_i = torch::tensor({0}, torch::kLong);
  p.pair_j = torch::tensor({1}, torch::kLong);
  p.n_atoms = n, p.target_min = 0.9, p.target_max = 2.5;
  const PesActionDistribution dist(p);
  torch::Tensor kick = torch::zeros({1, 10}, torch::kDouble);
  kick[0].slice(0, 4).copy_(torch::randn({6}, torch::kDouble) * 0.3);
  double expected = 0.3 - std::log(std::exp(0.3) + std::exp(-0.2));
  for (int k = 0; k < 6; ++k) {
    const double sigma = std::exp(k < 3 ? -0.7 : 0.2);
    const double z = (kick[0][4 + k].item<double>() - p.kick_mean[0][k].item<double>()) / sigma;
    expected += -0.5 * z * z - std::log(sigma) - 0.5 * std::log(2 * M_PI);
  }
  EXPECT_NEAR(dist.log_prob(kick).item<double>(), expected, 1e-12);
}

TEST(PesActionDistribution, HopLogProbMatchesBruteForce) {
  torch::manual_seed(9);
  const int n = 3;
  PesActionDistribution::Params p = three_atom_params();
  p.mode_logits = torch::tensor({{0.3, -0.2, 0.6}}, torch::kDouble);  // kick, drive, hop
  p.hop_logits = torch::tensor({{-0.5, 0.4, 0.1}}, torch::kDouble);
  p.log_std = torch::tensor({{-0.7, -0.7, -0.7, 0.2, 0.2, 0.2, -0.1, -0.1, -0.1}}, torch::kDouble);
  const PesActionDistribution dist(p);
  // Hop of atom 1 (env mode 3): only d_1 counts; the other rows and j, target are ignored.
  torch::Tensor hop = torch::zeros({1, 13}, torch::kDouble);
  hop[0][0] = 3, hop[0][1] = 1, hop[0][2] = 2, hop[0][3] = 1.3;
  hop[0].slice(0, 4).copy_(torch::randn({9}, torch::kDouble) * 0.3);
  const double log_z_mode = std::log(std::exp(0.3) + std::exp(-0.2) + std::exp(0.6));
  const double log_z_hop = std::log(std::exp(-0.5) + std::exp(0.4) + std::exp(0.1));
  double expected = 0.6 - log_z_mode + 0.4 - log_z_hop;
  for (int c = 0; c < 3; ++c) {
    const double sigma = std::exp(0.2);
    const double z = (hop[0][7 + c].item<double>() - p.kick_mean[0][3 + c].item<double>()) / sigma;
    expected += -0.5 * z * z - std::log(sigma) - 0.5 * std::log(2 * M_PI);
  }
  EXPECT_NEAR(dist.log_prob(hop).item<double>(), expected, 1e-12);
  // A sampled hop carries its atom in column 1 and only that atom's row.
  torch::manual_seed(10);
  for (int trial = 0; trial < 200; ++trial) {
    const torch::Tensor a = dist.sample()[0];
    if (a[0].item<double>() != 3.0) continue;
    const int atom = static_cast<int>(a[1].item<double>());
    for (int k = 0; k < n; ++k) EXPECT_EQ(a.slice(0, 4 + 3 * k, 7 + 3 * k).abs().sum().item<double>() > 0.0, k == atom);
  }
}

// ---- design --------------------------------------------------------------------------------------

const std::vector<int> kCh3noElements = {1, 6, 7, 8};

TEST(DesignEgnnAgent, DensityEquivariantValueInvariant) {
  torch::manual_seed(7);
  const envs::GraphSpace space{8, kCh3noElements, 0, 4};
  const envs::Box box = envs::make_box({1, -50, -50, -50}, {8, 50, 50, 50});
  DesignEgnnActorCritic agent(space, box);
  agent->to(torch::kDouble);
  const GraphLayout layout = GraphLayout::of(space);
  std::vector<envs::GraphObservation> s;
  for (int n : {1, 2, 3, 5}) s.push_back(random_molecule(n, 0, 4, {6, 8, 1, 7}));
  const torch::Tensor obs = rows64(s, layout).repeat({4, 1});
  const PolicyOutput out = agent->forward(obs);
  const torch::Tensor actions = torch::cat({out.distribution->sample().slice(0, 0, 12), out.distribution->mode().slice(0, 12)});
  const torch::Tensor lp = out.distribution->log_prob(actions);
  ASSERT_TRUE(torch::isfinite(lp).all().item<bool>()) << lp << actions;
  for (bool reflect : {false, true}) {
    const torch::Tensor q = random_orthogonal(reflect);
    const torch::Tensor t = torch::randn({3}, torch::kDouble) * 5;
    std::vector<envs::GraphObservation> gs;
    for (const auto& m : s) gs.push_back(transform(m, q, t, random_permutation(static_cast<int>(m.atomic_numbers.size())), 0));
    const PolicyOutput gout = agent->forward(rows64(gs, layout).repeat({4, 1}));
    torch::Tensor gactions = actions.clone();
    gactions.slice(1, 1, 4).copy_(actions.slice(1, 1, 4).matmul(q.t()) + t);
    const torch::Tensor glp = gout.distribution->log_prob(gactions);
    EXPECT_LT((glp - lp).abs().max().item<double>(), kTol) << "reflect " << reflect;
    EXPECT_LT((gout.value - out.value).abs().max().item<double>(), kTol);
    EXPECT_LT((gout.distribution->entropy() - out.distribution->entropy()).abs().max().item<double>(), kTol);
  }
}

TEST(DesignEgnnAgent, EmptyCanvasPlacesTheFirstAtomAtTheOrigin) {
  torch::manual_seed(8);
  const envs::GraphSpace space{8, kCh3noElements, 0, 4};
  DesignEgnnActorCritic agent(space, envs::make_box({1, -50, -50, -50}, {8, 50, 50, 50}));
  envs::GraphObservation empty;
  empty.globals = {3, 1, 0, 1};  // H3 C N0 O: no N left
  const torch::Tensor obs = rows({empty}, GraphLayout::of(space)).to(torch::kFloat).repeat({500, 1});
  const PolicyOutput out = agent->forward(obs);
  const torch::Tensor a = out.distribution->sample();
  EXPECT_EQ(a.slice(1, 1, 4).abs().max().item<double>(), 0.0);
  EXPECT_FALSE(a.select(1, 0).eq(7).any().item<bool>());
  // log π = log p(Z) whatever the position: the probabilities of the three elements sum to 1.
  torch::Tensor z = torch::zeros({3, 4});
  z[0][0] = 1, z[1][0] = 6, z[2][0] = 8, z[2][1] = 3.0;
  const torch::Tensor lp = agent->forward(obs.slice(0, 0, 3)).distribution->log_prob(z);
  EXPECT_NEAR(lp.exp().sum().item<double>(), 1.0, 1e-5);
}

DesignActionDistribution::Params two_atom_params() {
  DesignActionDistribution::Params p;
  auto d = torch::kDouble;
  p.elements = torch::tensor({6.0}, d);
  p.element_logits = torch::zeros({1, 1}, d);
  p.positions = torch::tensor({0.0, 0.0, 0.0, 1.2, 0.3, -0.2}, d).view({1, 2, 3});
  p.present = torch::tensor({true, true}).view({1, 2});
  p.focus_logits = torch::tensor({0.4, -0.3}, d).view({1, 2, 1});
  p.distance_logits = torch::tensor({0.0, 0.5, 0.2, -0.1}, d).view({1, 2, 1, 2});
  p.distance_mean = torch::tensor({1.1, 1.4, 0.2, 1.0}, d).view({1, 2, 1, 2});  // 0.2: truncation matters
  p.distance_std = torch::tensor({0.1, 0.2, 0.3, 0.15}, d).view({1, 2, 1, 2});
  p.direction_logits = torch::tensor({0.3, -0.3, 0.0, 0.1}, d).view({1, 2, 1, 2});  // D = 1: vMF, cone
  const torch::Tensor axes = torch::tensor({0.0, 0.6, 0.8, 1.0, 0.0, 0.0, -0.6, 0.0, 0.8, 0.0, -1.0, 0.0}, d);
  p.axes = axes.view({1, 2, 1, 2, 3});
  p.kappa = torch::tensor({4.0, 0.7}, d).view({1, 2, 1, 1});
  p.cone_a = torch::tensor({3.0, 1.5}, d).view({1, 2, 1, 1});
  p.cone_b = torch::tensor({2.0, 4.0}, d).view({1, 2, 1, 1});
  return p;
}

TEST(DesignActionDistribution, LogProbIsTheMarginalOverFocusAtoms) {
  const DesignActionDistribution::Params p = two_atom_params();
  const DesignActionDistribution dist(p);
  const double x[3] = {0.4, 0.9, 0.5};
  const double centres[2][3] = {{0, 0, 0}, {1.2, 0.3, -0.2}};
  const double focus_logits[2] = {0.4, -0.3}, dlog[2][2] = {{0.0, 0.5}, {0.2, -0.1}}, mu[2][2] = {{1.1, 1.4}, {0.2, 1.0}},
               sd[2][2] = {{0.1, 0.2}, {0.3, 0.15}}, wdir[2][2] = {{0.3, -0.3}, {0.0, 0.1}},
               ax[2][2][3] = {{{0, 0.6, 0.8}, {1, 0, 0}}, {{-0.6, 0, 0.8}, {0, -1, 0}}}, kappa[2] = {4.0, 0.7},
               ca[2] = {3.0, 1.5}, cb[2] = {2.0, 4.0};
  double total = 0;
  for (int f = 0; f < 2; ++f) {
    double off[3], r = 0;
    for (int c = 0; c < 3; ++c) off[c] = x[c] - centres[f][c], r += off[c] * off[c];
    r = std::sqrt(r);
    const double pf = std::exp(focus_logits[f]) / (std::exp(0.4) + std::exp(-0.3));
    double pr = 0, mass = 0, wsum = std::exp(dlog[f][0]) + std::exp(dlog[f][1]);
    for (int k = 0; k < 2; ++k) {
      const double w = std::exp(dlog[f][k]) / wsum;
      pr += w * std::exp(-0.5 * std::pow((r - mu[f][k]) / sd[f][k], 2)) / (sd[f][k] * std::sqrt(2 * M_PI));
      mass += w * 0.5 * std::erfc(-mu[f][k] / sd[f][k] / std::sqrt(2.0));
    }
    const double dws = std::exp(wdir[f][0]) + std::exp(wdir[f][1]);
    double t0 = 0, t1 = 0;
    for (int c = 0; c < 3; ++c) t0 += ax[f][0][c] * off[c] / r, t1 += ax[f][1][c] * off[c] / r;
    const double vmf = kappa[f] / (4 * M_PI * std::sinh(kappa[f])) * std::exp(kappa[f] * t0);
    const double y = (1 + t1) / 2;
    const double cone = std::exp((ca[f] - 1) * std::log(y) + (cb[f] - 1) * std::log(1 - y) -
                                 (std::lgamma(ca[f]) + std::lgamma(cb[f]) - std::lgamma(ca[f] + cb[f]))) / (4 * M_PI);
    const double pu = (std::exp(wdir[f][0]) * vmf + std::exp(wdir[f][1]) * cone) / dws;
    total += pf * (pr / mass) * pu / (r * r);
  }
  const torch::Tensor a = torch::tensor({6.0, x[0], x[1], x[2]}, torch::kDouble).view({1, 4});
  EXPECT_NEAR(dist.log_prob(a).item<double>(), std::log(total), 1e-10);
}

TEST(DesignActionDistribution, DensityIntegratesToOneOverSpace) {
  // Monte Carlo ∫ p(x) dx with x uniform in a 10 Å cube around the canvas.
  torch::manual_seed(9);
  const DesignActionDistribution::Params p = two_atom_params();
  const int samples = 400000;
  DesignActionDistribution::Params pb = p;
  auto repeat = [&](const torch::Tensor& t) {
    std::vector<std::int64_t> r(static_cast<std::size_t>(t.dim()), 1);
    r[0] = samples;
    return t.repeat(r);
  };
  for (torch::Tensor* t : {&pb.element_logits, &pb.positions, &pb.present, &pb.focus_logits, &pb.distance_logits,
                           &pb.distance_mean, &pb.distance_std, &pb.direction_logits, &pb.axes, &pb.kappa, &pb.cone_a,
                           &pb.cone_b}) {
    *t = repeat(*t);
  }
  const DesignActionDistribution dist(pb);
  torch::Tensor a = torch::empty({samples, 4}, torch::kDouble);
  a.select(1, 0).fill_(6.0);
  a.slice(1, 1, 4).copy_(torch::rand({samples, 3}, torch::kDouble) * 10 - 5 + 0.6);
  const torch::Tensor density = dist.log_prob(a).exp() * 1000.0;
  const double mean = density.mean().item<double>(), sem = density.std().item<double>() / std::sqrt(double(samples));
  EXPECT_NEAR(mean, 1.0, 4 * sem + 0.01) << "sem " << sem;
}

TEST(DesignActionDistribution, SamplesFollowTheDensity) {
  // One focus atom, one distance component, one vMF component: the sampled distance has the Gaussian's
  // mean and the direction the vMF's mean resultant length coth κ − 1/κ along its axis.
  torch::manual_seed(10);
  DesignActionDistribution::Params p = two_atom_params();
  p.focus_logits = torch::tensor({20.0, -20.0}, torch::kDouble).view({1, 2, 1});   // focus atom 0 only
  p.distance_logits = torch::tensor({20.0, -20.0, 0.0, 0.0}, torch::kDouble).view({1, 2, 1, 2});
  p.direction_logits = torch::tensor({20.0, -20.0, 0.0, 0.0}, torch::kDouble).view({1, 2, 1, 2});  // vMF only
  const int samples = 20000;
  for (torch::Tensor* t : {&p.element_logits, &p.positions, &p.present, &p.focus_logits, &p.distance_logits,
                           &p.distance_mean, &p.distance_std, &p.direction_logits, &p.axes, &p.kappa, &p.cone_a,
                           &p.cone_b}) {
    std::vector<std::int64_t> r(static_cast<std::size_t>(t->dim()), 1);
    r[0] = samples;
    *t = t->repeat(r);
  }
  const torch::Tensor a = DesignActionDistribution(p).sample();
  const torch::Tensor x = a.slice(1, 1, 4);
  const torch::Tensor r = x.norm(2, 1);
  EXPECT_NEAR(r.mean().item<double>(), 1.1, 0.005);
  const torch::Tensor axis = torch::tensor({0.0, 0.6, 0.8}, torch::kDouble);
  const double resultant = (x / r.unsqueeze(1)).matmul(axis).mean().item<double>();
  EXPECT_NEAR(resultant, 1.0 / std::tanh(4.0) - 0.25, 0.01);
}

/// Sharp two-atom parameters: focus atom 0 almost surely; distance and direction mixtures with
/// well-separated peaks (the vMF at κ 200, the cone at a, b = 60, 20: a circle at μ·u = 0.5).
DesignActionDistribution::Params sharp_two_atom_params() {
  DesignActionDistribution::Params p = two_atom_params();
  auto d = torch::kDouble;
  p.focus_logits = torch::tensor({6.0, -6.0}, d).view({1, 2, 1});
  p.distance_mean = torch::tensor({1.1, 1.5, 1.0, 1.3}, d).view({1, 2, 1, 2});
  // Component 0 is the lighter (weight 0.38) but the sharper: its peak is the higher one.
  p.distance_std = torch::tensor({0.02, 0.05, 0.03, 0.05}, d).view({1, 2, 1, 2});
  p.kappa = torch::tensor({200.0, 200.0}, d).view({1, 2, 1, 1});
  p.cone_a = torch::tensor({60.0, 60.0}, d).view({1, 2, 1, 1});
  p.cone_b = torch::tensor({20.0, 20.0}, d).view({1, 2, 1, 1});
  return p;
}

TEST(DesignActionDistribution, ModeTakesTheMostProbableFocusDistanceAndDirection) {
  DesignActionDistribution::Params p = sharp_two_atom_params();
  // Focus 0 (p ≈ 1): distance component 1 (weight 0.62, mean 1.5 Å, though component 0 has the higher
  // peak), direction component 0 (weight 0.65: the vMF about (0, 0.6, 0.8)).
  torch::Tensor mode = DesignActionDistribution(p).mode();
  EXPECT_EQ(mode[0][0].item<double>(), 6.0);
  EXPECT_LT((mode.slice(1, 1, 4) - torch::tensor({0.0, 0.9, 1.2}, torch::kDouble)).abs().max().item<double>(), 1e-12)
      << mode;
  // Focus 1 more probable (0.62), though its laws are broader: distance component 0 (1.0 Å), the cone
  // about (0, -1, 0) (weight 0.52) at cos θ = 2·59/78 − 1, at the azimuth farthest from atom 0. The path
  // (focus 1, distance 0, cone) has mass 0.62·0.57·0.52 = 0.19 against 0.38·0.62·0.65 = 0.15 for
  // (focus 0, distance 1, vMF). (At focus logits 0, 0.2 the masses are 0.17 and 0.18: the decoding takes
  // the most probable path, not the most probable focus first.)
  p.focus_logits = torch::tensor({0.0, 0.5}, torch::kDouble).view({1, 2, 1});
  mode = DesignActionDistribution(p).mode();
  const double t = 2.0 * 59.0 / 78.0 - 1.0, side = std::sqrt(1.0 - t * t) / std::sqrt(1.2 * 1.2 + 0.2 * 0.2);
  const torch::Tensor expected = torch::tensor({1.2 + side * 1.2, 0.3 - t, -0.2 - side * 0.2}, torch::kDouble);
  EXPECT_LT((mode.slice(1, 1, 4) - expected).abs().max().item<double>(), 1e-9) << mode << expected;
}

TEST(DesignActionDistribution, ModeRotatesWithTheCanvas) {
  torch::manual_seed(14);
  DesignActionDistribution::Params p = sharp_two_atom_params();
  p.focus_logits = torch::tensor({0.2, 0.0}, torch::kDouble).view({1, 2, 1});  // both atoms compete
  const torch::Tensor mode = DesignActionDistribution(p).mode().slice(1, 1, 4);
  for (bool reflect : {false, true}) {
    const torch::Tensor q = random_orthogonal(reflect);
    const torch::Tensor t = torch::randn({3}, torch::kDouble);
    DesignActionDistribution::Params g = p;
    g.positions = p.positions.matmul(q.t()) + t;
    g.axes = p.axes.matmul(q.t());
    const torch::Tensor gmode = DesignActionDistribution(g).mode().slice(1, 1, 4);
    EXPECT_LT((gmode - (mode.matmul(q.t()) + t)).abs().max().item<double>(), 1e-9) << "reflect " << reflect;
  }
}

// ---- laws on the sphere -------------------------------------------------------------------------

/// The agent's parameters for one canvas (elements kCh3noElements = H C N O), float64.
DesignActionDistribution::Params design_params(DesignEgnnActorCritic& agent, const envs::GraphObservation& canvas,
                                               PolicyOutput& out) {
  const envs::GraphSpace space{8, kCh3noElements, 0, 4};
  out = agent->forward(rows64({canvas}, GraphLayout::of(space)));
  return dynamic_cast<const DesignActionDistribution&>(*out.distribution).params();
}

TEST(DesignEgnnAgent, DistanceMeansAreMultiplesOfTheCovalentBondLength) {
  torch::manual_seed(9);
  const envs::GraphSpace space{8, kCh3noElements, 0, 4};
  DesignEgnnActorCritic agent(space, envs::make_box({1, -50, -50, -50}, {8, 50, 50, 50}));
  agent->to(torch::kDouble);
  const envs::GraphObservation canvas = random_molecule(4, 0, 4, {6, 8, 1, 7});
  // Cordero's covalent radii of H C N O and of the canvas atoms C O H N.
  const std::vector<double> r_element = {0.31, 0.76, 0.71, 0.66}, r_atom = {0.76, 0.66, 0.31, 0.71};
  PolicyOutput out;
  for (int trial = 0; trial < 2; ++trial) {
    const auto p = design_params(agent, canvas, out);
    for (int i = 0; i < 4; ++i) {
      for (int k = 0; k < 4; ++k) {
        const torch::Tensor ratio = p.distance_mean[0][i][k] / (r_atom[i] + r_element[k]);
        if (trial == 0) {  // untrained: the centres 0.85, 0.975, 1.1 of the bond length
          EXPECT_LT((ratio - torch::tensor({0.85, 0.975, 1.1}, torch::kDouble)).abs().max().item<double>(), 0.02) << ratio;
          EXPECT_LT(p.distance_std[0][i][k].max().item<double>(), 0.12);
        } else {  // any parameters: within [0.6, 1.6] bond lengths (the ends where the sigmoid saturates)
          EXPECT_GE(ratio.min().item<double>(), 0.6 - 1e-12);
          EXPECT_LE(ratio.max().item<double>(), 1.6 + 1e-12);
        }
      }
    }
    torch::NoGradGuard no_grad;
    for (auto& parameter : agent->parameters()) parameter.add_(3.0 * torch::randn_like(parameter));
  }
}

TEST(DesignEgnnAgent, AwayAxisIsTheFourthTetrahedralBondAndFadesOnALoneAtom) {
  torch::manual_seed(10);
  const envs::GraphSpace space{8, kCh3noElements, 0, 4};
  DesignEgnnActorCritic agent(space, envs::make_box({1, -50, -50, -50}, {8, 50, 50, 50}));
  agent->to(torch::kDouble);
  // CH3 (tetrahedral, C-H 1.09 Å, the fourth bond along -z... rotated) and an O 4 Å away: unbonded.
  const torch::Tensor q = random_orthogonal(false);
  const double c = 1.09, s3 = std::sqrt(8.0) / 3.0;
  torch::Tensor x = torch::tensor({0.0, 0.0, 0.0, c * s3, 0.0, c / 3.0, -c * s3 / 2, c * s3 * std::sqrt(3.0) / 2, c / 3.0,
                                   -c * s3 / 2, -c * s3 * std::sqrt(3.0) / 2, c / 3.0, 0.5, 0.3, 4.0},
                                  torch::kDouble)
                         .view({5, 3});
  x = x.matmul(q.t()).contiguous();
  envs::GraphObservation canvas;
  canvas.atomic_numbers = {6, 1, 1, 1, 8};
  canvas.positions_angstrom.assign(x.data_ptr<double>(), x.data_ptr<double>() + 15);
  canvas.globals = {1, 0, 1, 0};
  PolicyOutput out;
  const auto p = design_params(agent, canvas, out);
  const std::int64_t d = EgnnAgentOptions{}.direction_components, away_vmf = 3 * d, away_cone = 3 * d + 1 + d;
  const torch::Tensor expected = torch::tensor({0.0, 0.0, -1.0}, torch::kDouble).matmul(q.t());
  for (int k = 0; k < 4; ++k) {
    EXPECT_LT((p.axes[0][0][k][away_vmf] - expected).abs().max().item<double>(), 1e-8) << p.axes[0][0][k][away_vmf];
    EXPECT_LT((p.axes[0][0][k][away_cone] - expected).abs().max().item<double>(), 1e-8);
    EXPECT_GT(p.kappa[0][0][k][away_vmf].item<double>(), 1.0);
  }
  // A lone atom has no away axis: its away laws are uniform (κ = 0, a = b = 1).
  envs::GraphObservation lone;
  lone.atomic_numbers = {6};
  lone.positions_angstrom = {0.3, -0.2, 0.1};
  lone.globals = {1, 0, 1, 1};
  const auto pl = design_params(agent, lone, out);
  EXPECT_LT(pl.kappa[0][0].select(1, away_vmf).abs().max().item<double>(), 1e-12);
  EXPECT_LT((pl.cone_a[0][0].select(1, d) - 1.0).abs().max().item<double>(), 1e-12);
  EXPECT_LT((pl.cone_b[0][0].select(1, d) - 1.0).abs().max().item<double>(), 1e-12);
}

TEST(Sphere, VonMisesFisherMeanResultantLengthMatchesKappa) {
  torch::manual_seed(11);
  const int n = 40000;
  for (double kappa : {0.0, 0.5, 2.0, 10.0, 50.0}) {
    const torch::Tensor mu = torch::nn::functional::normalize(torch::randn({1, 3}, torch::kDouble),
                                                              torch::nn::functional::NormalizeFuncOptions().dim(1))
                                 .repeat({n, 1});
    const torch::Tensor u = vmf_sample(mu, torch::full({n}, kappa, torch::kDouble));
    EXPECT_LT((u.norm(2, 1) - 1).abs().max().item<double>(), 1e-12);
    const double expected = kappa == 0 ? 0.0 : 1.0 / std::tanh(kappa) - 1.0 / kappa;
    EXPECT_NEAR((u * mu).sum(1).mean().item<double>(), expected, 0.01) << "kappa " << kappa;
    // Entropy = -E[log p(u)].
    const double h = -vmf_log_prob(mu, torch::full({n}, kappa, torch::kDouble), u).mean().item<double>();
    EXPECT_NEAR(h, vmf_entropy(torch::tensor(kappa, torch::kDouble)).item<double>(), 0.02) << "kappa " << kappa;
  }
}

TEST(Sphere, LawsIntegrateToOne) {
  torch::manual_seed(12);
  const int n = 200000;
  const torch::Tensor u = torch::nn::functional::normalize(torch::randn({n, 3}, torch::kDouble),
                                                           torch::nn::functional::NormalizeFuncOptions().dim(1));
  const torch::Tensor mu = torch::tensor({0.0, 0.0, 1.0}, torch::kDouble).expand({n, 3});
  for (double kappa : {0.3, 3.0}) {
    const double integral = 4 * M_PI * vmf_log_prob(mu, torch::full({n}, kappa, torch::kDouble), u).exp().mean().item<double>();
    EXPECT_NEAR(integral, 1.0, 0.02);
  }
  const double cone = 4 * M_PI *
                      cone_log_prob(mu, torch::full({n}, 4.0, torch::kDouble), torch::full({n}, 2.0, torch::kDouble), u)
                          .exp().mean().item<double>();
  EXPECT_NEAR(cone, 1.0, 0.02);
  // Cone samples: E[μ·u] = (a − b) / (a + b).
  const torch::Tensor s = cone_sample(mu, torch::full({n}, 4.0, torch::kDouble), torch::full({n}, 2.0, torch::kDouble));
  EXPECT_NEAR(s.select(1, 2).mean().item<double>(), 2.0 / 6.0, 0.01);
}

TEST(Sphere, ConeLogProbIsFiniteAtThePolesInFloat32) {
  // a = 1 or b = 1 (a lone atom's faded law) and u on the axis: (b − 1)·log(1 − x) must not be 0·(−∞).
  const torch::Tensor mu = torch::tensor({{0.0f, 0.0f, 1.0f}, {0.0f, 0.0f, 1.0f}});
  const torch::Tensor u = torch::tensor({{0.0f, 0.0f, 1.0f}, {0.0f, 0.0f, -1.0f}});
  const torch::Tensor lp = cone_log_prob(mu, torch::ones({2}), torch::ones({2}), u);
  EXPECT_TRUE(torch::isfinite(lp).all().item<bool>()) << lp;
  EXPECT_NEAR(lp[0].item<double>(), -std::log(4 * M_PI), 1e-6);  // uniform
}

TEST(MolecularEnvs, FactoryBuildsPesAndRejectsBadOptions) {
  const auto env = envs::make_configured_env("pes", {{"cluster", "lj:7"}, {"budget", 5}}, {}, 3);
  const auto& space = std::get<envs::GraphSpace>(env->observation_space());
  EXPECT_EQ(space.max_atoms, 7);
  EXPECT_EQ(space.global_dim, 4);
  EXPECT_THROW(envs::make_configured_env("pes", {{"cluster", "lj:x"}}), std::invalid_argument);
  EXPECT_THROW(envs::make_configured_env("pes", {{"bag", "CH4"}}), std::invalid_argument);
  EXPECT_THROW(envs::make_configured_env("CartPole-v1", {{"bag", "CH4"}}), std::invalid_argument);
}

// Agent options are read strictly: a fraction for a width, or the other agent's keys, are refused
// (they were truncated or ignored).
TEST(MolecularAgents, OptionsOfTheOtherAgentOrOfTheWrongTypeAreRefused) {
  const auto pes = envs::make_configured_env("pes", {{"cluster", "lj:7"}}, {}, 3);
  const auto design = envs::make_configured_env("design", {{"bag", "CH2O"}});
  auto build = [](const envs::Env& env, const nlohmann::json& options) {
    return make_egnn_molecular_agent(env.observation_space(), env.action_space(), options);
  };
  EXPECT_NE(build(*pes, {{"hidden", 8}, {"hop", true}}), nullptr);
  EXPECT_NE(build(*design, {{"hidden", 8}, {"distance_components", 2}}), nullptr);
  for (const auto& [env, options, named] : std::vector<std::tuple<const envs::Env*, nlohmann::json, std::string>>{
           {pes.get(), {{"hidden", 2.7}}, "'hidden' has the wrong type (2.7)"},
           {pes.get(), {{"hop", 1}}, "'hop' has the wrong type"},
           {pes.get(), {{"distance_components", 3}}, "'distance_components' is for the design agent"},
           {design.get(), {{"hop", true}}, "'hop' is for the pes agent"},
           {design.get(), {{"width", 8}}, "unknown key 'width'"}}) {
    try {
      build(*env, options);
      ADD_FAILURE() << options.dump() << " was accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(named), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace equimol::rl
