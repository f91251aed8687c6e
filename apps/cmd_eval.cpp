// equimol eval: evaluate a trained run over N episodes; --json prints
// {"mean_return":..., "std_return":..., "episodes":N, "policy":"greedy"|"sampled"}.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "rl/run.h"
#include "rl/train_config.h"

namespace equimol::cli {
namespace {

struct EvalCommandOptions {
  std::string run_dir;
  rl::EvalOptions eval;
  bool sampled = false;
  bool greedy = false;
  bool json = false;
};

// A PES agent acting greedily makes the same move from a minimum every time it is there (the mode of
// its policy), so its episodes revisit and earn almost nothing: a pes run is evaluated with sampled
// actions, as explore acts; every other run greedily. --sampled / --greedy choose either.
bool greedy_by_default(const std::string& run_dir) {
  const auto config = std::filesystem::path(run_dir) / "config.json";
  return !std::filesystem::exists(config) || rl::read_json_file(config).value("env", "") != "pes";
}

void run_eval(EvalCommandOptions options) {
  options.eval.greedy = options.greedy || (!options.sampled && greedy_by_default(options.run_dir));
  const rl::EvalResult result = rl::evaluate_run(options.run_dir, options.eval);
  if (options.json) {
    const nlohmann::ordered_json line = {{"mean_return", result.mean_return},
                                         {"std_return", result.std_return},
                                         {"episodes", options.eval.episodes},
                                         {"policy", options.eval.greedy ? "greedy" : "sampled"}};
    std::cout << line.dump() << "\n";
    return;
  }
  std::cout << std::fixed << std::setprecision(2) << "mean return " << result.mean_return << " +- "
            << result.std_return << " over " << options.eval.episodes << " episodes ("
            << (options.eval.greedy ? "greedy" : "sampled") << " policy)\n";
}

}  // namespace

void add_eval_command(CLI::App& app) {
  auto options = std::make_shared<EvalCommandOptions>();
  CLI::App* command = app.add_subcommand("eval", "evaluate a trained run");
  command->add_option("--run", options->run_dir, "run directory written by `equimol train`")->required();
  command->add_option("--episodes", options->eval.episodes, "episodes to play")
      ->check(at_least(1))
      ->capture_default_str();
  command->add_option("--seed", options->eval.seed, "episode i resets with seed + i")
      ->check(non_negative())
      ->capture_default_str();
  auto* sampled = command->add_flag("--sampled", options->sampled,
                                    "sample actions (the default for pes runs, as explore acts)");
  command->add_flag("--greedy", options->greedy, "take the mode of the policy (the default except for pes runs)")
      ->excludes(sampled);
  command->add_flag("--json", options->json, "print one JSON line");
  command->callback([options] { run_eval(*options); });
}

}  // namespace equimol::cli
