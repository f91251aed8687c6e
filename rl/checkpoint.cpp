#include "rl/checkpoint.h"

#include <ATen/core/Generator.h>

#include <mutex>
#include <stdexcept>

namespace equimol::rl {

namespace {

at::Generator& default_generator() {
  static at::Generator generator = at::detail::getDefaultCPUGenerator();
  return generator;
}

torch::serialize::InputArchive open(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw std::invalid_argument("no checkpoint at '" + path.string() + "'");
  torch::serialize::InputArchive archive;
  try {
    archive.load_from(path.string());
  } catch (const c10::Error& e) {
    throw std::invalid_argument("cannot read checkpoint '" + path.string() + "': " + e.what_without_backtrace());
  }
  return archive;
}

/// Runs `read` on a checkpoint's contents; LibTorch's errors there (a tensor the model has and the file
/// lacks, a shape that differs) become one line naming the file, without LibTorch's stack trace.
template <typename Read>
auto read_checkpoint(const std::filesystem::path& path, Read read) {
  try {
    return read();
  } catch (const c10::Error& e) {
    throw std::invalid_argument("checkpoint '" + path.string() + "' does not fit this run's agent: " +
                                e.what_without_backtrace());
  }
}

}  // namespace

void save_checkpoint(const std::filesystem::path& path, torch::nn::Module& model, torch::optim::Optimizer& optimizer,
                     const CheckpointState& state) {
  torch::serialize::OutputArchive archive;
  torch::serialize::OutputArchive model_archive, optimizer_archive;
  model.save(model_archive);
  optimizer.save(optimizer_archive);
  archive.write("model", model_archive);
  archive.write("optimizer", optimizer_archive);
  {
    std::lock_guard<std::mutex> lock(default_generator().mutex());
    archive.write("rng", default_generator().get_state());
  }
  archive.write("global_step", c10::IValue(state.global_step));
  archive.write("iteration", c10::IValue(state.iteration));
  archive.write("num_envs", c10::IValue(static_cast<std::int64_t>(state.env_snapshots.size())));
  for (std::size_t i = 0; i < state.env_snapshots.size(); ++i) {
    archive.write("env/" + std::to_string(i), c10::IValue(state.env_snapshots[i]));
  }
  const std::filesystem::path tmp = path.string() + ".tmp";
  archive.save_to(tmp.string());
  std::filesystem::rename(tmp, path);
}

CheckpointState load_checkpoint(const std::filesystem::path& path, torch::nn::Module& model,
                                torch::optim::Optimizer& optimizer) {
  torch::serialize::InputArchive archive = open(path);
  return read_checkpoint(path, [&] {
    torch::serialize::InputArchive model_archive, optimizer_archive;
    archive.read("model", model_archive);
    archive.read("optimizer", optimizer_archive);
    model.load(model_archive);
    optimizer.load(optimizer_archive);
    torch::Tensor rng_state;
    archive.read("rng", rng_state);
    {
      std::lock_guard<std::mutex> lock(default_generator().mutex());
      default_generator().set_state(rng_state);
    }
    CheckpointState state;
    c10::IValue value;
    archive.read("global_step", value);
    state.global_step = value.toInt();
    archive.read("iteration", value);
    state.iteration = value.toInt();
    archive.read("num_envs", value);
    const auto num_envs = value.toInt();
    for (std::int64_t i = 0; i < num_envs; ++i) {
      archive.read("env/" + std::to_string(i), value);
      state.env_snapshots.push_back(value.toStringRef());
    }
    return state;
  });
}

void load_model(const std::filesystem::path& path, torch::nn::Module& model) {
  torch::serialize::InputArchive archive = open(path);
  read_checkpoint(path, [&] {
    torch::serialize::InputArchive model_archive;
    archive.read("model", model_archive);
    model.load(model_archive);
  });
}

}  // namespace equimol::rl
