// The equimol subcommands. Each add_*_command registers one CLI11 subcommand whose callback parses
// into an options struct, builds the library objects and runs; errors propagate as exceptions and
// main() turns them into one line on stderr and exit code 2.
#pragma once

#include <stdexcept>

namespace CLI {
class App;
}

namespace equimol::cli {

/// Work stopped by SIGINT/SIGTERM after saving what it had: main() prints the message and exits 130,
/// the shell's code for a Ctrl-C.
struct Interrupted : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void add_energy_command(CLI::App& app);
void add_optimize_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_explore_command(CLI::App& app);
void add_design_command(CLI::App& app);
void add_trace_command(CLI::App& app);
void add_train_command(CLI::App& app);
void add_eval_command(CLI::App& app);

}  // namespace equimol::cli
