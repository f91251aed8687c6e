// Checkpoints: model, optimiser, torch RNG state, step counters and env snapshots in one torch
// archive, written to PATH.tmp and renamed, so a crash never leaves a half-written checkpoint.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace equimol::rl {

struct CheckpointState {
  std::int64_t global_step = 0;
  std::int64_t iteration = 0;
  std::vector<std::string> env_snapshots;  // envs::Env::save() of each training env
};

void save_checkpoint(const std::filesystem::path& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                     const CheckpointState& state);

/// Restores everything, including torch's default CPU generator (to resume training).
CheckpointState load_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                                 torch::optim::Optimizer& optimizer);

/// Restores the model parameters only (to evaluate).
void load_model(const std::filesystem::path& path, torch::nn::Module& model);

}  // namespace equimol::rl
