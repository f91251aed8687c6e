// equimol: the command-line front end. Thin: parse, configure, call the libraries.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <exception>
#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "chem/errors.h"
#include "commands.h"
#include "version.h"

namespace {
constexpr int kExitBadInput = 2;  // bad input, bad numbers, unknown names: one line on stderr
constexpr int kExitFailure = 1;   // the input was fine but the work failed (I/O, numerics)
constexpr int kExitInterrupted = 130;  // stopped by Ctrl-C (128 + SIGINT) after saving its work
}

int main(int argc, char** argv) {
  CLI::App app{"EquiMol: reinforcement-learning environments and equivariant agents for molecules"};
  app.require_subcommand(1);
  app.set_version_flag("--version", equimol::cli::version_text, "print the versions of EquiMol and its libraries");
  equimol::cli::add_energy_command(app);
  equimol::cli::add_optimize_command(app);
  equimol::cli::add_demo_command(app);
  equimol::cli::add_explore_command(app);
  equimol::cli::add_design_command(app);
  equimol::cli::add_trace_command(app);
  equimol::cli::add_train_command(app);
  equimol::cli::add_eval_command(app);

  // CLI11 would say only "A subcommand is required" for a mistyped one.
  if (argc > 1 && argv[1][0] != '-') {
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands({})) commands.push_back(command->get_name());
    if (std::find(commands.begin(), commands.end(), argv[1]) == commands.end()) {
      std::cerr << "equimol: error: unknown command '" << argv[1] << "' (commands: " << equimol::comma_separated(commands)
                << ")\n";
      return kExitBadInput;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "equimol: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const std::invalid_argument& e) {  // includes equimol::InputError
    std::cerr << "equimol: error: " << e.what() << "\n";
    return kExitBadInput;
  } catch (const equimol::cli::Interrupted& e) {
    std::cerr << "equimol: " << e.what() << "\n";
    return kExitInterrupted;
  } catch (const std::exception& e) {
    std::cerr << "equimol: error: " << e.what() << "\n";
    return kExitFailure;
  }
  return 0;
}
