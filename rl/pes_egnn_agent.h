// The EGNN actor-critic for PesEnv (issue 5). One EGNN pass over the current minimum (complete graph;
// node input: atomic-number embedding, the env's per-atom features and the globals) feeds:
//   mode   kick | drive (| hop with options.hop): a categorical from invariant pooled features
//          (restart is not learned);
//   kick   an isotropic Gaussian N(μ, σ² I) over the 3n displacements, μ_k = the EGNN's equivariant
//          vector of atom k squashed to length < max_kick / 2 (an invariant rescaling), σ learned:
//          one σ for all (state-independent), or with per_atom_kick_std a σ_k per atom from an
//          invariant head on atom k's features (so the agent can move some atoms and hold others).
//          Rotating or reflecting the molecule and the kick leaves the density unchanged, translating
//          changes nothing, permuting atoms permutes μ and σ;
//   drive  a categorical over pairs i < j (invariant logits from symmetric pair features
//          h_i + h_j, h_i ⊙ h_j, |x_i − x_j|), and the target distance target_min + (max − min)·Beta(a, b)
//          with a, b > 1 from the same pair features;
//   hop    a categorical over atoms (invariant logits from h_i), and the direction d_i drawn from
//          atom i's kick Gaussian N(μ_i, σ_i² I) (the env uses only its direction): equivariant as the kick;
//   value  an MLP on the mean-pooled invariant features and the globals.
// The action is PesEnv's Box [mode, i, j, target, d_1..d_n] (the hop is env mode 3); its log-probability
// is exact:
//   log π = log p(mode) + [kick] log N(d; μ, σ²I) + [drive] (log p(i, j) + log p(target | i, j))
//           + [hop] (log p(i) + log N(d_i; μ_i, σ_i² I)),
// the unused columns of a sample are ignored. The entropy is exact (branches are disjoint).
#pragma once

#include <torch/torch.h>

#include "envs/spaces.h"
#include "models/egnn.h"
#include "models/mlp.h"
#include "rl/actor_critic.h"
#include "rl/egnn_agent_options.h"
#include "rl/graph_features.h"

namespace equimol::rl {

class PesEgnnActorCriticImpl : public ActorCriticImpl {
 public:
  /// Sizes come from the spaces; the parameters do not depend on the number of atoms, so a model
  /// trained on one cluster runs on another.
  PesEgnnActorCriticImpl(const envs::GraphSpace& observation_space, const envs::Box& action_space,
                         const EgnnAgentOptions& options = {});

  PolicyOutput forward(const torch::Tensor& obs) override;
  torch::Tensor value(const torch::Tensor& obs) override;
  /// Each atom's displacement capped at max_kick in length, as PesEnv caps a kick (a hop keeps its
  /// direction): rotation-equivariant, where the box clip per component is not.
  torch::Tensor env_actions(const torch::Tensor& actions) const override;

 private:
  struct Features;
  Features encode(const torch::Tensor& obs);

  GraphLayout layout_;
  double max_kick_;
  double target_min_, target_max_;
  torch::Tensor pair_i_, pair_j_;  // [P] the pairs i < j of the n atoms, row-major
  torch::nn::Embedding embedding_;
  models::EGNN egnn_;
  models::MLP mode_head_;
  models::MLP pair_head_;  // -> logit, log(a - 1), log(b - 1)
  models::MLP value_head_;
  models::MLP kick_std_head_{nullptr};  // per-atom log σ offsets (per_atom_kick_std only)
  models::MLP hop_head_{nullptr};       // per-atom hop logits (hop only)
  torch::Tensor log_std_;  // [] kick σ (with per_atom_kick_std: the offsets' common bias)
};
TORCH_MODULE(PesEgnnActorCritic);

/// The policy's distribution over PesEnv's encoded action (exposed for tests).
class PesActionDistribution : public Distribution {
 public:
  struct Params {
    torch::Tensor mode_logits;  // [B, 2] kick, drive, or [B, 3] kick, drive, hop
    torch::Tensor hop_logits;   // [B, n] (hop only)
    torch::Tensor kick_mean;    // [B, 3n]
    torch::Tensor log_std;      // log σ of each displacement: [] one for all, or [B, 3n]
    torch::Tensor pair_logits;  // [B, P]
    torch::Tensor beta_a, beta_b;  // [B, P] > 1
    torch::Tensor pair_i, pair_j;  // [P] int64
    std::int64_t n_atoms = 0;
    double target_min = 0.0, target_max = 1.0;
  };
  explicit PesActionDistribution(Params params);
  torch::Tensor sample() const override;
  torch::Tensor mode() const override;
  torch::Tensor log_prob(const torch::Tensor& actions) const override;
  torch::Tensor entropy() const override;

 private:
  bool hops() const { return p_.hop_logits.defined(); }
  torch::Tensor encode(const torch::Tensor& mode, const torch::Tensor& pair, const torch::Tensor& target01,
                       const torch::Tensor& kick, const torch::Tensor& hop_atom) const;
  Params p_;
  torch::Tensor mode_log_probs_, pair_log_probs_, hop_log_probs_;
};

}  // namespace equimol::rl
