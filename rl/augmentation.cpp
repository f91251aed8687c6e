#include "rl/augmentation.h"

#include <vector>

namespace equimol::rl {

FlatBatch with_symmetric_copies(ActorCriticImpl& agent, FlatBatch batch) {
  const std::vector<SymmetricCopy> copies = agent.symmetric_copies(batch.obs, batch.actions);
  if (copies.empty()) return batch;
  std::vector<torch::Tensor> obs{batch.obs}, actions{batch.actions}, log_probs{batch.log_probs}, values{batch.values};
  {
    torch::NoGradGuard no_grad;  // the old policy and value at the copies
    for (const SymmetricCopy& copy : copies) {
      const PolicyOutput out = agent.forward(copy.obs);
      obs.push_back(copy.obs);
      actions.push_back(copy.actions);
      log_probs.push_back(out.distribution->log_prob(copy.actions));
      values.push_back(out.value);
    }
  }
  const auto repeats = static_cast<std::int64_t>(copies.size()) + 1;
  return {torch::cat(obs),    torch::cat(actions), torch::cat(log_probs), torch::cat(values),
          batch.advantages.repeat({repeats}), batch.returns.repeat({repeats})};
}

}  // namespace equimol::rl
