// equimol eval: evaluate a trained run over N episodes; --json prints
// {"mean_return":..., "std_return":..., "episodes":N}.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "rl/run.h"

namespace equimol::cli {
namespace {

struct EvalCommandOptions {
  std::string run_dir;
  rl::EvalOptions eval;
  bool sampled = false;
  bool json = false;
};

void run_eval(EvalCommandOptions options) {
  options.eval.greedy = !options.sampled;
  const rl::EvalResult result = rl::evaluate_run(options.run_dir, options.eval);
  if (options.json) {
    const nlohmann::ordered_json line = {{"mean_return", result.mean_return},
                                         {"std_return", result.std_return},
                                         {"episodes", options.eval.episodes}};
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
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  command->add_option("--seed", options->eval.seed, "episode i resets with seed + i")->capture_default_str();
  command->add_flag("--sampled", options->sampled, "sample actions instead of the greedy (mode) action");
  command->add_flag("--json", options->json, "print one JSON line");
  command->callback([options] { run_eval(*options); });
}

}  // namespace equimol::cli
