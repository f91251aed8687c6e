// equimol energy: single-point energy and forces of one structure.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>

#include "chem/units.h"
#include "cli_common.h"
#include "commands.h"

namespace equimol::cli {
namespace {

struct EnergyOptions {
  StructureInput input;
  std::string method = "gfn2";
  bool json = false;
};

void run_energy(const EnergyOptions& options) {
  check_method_fits(options.input, options.method);
  const Atoms atoms = load_structure(options.input, options.method);
  auto calculator = make_calculator(options.method);
  const Results& r = calculator->calculate(atoms, kEnergyAndForces);
  if (!r.ok) throw std::runtime_error(r.error);  // names the method already ("gfn2 single point failed: ...")
  const bool reduced = calculator->energy_unit() != "eV";
  if (options.json) {
    nlohmann::json out;
    out["method"] = calculator->name();
    out["n_atoms"] = atoms.size();
    put_energy(out, r.energy, calculator->energy_unit());
    auto forces = nlohmann::json::array();
    for (int i = 0; i < atoms.size(); ++i) forces.push_back({r.forces(i, 0), r.forces(i, 1), r.forces(i, 2)});
    out[reduced ? "forces_epsilon_per_sigma" : "forces_ev_per_angstrom"] = forces;
    std::cout << out.dump() << "\n";
    return;
  }
  std::cout << std::setprecision(10) << "method  " << calculator->name() << "\natoms   " << atoms.size() << "\n";
  if (reduced) {
    std::cout << "energy  " << r.energy << " epsilon\n";
  } else {
    std::cout << "energy  " << r.energy << " eV  (" << r.energy * units::kEvToHartree << " Eh)\n";
  }
}

}  // namespace

void add_energy_command(CLI::App& app) {
  auto options = std::make_shared<EnergyOptions>();
  CLI::App* command = app.add_subcommand("energy", "single-point energy and forces");
  add_structure_options(*command, options->input);
  add_method_option(*command, options->method);
  command->add_flag("--json", options->json, "print one JSON object");
  command->callback([options] { run_energy(*options); });
}

}  // namespace equimol::cli
