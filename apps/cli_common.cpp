#include "cli_common.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <limits>

#include "chem/bond_graph.h"
#include "chem/errors.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xyz_io.h"

namespace equimol::cli {

void add_structure_options(CLI::App& command, StructureInput& input) {
  auto* xyz = command.add_option("--xyz", input.xyz_path, "structure file (XYZ or extended XYZ; first frame)");
  auto* smiles = command.add_option("--smiles", input.smiles, "SMILES, embedded in 3D with RDKit ETKDG");
  xyz->excludes(smiles);
  command.add_option_function<int>("--charge", [&input](int q) { input.charge = q; input.charge_given = true; },
                                   "total charge (default: from the file or SMILES)")
      ->check(an_int());
  command.add_option_function<int>("--uhf", [&input](int u) { input.uhf = u; input.uhf_given = true; },
                                   "unpaired electrons (default: from the file or SMILES)")
      ->check(an_int());
  command.add_option("--embed-seed", input.seed, "seed of the 3D embedding of --smiles")
      ->check(at_least(0))  // RDKit reads -1 as "random": not reproducible
      ->capture_default_str();
}

Atoms load_structure(const StructureInput& input, const std::string& method) {
  if (input.xyz_path.empty() && input.smiles.empty()) throw InputError("give a structure: --xyz FILE or --smiles S");
  Atoms atoms = input.xyz_path.empty() ? atoms_from_smiles(input.smiles, input.seed) : read_xyz(input.xyz_path).front();
  if (input.charge_given) atoms.charge = input.charge;
  if (input.uhf_given) atoms.uhf = input.uhf;
  // Electrons mean nothing to a Lennard-Jones cluster (an Na3 or Ar file has whatever count it has).
  if (is_cluster_method(method)) return atoms;
  if (const std::string problem = electron_count_problem(atoms); !problem.empty()) throw InputError(problem);
  return atoms;
}

void add_method_option(CLI::App& command, std::string& method) {
  command.add_option("--method", method, "gfn2 | gfn1 | gfnff | lj")->capture_default_str();
}

void check_method_fits(const StructureInput& input, const std::string& method) {
  if (!input.smiles.empty() && is_cluster_method(method)) {
    throw InputError("--method " + method + " is for atomic clusters (energies in epsilon), not --smiles molecules");
  }
}

void put_energy(nlohmann::json& out, double energy, const std::string& energy_unit) {
  out["energy"] = energy;
  out["energy_unit"] = energy_unit;
  if (energy_unit != "eV") return;
  out["energy_ev"] = energy;
  out["energy_hartree"] = energy * units::kEvToHartree;
}

CLI::Validator at_least(long minimum) {
  return CLI::Validator(
      [minimum](std::string& text) -> std::string {
        long value = 0;
        if (!CLI::detail::lexical_cast(text, value)) return "must be an integer, got " + text;
        return value < minimum ? "must be >= " + std::to_string(minimum) + ", got " + text : "";
      },
      ">= " + std::to_string(minimum));
}

CLI::Validator an_int() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        char* end = nullptr;
        errno = 0;
        const long long value = std::strtoll(text.c_str(), &end, 10);
        const bool whole = end != text.c_str() && *end == '\0';
        if (whole && errno != ERANGE && value >= std::numeric_limits<int>::min() &&
            value <= std::numeric_limits<int>::max()) {
          return "";
        }
        return "must be a whole number from " + std::to_string(std::numeric_limits<int>::min()) + " to " +
               std::to_string(std::numeric_limits<int>::max()) + ", got " + text;
      },
      "");
}

CLI::Validator non_negative() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        const std::size_t first = text.find_first_not_of(" \t");
        return first != std::string::npos && text[first] == '-' ? "must be >= 0, got " + text : "";
      },
      ">= 0");
}

std::string perceived_smiles(Calculator& calculator, const Atoms& atoms) {
  const Properties wanted = Property::kEnergy | Property::kBondOrders;
  if (!calculator.implemented().contains(wanted)) return canonical_smiles(atoms, molecular_bonds(atoms, {}));
  const Results& r = calculator.calculate(atoms, wanted);
  return canonical_smiles(atoms, molecular_bonds(atoms, r.ok ? r.bond_orders : Eigen::MatrixXd()));
}

bool create_output_folder(const std::string& dir) {
  if (dir.empty()) throw InputError("--out: the output folder name is empty");
  std::error_code error;
  const bool created = std::filesystem::create_directories(dir, error);
  if (error) throw InputError(dir + ": cannot create the output folder (" + error.message() + ")");
  return created;
}

}  // namespace equimol::cli
