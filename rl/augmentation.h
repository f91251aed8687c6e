// Symmetry augmentation inside PPO (the `mlp-augment` baseline). A rollout sample is
// (s, a, log pi_old(a|s), V_old(s), A, R); its copy under a symmetry g of the env is
//   (L_g s, K_g a, log pi_old(K_g a | L_g s), V_old(L_g s), A, R).
// In a symmetric MDP the mirrored transition is equally possible and has the same reward, so it has
// the same advantage and return: A and R are copied. The old log-prob is the rollout policy's at the
// copy, i.e. of the transformed action at the transformed state (computed once, before the update),
// so the ratio pi_new(K_g a | L_g s) / pi_old(K_g a | L_g s) starts at 1 and the clip is a trust
// region around pi_old at L_g s, as for real samples. The copy's action was drawn from
// pi_old(.|s) transported by g, not from pi_old(.|L_g s); that off-policy factor
// pi_old(a|s) / pi_old(K_g a | L_g s) is 1 for an equivariant old policy and is ignored otherwise
// (treating it as 1 is the approximation of this baseline). Copies join the same shuffled minibatches
// (so with one minibatch they share its advantage normalisation); minibatches grow by the number
// of copies, the number of gradient steps stays the same.
#pragma once

#include <torch/torch.h>

#include "rl/actor_critic.h"

namespace equimol::rl {

/// A flattened rollout as PPO optimises it, B samples.
struct FlatBatch {
  torch::Tensor obs;         // [B, obs_dim]
  torch::Tensor actions;     // [B] or [B, d]
  torch::Tensor log_probs;   // [B] log pi_old(a|s)
  torch::Tensor values;      // [B] V_old(s)
  torch::Tensor advantages;  // [B]
  torch::Tensor returns;     // [B]
};

/// The batch followed by the copies agent.symmetric_copies() offers (unchanged if none).
FlatBatch with_symmetric_copies(ActorCriticImpl& agent, FlatBatch batch);

}  // namespace equimol::rl
