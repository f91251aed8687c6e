#include "rl/featurize.h"

#include <algorithm>
#include <stdexcept>

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
