// equimol optimize: relax one structure to a local minimum.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>

#include "chem/bond_graph.h"
#include "chem/errors.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/xyz_io.h"
#include "cli_common.h"
#include "commands.h"

namespace equimol::cli {
namespace {

struct OptimizeOptions {
  StructureInput input;
  std::string method = "gfn2";
  std::string optimizer = "lbfgs";
  double fmax = 0.05;
  int max_steps = 1000;
  std::string output;
  bool json = false;
};

// Checked before the relaxation, which otherwise ran to the end and then failed to write.
void check_writable(const std::string& path) {
  namespace fs = std::filesystem;
  const fs::path file(path);
  const fs::path folder = file.has_parent_path() ? file.parent_path() : fs::path(".");
  std::error_code ignored;
  if (fs::is_directory(file, ignored)) throw InputError("-o " + path + ": is a folder, not a file name");
  if (!fs::is_directory(folder, ignored)) {
    throw InputError("-o " + path + ": the folder " + folder.string() + " does not exist");
  }
  const bool exists = fs::exists(file, ignored);
  if (access(exists ? file.c_str() : folder.c_str(), W_OK) != 0) {
    throw InputError("-o " + path + ": cannot write " + (exists ? "the file" : "in " + folder.string()) + " (" +
                     std::strerror(errno) + ")");
  }
}

void run_optimize(const OptimizeOptions& options) {
  if (!options.output.empty()) check_writable(options.output);
  check_method_fits(options.input, options.method);
  Atoms atoms = load_structure(options.input, options.method);
  const OptimizerKind kind = parse_optimizer(options.optimizer);
  OptimizerOptions settings;
  settings.fmax = options.fmax;
  settings.max_steps = options.max_steps;
  auto optimizer = make_optimizer(kind, settings);
  auto calculator = make_calculator(options.method);
  OptimizeResult result = optimizer->run(*calculator, std::move(atoms));
  if (!result.ok) throw std::runtime_error("relaxation failed: " + result.error);

  const bool molecular = calculator->energy_unit() == "eV";
  std::string smiles;
  if (molecular) smiles = perceived_smiles(*calculator, result.atoms);
  if (!options.output.empty()) {
    Atoms out = result.atoms;
    out.info.clear();  // the input's keys (units, ids of an explore minimum) do not describe this result
    out.info["energy"] = fixed_decimals(result.energy, 8);
    out.info["method"] = calculator->name();
    out.info["converged"] = result.converged ? "T" : "F";  // an unconverged structure is no minimum
    out.info["fmax"] = fixed_decimals(result.fmax, 6);
    if (!molecular) {  // ASE reads energy= as eV: say what it is, as explore's minima.extxyz does
      out.info["energy_unit"] = calculator->energy_unit();
      out.info["length_unit"] = "sigma";
    }
    if (molecular) out.info["smiles"] = smiles;
    write_extxyz(options.output, {out});
  }
  if (options.json) {
    nlohmann::json out;
    out["method"] = calculator->name();
    out["optimizer"] = optimizer->name();
    out["n_atoms"] = result.atoms.size();
    put_energy(out, result.energy, calculator->energy_unit());
    out["fmax"] = result.fmax;
    out["converged"] = result.converged;
    out["steps"] = result.steps;
    out["gradient_calls"] = result.gradient_calls;
    out["smiles"] = smiles;
    if (!options.output.empty()) out["output"] = options.output;
    std::cout << out.dump() << "\n";
    return;
  }
  std::cout << std::setprecision(10) << (result.converged ? "converged" : "NOT converged") << " after "
            << result.steps << " steps, " << result.gradient_calls << " gradient calls (fmax " << result.fmax << ")\n"
            << "energy  " << result.energy << " " << calculator->energy_unit() << "\n";
  if (molecular) std::cout << "smiles  " << smiles << "\n";
  if (!options.output.empty()) std::cout << "wrote   " << options.output << "\n";
}

}  // namespace

void add_optimize_command(CLI::App& app) {
  auto options = std::make_shared<OptimizeOptions>();
  CLI::App* command = app.add_subcommand("optimize", "relax a structure to a local minimum");
  add_structure_options(*command, options->input);
  add_method_option(*command, options->method);
  command->add_option("--optimizer", options->optimizer, "lbfgs | fire")->capture_default_str();
  command->add_option("--fmax", options->fmax, "convergence: largest atomic force, eV/Å (ε/σ with --method lj)")->capture_default_str();
  command->add_option("--max-steps", options->max_steps, "optimizer steps before giving up")->capture_default_str();
  command->add_option("-o,--output", options->output, "write the relaxed structure (extended XYZ)");
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options] { run_optimize(*options); });
}

}  // namespace equimol::cli
