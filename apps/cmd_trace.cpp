// equimol trace: step an env from a given state through given actions and print each transition as
// one JSON line {"obs":[...],"reward":r,"terminated":bool,"truncated":bool}.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "envs/registry.h"

namespace equimol::cli {
namespace {

struct TraceOptions {
  std::string env;
  std::string state;    // comma-separated float64 state, as env.unwrapped.state
  std::string actions;  // comma-separated actions: indices (Discrete) or floats (Box)
  std::uint64_t seed = 0;
};

/// "1.5,-2,3e-1" -> numbers; anything that is not a finite number throws naming `what`.
std::vector<double> parse_numbers(const std::string& text, const std::string& what) {
  std::vector<double> numbers;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string field = text.substr(start, end - start);
    char* stop = nullptr;
    errno = 0;
    const double value = std::strtod(field.c_str(), &stop);
    if (field.empty() || *stop != '\0' || errno == ERANGE || !std::isfinite(value)) {
      throw std::invalid_argument(what + ": '" + field + "' is not a number");
    }
    numbers.push_back(value);
    start = end + 1;
  }
  return numbers;
}

/// Splits the action list by the env's action space: one index each for Discrete, `dim` floats
/// each for a Box.
std::vector<envs::Action> parse_actions(const std::string& text, const envs::Space& space) {
  const std::vector<double> numbers = parse_numbers(text, "--actions");
  std::vector<envs::Action> actions;
  if (const auto* discrete = std::get_if<envs::Discrete>(&space)) {
    for (double number : numbers) {
      if (number != std::floor(number) || number < 0 || number >= static_cast<double>(discrete->n)) {
        std::ostringstream shown;  // 2, not 2.000000
        shown << number;
        throw std::invalid_argument("--actions: " + shown.str() + " is not an action of " + envs::describe(space));
      }
      actions.emplace_back(static_cast<std::int64_t>(number));
    }
    return actions;
  }
  const auto dim = static_cast<std::size_t>(std::get<envs::Box>(space).dim());
  if (numbers.size() % dim != 0) {
    throw std::invalid_argument("--actions: " + std::to_string(numbers.size()) + " values do not split into " +
                                "actions of " + std::to_string(dim));
  }
  for (std::size_t i = 0; i < numbers.size(); i += dim) {
    actions.emplace_back(std::vector<double>(numbers.begin() + static_cast<std::ptrdiff_t>(i),
                                             numbers.begin() + static_cast<std::ptrdiff_t>(i + dim)));
  }
  return actions;
}

void run_trace(const TraceOptions& options) {
  const auto env = envs::make_env(options.env);
  const std::vector<envs::Action> actions = parse_actions(options.actions, env->action_space());
  if (!std::holds_alternative<envs::Box>(env->observation_space())) {
    throw std::invalid_argument("trace: " + options.env + " has " + envs::describe(env->observation_space()) +
                                " observations; trace prints Box observations only");
  }
  env->reset(options.seed);
  if (!options.state.empty()) env->set_state(parse_numbers(options.state, "--state"));
  envs::StepResult result;
  for (const envs::Action& action : actions) {
    env->step_into(action, result);
    const nlohmann::ordered_json line = {{"obs", std::get<std::vector<double>>(result.obs)},
                                         {"reward", result.reward},
                                         {"terminated", result.terminated},
                                         {"truncated", result.truncated}};
    std::cout << line.dump() << "\n";
  }
}

}  // namespace

void add_trace_command(CLI::App& app) {
  auto options = std::make_shared<TraceOptions>();
  CLI::App* command = app.add_subcommand("trace", "step an env from a given state and print each transition as JSON");
  command->add_option("--env", options->env, "env id, e.g. CartPole-v1")->required();
  command->add_option("--state", options->state,
                      "comma-separated float64 state (env.unwrapped.state); default: the seeded reset state");
  command->add_option("--actions", options->actions, "comma-separated actions (indices, or floats for Box)")
      ->required();
  command->add_option("--seed", options->seed, "reset seed")->check(non_negative())->capture_default_str();
  command->callback([options] { run_trace(*options); });
}

}  // namespace equimol::cli
