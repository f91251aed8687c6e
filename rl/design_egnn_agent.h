// The EGNN actor-critic for DesignEnv (issue 6). One EGNN pass over the canvas (complete graph; node
// input: atomic-number embedding and the bag) gives invariant node features h and the pooled context;
// the heads also read each atom's bonded-neighbour count Σ_j s(d_fj / R_fj) and |a_f| (below).
// The action is chosen as element → focus atom → distance → direction, each conditioned on the earlier
// choices:
//   element    categorical over the task's elements, masked to those left in the bag;
//   focus      categorical over the canvas atoms (invariant logits of h_f and the element);
//   distance   a mixture of Gaussians truncated to r > 0 (invariant parameters of focus and element), its
//              means multiples (0.6-1.6) of the covalent bond length r_cov(focus) + r_cov(element);
//   direction  a mixture of D von Mises–Fisher laws, D mirror pairs of vMF laws and D cone laws
//              (rl/sphere.h) whose axes are equivariant vectors of the focus atom,
//              v_fc = Σ_j (x_f − x_j) φ_c(h_f, h_j, |x_f − x_j|², Z) / deg f, plus a vMF and a cone law
//              about the away axis a_f = Σ_j s(d_fj / R_fj) (x_f − x_j) / d_fj (s ≈ 1 for bonded
//              neighbours, 0 beyond 1.5 bond lengths: an sp³ atom's fourth bond lies along it, the
//              second and third on cones about it); concentrations fade to 0
//              (uniform) as the axes vanish, so a lone atom gets a uniform direction. A mirror pair puts equal
//              weight on (ŵ ± s·a × b)/|…|: the cross product is a pseudo-vector, so the pair reaches out of
//              the plane of a planar canvas (a tetrahedral H) and a reflection only swaps its two halves.
//              Rotating or reflecting the canvas moves the whole law with it, exactly.
// The env's action is [Z, x, y, z] with position = x_focus + r·u. The focus is not in the action: the
// log-probability is the exact marginal over it,
//   log π(Z, x) = log p(Z) + log Σ_f p(f | Z) p_r(|x − x_f|) p_u((x − x_f)/|x − x_f|) / |x − x_f|²
// (1/r² is the Jacobian from (r, u) to Cartesian positions). On the empty canvas the env puts the first
// atom at the origin whatever the position: the action is [Z, 0, 0, 0] and log π = log p(Z).
// Entropy (an estimate, used only as a bonus/diagnostic): the entropy of the sub-action choices
// H(Z) + E_Z[H(f | Z) + E_f[H_r + H_u]], each mixture bounded by H(weights) + Σ_c w_c H(component c)
// and the distance Gaussians' truncation ignored.
#pragma once

#include <torch/torch.h>

#include <vector>

#include "envs/spaces.h"
#include "models/egnn.h"
#include "models/mlp.h"
#include "rl/actor_critic.h"
#include "rl/egnn_agent_options.h"
#include "rl/graph_features.h"

namespace equimol::rl {

class DesignEgnnActorCriticImpl : public ActorCriticImpl {
 public:
  /// The parameters do not depend on the task's elements (the bag is read over a fixed vocabulary of
  /// elements, kDesignElements), so a model trained on one bag can design another.
  DesignEgnnActorCriticImpl(const envs::GraphSpace& observation_space, const envs::Box& action_space,
                            const EgnnAgentOptions& options = {});

  PolicyOutput forward(const torch::Tensor& obs) override;
  torch::Tensor value(const torch::Tensor& obs) override;

 private:
  friend class DesignInference;  // copies the parameters for batch-size-1 acting (design_inference.h)
  struct Features;
  Features encode(const torch::Tensor& obs);

  GraphLayout layout_;
  EgnnAgentOptions options_;
  std::vector<int> elements_;     // the task's elements (order of the bag counts)
  torch::Tensor vocab_index_;     // [V] their slots in kDesignElements
  torch::nn::Embedding embedding_;
  models::EGNN egnn_;
  models::MLP element_head_;
  models::MLP focus_head_;
  models::MLP distance_head_;
  models::MLP direction_head_;    // mixture weights, κ, cone (a, b)
  models::MLP vector_head_;       // per-edge coefficients of the direction axes
  models::MLP value_head_;
};
TORCH_MODULE(DesignEgnnActorCritic);

/// The elements the design agent reads bags over: H B C N O F Si P S Cl Br I.
extern const std::vector<int> kDesignElements;

/// The policy's distribution over DesignEnv's [Z, x, y, z] (exposed for tests). Dense tensors over
/// B observations, M canvas slots, V elements, K distance and C direction components.
class DesignActionDistribution : public Distribution {
 public:
  struct Params {
    torch::Tensor elements;        // [V] atomic numbers (float)
    torch::Tensor element_logits;  // [B, V], bag-masked
    torch::Tensor positions;       // [B, M, 3]
    torch::Tensor present;         // [B, M] bool
    torch::Tensor numbers;         // [B, M] atomic numbers (0 where no atom; undefined: unknown), read only
                                   // by the greedy decoding's chemistry checks (rl/design_decoding.h)
    torch::Tensor focus_logits;    // [B, M, V]
    torch::Tensor distance_logits, distance_mean, distance_std;  // [B, M, V, K]
    torch::Tensor direction_logits;  // [B, M, V, C]: C = the vMF components (kappa's last size), then the cones
    torch::Tensor axes;            // [B, M, V, C, 3] unit
    torch::Tensor kappa;           // [B, M, V, C_vmf]
    torch::Tensor cone_a, cone_b;  // [B, M, V, C_cone] > 1 where the axis exists (1 = uniform)
  };
  explicit DesignActionDistribution(Params params);
  torch::Tensor sample() const override;
  /// The greedy action: the most probable element, then greedy_position (rl/design_decoding.h) on each
  /// row's laws for that element: the most probable path (focus, distance component, direction
  /// component) by p(f)·w_k·w_c whose mode (a vMF's axis; a cone's circle at azimuths of the canvas's
  /// own vectors, farthest from the other atoms) breaks no placement check (DesignEnv's rules, clashes,
  /// valence); when every mode of a path fails, the point at a usual bond angle from the focus atom's
  /// bonds farthest from the other atoms, at the path's mass. Not the mode
  /// of the Cartesian density, which is infinite at every atom (the 1/r² Jacobian), nor the joint peak
  /// of p(f) p_r p_u: a sharp law of an unlikely focus or component outscores a broad likely one (a cone
  /// spreads its mass round a circle), and that peak chose 5-valent carbons and collinear C-N-H
  /// (RESULTS.md).
  torch::Tensor mode() const override;
  torch::Tensor log_prob(const torch::Tensor& actions) const override;
  torch::Tensor entropy() const override;
  const Params& params() const { return p_; }

 private:
  struct Slice;
  Slice slice(const torch::Tensor& element) const;  // the parameters for a chosen element per row
  Params p_;
  torch::Tensor element_log_probs_;
  torch::Tensor empty_;  // [B] bool, no atom on the canvas
};

}  // namespace equimol::rl
