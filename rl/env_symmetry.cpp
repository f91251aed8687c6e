#include "rl/env_symmetry.h"

#include <cmath>
#include <stdexcept>

#include "envs/cartpole.h"
#include "envs/grid_world.h"
#include "models/symmetry_groups.h"

namespace equimol::rl {

namespace {

// Hidden channels of the Symmetrizer agent. CartPole: 46 copies of Z2's regular representation give
// 9,156 parameters (policy + value, 4 C^2 + 15 C + 2), against 9,155 for the 64 x 64 MLP agent.
// GridWorld: 16 copies of C4's regular representation, a 64-wide hidden layer.
constexpr std::int64_t kCartPoleChannels = 46;
constexpr std::int64_t kGridChannels = 16;

bool same_space(const envs::Space& a, const envs::Space& b) {
  if (const auto* da = std::get_if<envs::Discrete>(&a)) {
    const auto* db = std::get_if<envs::Discrete>(&b);
    return db != nullptr && da->n == db->n;
  }
  if (const auto* ba = std::get_if<envs::Box>(&a)) {
    const auto* bb = std::get_if<envs::Box>(&b);
    return bb != nullptr && ba->low == bb->low && ba->high == bb->high;
  }
  return false;
}

bool matches(const envs::Env& env, const envs::Space& observation_space, const envs::Space& action_space) {
  return same_space(env.observation_space(), observation_space) && same_space(env.action_space(), action_space);
}

/// The grid size n if the observation could be GridWorld-v0's (n^2 pixels, n odd >= 3), else 0.
std::int64_t grid_size(const envs::Space& observation_space) {
  const auto* box = std::get_if<envs::Box>(&observation_space);
  if (box == nullptr) return 0;
  const auto n = static_cast<std::int64_t>(std::lround(std::sqrt(static_cast<double>(box->dim()))));
  return n * n == box->dim() && n >= 3 && n % 2 == 1 ? n : 0;
}

torch::Tensor matrix(const models::Representation& rep, std::int64_t g, torch::Dtype dtype) {
  const auto& m = rep.matrices.at(static_cast<std::size_t>(g));
  return torch::tensor(m, torch::kFloat64).view({rep.dim, rep.dim}).to(dtype);
}

}  // namespace

bool has_cartpole_spaces(const envs::Space& observation_space, const envs::Space& action_space) {
  return matches(envs::CartPole(), observation_space, action_space);
}

EnvSymmetry env_symmetry(const envs::Space& observation_space, const envs::Space& action_space,
                         const std::string& agent) {
  if (has_cartpole_spaces(observation_space, action_space)) {
    return {SymmetryGroup::kCartPoleMirror, "CartPole-v1 Z2 mirror", models::cartpole_state(), models::cartpole_actions(),
            models::cyclic_regular(models::kCartPoleGroupOrder), kCartPoleChannels};
  }
  if (const std::int64_t n = grid_size(observation_space);
      n > 0 && matches(envs::GridWorld(envs::GridWorldOptions{n, {}}), observation_space, action_space)) {
    return {SymmetryGroup::kGridRotations, "GridWorld-v0 C4 rotations", models::grid_image(n), models::grid_actions(),
            models::cyclic_regular(models::kGridGroupOrder), kGridChannels};
  }
  throw std::invalid_argument(agent + " agent: no known symmetry for observations " + envs::describe(observation_space) +
                              " and actions " + envs::describe(action_space) +
                              " (supported: CartPole-v1, GridWorld-v0)");
}

torch::Tensor transform_observations(const models::Representation& rep, std::int64_t g, const torch::Tensor& obs) {
  return obs.matmul(matrix(rep, g, obs.scalar_type()).t());
}

torch::Tensor transform_actions(const models::Representation& rep, std::int64_t g, const torch::Tensor& actions) {
  // Column a of K_g has its 1 in row perm[a].
  const torch::Tensor perm = matrix(rep, g, torch::kFloat64).argmax(0);
  return perm.index_select(0, actions.to(torch::kLong).flatten()).view_as(actions);
}

torch::Tensor transform_logits(const models::Representation& rep, std::int64_t g, const torch::Tensor& logits) {
  return logits.matmul(matrix(rep, g, logits.scalar_type()).t());
}

}  // namespace equimol::rl
