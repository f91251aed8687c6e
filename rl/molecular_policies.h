// A trained molecular agent (a run directory of `equimol train --env pes|design --agent egnn`) as the
// policy of `equimol explore` or `equimol design`. Torch-free header for apps/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>

#include "envs/design_agents.h"
#include "envs/pes_explore.h"

namespace equimol::rl {

/// How the agent acts: the mode of its distribution (greedy) or a sample.
enum class PolicyMode { kGreedy, kSampled };

/// Loads run_dir/config.json and run_dir/checkpoint.pt. The agent is sized for `env`'s spaces (an EGNN
/// trained on one cluster or bag may act on another). Throws std::invalid_argument when run_dir is not
/// a run of a pes (resp. design) env. `seed` seeds the sampled actions: torch's generator for pes, the
/// policy's own generator for design (whose agent acts through DesignInference, rl/design_inference.h).
std::unique_ptr<envs::PesPolicy> load_pes_policy(const std::filesystem::path& run_dir, const envs::PesEnv& env,
                                                 PolicyMode mode, std::uint64_t seed);
std::unique_ptr<envs::DesignPolicy> load_design_policy(const std::filesystem::path& run_dir,
                                                       const envs::DesignEnv& env, PolicyMode mode, std::uint64_t seed);

}  // namespace equimol::rl
