#include "rl/featurize.h"

#include <algorithm>
#include <stdexcept>

#include "rl/graph_features.h"

namespace equimol::rl {

torch::Tensor stack_observations(const std::vector<const envs::Observation*>& observations) {
  if (observations.empty()) return torch::empty({0, 0});
  const auto* first = std::get_if<std::vector<double>>(observations.front());
  if (first == nullptr) throw std::invalid_argument("stack_observations: graph observations are not supported yet");
  const auto dim = static_cast<std::int64_t>(first->size());
  torch::Tensor batch = torch::empty({static_cast<std::int64_t>(observations.size()), dim});
  float* out = batch.data_ptr<float>();
  for (const envs::Observation* obs : observations) {
    const auto& values = std::get<std::vector<double>>(*obs);
    out = std::copy(values.begin(), values.end(), out);
  }
  return batch;
}

torch::Tensor stack_observations(const std::vector<envs::StepResult>& results) {
  std::vector<const envs::Observation*> observations;
  observations.reserve(results.size());
  for (const auto& result : results) observations.push_back(&result.obs);
  return stack_observations(observations);
}

torch::Tensor stack_observations(const std::vector<const envs::Observation*>& observations,
                                 const envs::Space& observation_space) {
  const auto* graph_space = std::get_if<envs::GraphSpace>(&observation_space);
  if (graph_space == nullptr) return stack_observations(observations);
  const GraphLayout layout = GraphLayout::of(*graph_space);
  torch::Tensor batch = torch::empty({static_cast<std::int64_t>(observations.size()), layout.dim()});
  float* out = batch.data_ptr<float>();
  for (const envs::Observation* obs : observations) {
    const auto* graph = std::get_if<envs::GraphObservation>(obs);
    if (graph == nullptr) throw std::invalid_argument("stack_observations: a Box observation for a GraphSpace");
    write_graph_row(*graph, layout, out);
    out += layout.dim();
  }
  return batch;
}

torch::Tensor stack_observations(const std::vector<envs::StepResult>& results, const envs::Space& observation_space) {
  std::vector<const envs::Observation*> observations;
  observations.reserve(results.size());
  for (const auto& result : results) observations.push_back(&result.obs);
  return stack_observations(observations, observation_space);
}

std::int64_t observation_dim(const envs::Space& observation_space) {
  if (const auto* graph = std::get_if<envs::GraphSpace>(&observation_space)) return GraphLayout::of(*graph).dim();
  if (const auto* box = std::get_if<envs::Box>(&observation_space)) return box->dim();
  throw std::invalid_argument("no featurizer for observation space " + envs::describe(observation_space));
}

void to_env_actions(const torch::Tensor& actions, const envs::Space& action_space, std::vector<envs::Action>& out) {
  const auto n = static_cast<std::size_t>(actions.size(0));
  out.resize(n);
  if (std::holds_alternative<envs::Discrete>(action_space)) {
    const torch::Tensor indices = actions.to(torch::kLong).contiguous();
    const std::int64_t* data = indices.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < n; ++i) out[i] = data[i];
    return;
  }
  const auto& box = std::get<envs::Box>(action_space);
  const torch::Tensor values = actions.to(torch::kDouble).contiguous();
  const double* data = values.data_ptr<double>();
  for (std::size_t i = 0; i < n; ++i) {
    auto* action = std::get_if<std::vector<double>>(&out[i]);
    if (action == nullptr) action = &out[i].emplace<std::vector<double>>();
    action->resize(box.low.size());
    for (std::size_t j = 0; j < box.low.size(); ++j) {
      (*action)[j] = std::clamp(data[i * box.low.size() + j], box.low[j], box.high[j]);
    }
  }
}

}  // namespace equimol::rl
