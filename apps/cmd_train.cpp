// equimol train: PPO on an env into a run directory (config.json, checkpoint.pt, metrics.csv,
// metrics.jsonl). Settings come from the env's defaults, then --config FILE, then the flags given.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "chem/errors.h"
#include "cli_common.h"
#include "commands.h"
#include "folder_lock.h"
#include "envs/env_factory.h"
#include "rl/run.h"
#include "rl/train_config.h"

namespace equimol::cli {
namespace {

struct TrainCommandOptions {
  std::string env;
  std::string agent;
  std::int64_t steps = 0;
  std::uint64_t seed = 0;
  std::string out_dir;
  int num_envs = 0;
  int env_threads = 0;
  std::string env_workers;
  int torch_threads = 0;
  std::string config_path;
  bool resume = false;
  // env_options of the molecular envs (envs/env_factory.h)
  std::string bag, cluster, smiles, xyz, method;
  int budget = 0;
};

/// The env_options flags given, over those of the config.
nlohmann::json env_options(const TrainCommandOptions& o, const CLI::App& command, nlohmann::json options) {
  const auto given = [&](const char* flag) { return command.count(flag) > 0; };
  if (given("--cluster") || given("--smiles") || given("--xyz")) {
    for (const char* key : {"cluster", "smiles", "xyz"}) options.erase(key);
  }
  if (given("--bag")) options["bag"] = o.bag;
  if (given("--cluster")) options["cluster"] = o.cluster;
  if (given("--smiles")) options["smiles"] = o.smiles;
  if (given("--xyz")) options["xyz"] = o.xyz;
  if (given("--method")) options["method"] = o.method;
  if (given("--budget")) options["budget"] = o.budget;
  return options;
}

/// Defaults for the env < --config file < flags given on the command line. With --resume the
/// run's own config.json is used, and only --steps and the thread options may be given.
rl::TrainConfig resolve(const TrainCommandOptions& o, const CLI::App& command) {
  const auto given = [&](const char* flag) { return command.count(flag) > 0; };
  if (o.resume) {  // a resumed run continues exactly: nothing that shaped it may change
    for (const char* flag : {"--config", "--seed", "--env", "--agent", "--num-envs", "--bag", "--cluster", "--smiles",
                             "--xyz", "--method", "--budget"}) {
      if (given(flag)) {
        throw std::invalid_argument(std::string(flag) + " cannot change a resumed run: it continues with " + o.out_dir +
                                    "/config.json (give only --steps and the thread options)");
      }
    }
  }
  nlohmann::json file = nlohmann::json::object();
  std::string source = "--config";
  if (o.resume) {
    source = (std::filesystem::path(o.out_dir) / "config.json").string();
    if (!std::filesystem::exists(source)) throw std::invalid_argument(o.out_dir + ": no training run to resume (no config.json)");
    file = rl::read_json_file(source);
  } else if (!o.config_path.empty()) {
    source = o.config_path;
    file = rl::read_json_file(o.config_path);
  }
  rl::TrainConfig config = rl::config_from_json(file, source, given("--env") ? o.env : "");
  config.env_options = env_options(o, command, config.env_options);
  envs::make_configured_env(config.env, config.env_options);  // bad names and options fail here, before anything is written
  if (given("--agent")) {
    config.agent = o.agent;
  } else if (!file.contains("agent") && (config.env == "pes" || config.env == "design")) {
    config.agent = "egnn";  // the molecular envs observe graphs, which only egnn reads (mlp would fail)
  }
  if (given("--steps")) config.total_steps = o.steps;
  if (given("--seed")) config.seed = o.seed;
  if (given("--num-envs")) config.ppo.num_envs = o.num_envs;
  if (given("--env-threads")) config.ppo.env_threads = o.env_threads;
  if (given("--env-workers")) config.ppo.env_workers = o.env_workers;
  if (given("--torch-threads")) config.ppo.torch_threads = o.torch_threads;
  rl::check(config.ppo);
  return config;
}

/// One line on what this call trained: its steps and rate (a resume's, not the whole run's, which it
/// adds), and the last mean episode return seen, or that no episode ended in these steps.
void print_summary(const rl::TrainConfig& config, const rl::TrainSummary& summary, bool resumed,
                   const std::string& out_dir) {
  std::cout << std::fixed << std::setprecision(1) << "trained " << config.agent << " on " << config.env << ": "
            << summary.steps_trained << (resumed ? " more" : "") << " steps in " << summary.seconds << " s ("
            << std::setprecision(0) << summary.steps_per_second() << " steps/s)";
  if (resumed) std::cout << ", " << summary.global_step << " in all";
  if (summary.last_return) {
    std::cout << "; last mean return " << std::setprecision(1) << *summary.last_return;
  } else {
    std::cout << "; no episode ended in these steps";
  }
  std::cout << "; run in " << out_dir << "\n";
}

void run_train(const TrainCommandOptions& options, const CLI::App& command) {
  // Held before the run directory is read (a resume reads its config.json) or written: a run there
  // would interleave its metrics with this one's. A new run's folder is held once it exists.
  FolderLock lock;
  lock.hold(options.out_dir);
  const rl::TrainConfig config = resolve(options, command);
  const bool created = !options.resume && create_output_folder(options.out_dir);
  lock.hold(options.out_dir);
  rl::TrainSummary summary;
  try {
    summary = rl::train(config, options.out_dir, options.resume, std::cerr);
  } catch (...) {
    std::error_code ignored;
    if (created) std::filesystem::remove(options.out_dir, ignored);  // only if nothing was written in it
    throw;
  }
  if (summary.interrupted) {
    throw Interrupted("train interrupted at step " + std::to_string(summary.global_step) + " of " +
                      std::to_string(config.total_steps) + ", checkpoint saved: `equimol train --out " +
                      options.out_dir + " --resume` continues it");
  }
  print_summary(config, summary, options.resume, options.out_dir);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto options = std::make_shared<TrainCommandOptions>();
  CLI::App* command = app.add_subcommand("train", "train an agent with PPO into a run directory");
  command->add_option("--env", options->env,
                      "env id (default CartPole-v1): " + comma_separated(envs::configured_env_names()));
  command->add_option("--agent", options->agent, "agent name (default mlp; egnn for pes and design)");
  command->add_option("--steps", options->steps, "total env steps (default: --config's, else 100000)")->check(at_least(1));
  command->add_option("--seed", options->seed, "seed for torch and the envs, env i gets seed + i (default: --config's, else 0)")
      ->check(non_negative());
  command->add_option("--out", options->out_dir, "run directory")->required();
  command->add_option("--num-envs", options->num_envs, "parallel envs")->check(at_least(1));
  command->add_option("--env-threads", options->env_threads, "OpenMP threads stepping the envs")
      ->check(at_least(1));
  command->add_option("--env-workers", options->env_workers,
                      "threads (envs in this process) | processes (one worker process per env)")
      ->check(CLI::IsMember({"threads", "processes"}));
  command->add_option("--torch-threads", options->torch_threads, "torch intra-op threads")
      ->check(at_least(1));
  command->add_option("--config", options->config_path, "JSON config (the shape of a run's config.json)");
  command->add_flag("--resume", options->resume, "continue the run in --out from its checkpoint");
  command->add_option("--bag", options->bag, "design: formula(s) of the bag, FORMULA[,FORMULA...]");
  command->add_option("--cluster", options->cluster, "pes: random Lennard-Jones cluster start, lj:N");
  command->add_option("--smiles", options->smiles, "pes: start molecule (SMILES, embedded with RDKit)");
  command->add_option("--xyz", options->xyz, "pes: start structure (XYZ file)");
  command->add_option("--method", options->method, "pes/design: gfn2 | gfn1 | gfnff | lj");
  command->add_option("--budget", options->budget, "pes: steps per episode")->check(at_least(1));
  command->callback([options, command] { run_train(*options, *command); });
}

}  // namespace equimol::cli
