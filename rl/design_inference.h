// The EGNN design agent acting at batch size 1 without LibTorch: the same policy as
// DesignEgnnActorCritic::forward followed by mode() or sample(), computed on float32 arrays with the
// dense kernels (models/egnn_inference.h, models/mlp_inference.h) and plain loops. At batch size 1
// the LibTorch path spends ~1-2 ms per action in operator dispatch and small allocations, as long as
// GFN2 takes to score a placement on a small canvas; this path takes tens of microseconds (issue 6's
// overhead bar, RESULTS.md). Only the action: no log-probability, value or gradient (training keeps
// the LibTorch path). Torch-free header.
#pragma once

#include <Eigen/Core>

#include <memory>
#include <random>
#include <vector>

#include "envs/types.h"
#include "rl/design_decoding.h"

namespace equimol::rl {

class DesignEgnnActorCriticImpl;
struct DesignInferenceWeights;

class DesignInference {
 public:
  /// A float32 snapshot of the agent's parameters: build it again after the agent changes.
  explicit DesignInference(DesignEgnnActorCriticImpl& agent);
  ~DesignInference();
  DesignInference(DesignInference&&) noexcept;
  DesignInference& operator=(DesignInference&&) noexcept;

  /// log p(element) over the task's elements (DesignEnv's order), masked to those left in the bag.
  std::vector<double> element_log_probs(const envs::GraphObservation& obs) const;
  /// The law of an atom of the task's element `element_index` about each canvas atom (empty canvas:
  /// none).
  std::vector<PlacementLaw> placement_laws(const envs::GraphObservation& obs, int element_index) const;

  /// DesignEnv's action [Z, x, y, z]: the greedy action (DesignActionDistribution::mode()), or a draw
  /// from the policy with `rng`.
  std::vector<double> greedy(const envs::GraphObservation& obs) const;
  std::vector<double> sample(const envs::GraphObservation& obs, std::mt19937_64& rng) const;

 private:
  struct Encoded;
  Encoded encode(const envs::GraphObservation& obs) const;
  std::vector<double> element_log_probs(const Encoded& e) const;
  std::vector<PlacementLaw> placement_laws(const Encoded& e, int element_index) const;

  std::unique_ptr<const DesignInferenceWeights> w_;
};

}  // namespace equimol::rl
