// Pieces the equimol subcommands share: where the structure comes from, which calculator, JSON out.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <memory>
#include <string>

#include "chem/atoms.h"
#include "chem/calculator.h"
#include "chem/calculator_factory.h"

namespace CLI {
class App;
class Validator;
}

namespace equimol::cli {

/// --xyz FILE | --smiles S, plus --charge/--uhf overrides, as every structure command takes them.
struct StructureInput {
  std::string xyz_path;
  std::string smiles;
  int charge = 0;
  int uhf = 0;
  bool charge_given = false;
  bool uhf_given = false;
  int seed = 42;  // ETKDG embedding seed for --smiles
};
void add_structure_options(CLI::App& command, StructureInput& input);
/// Loads the first structure of the XYZ file or embeds the SMILES; throws InputError on bad input,
/// electron counts xtb cannot use included (not for a cluster method, lj, to which electrons mean nothing).
Atoms load_structure(const StructureInput& input, const std::string& method);

/// Canonical SMILES of a relaxed molecule: bonds from the calculator's Wiberg bond orders where it
/// gives them (GFN1/GFN2, as explore perceives its minima), else from covalent radii (GFN-FF).
std::string perceived_smiles(Calculator& calculator, const Atoms& atoms);

/// The --method option with its allowed values.
void add_method_option(CLI::App& command, std::string& method);
/// Refuses a cluster method (lj) for a --smiles molecule: its energies would be in ε, its atoms alike.
void check_method_fits(const StructureInput& input, const std::string& method);

/// The energy keys of energy/optimize --json: "energy" in "energy_unit" for every method, and with eV
/// also "energy_ev" and "energy_hartree" (the keys they have always written). A Lennard-Jones energy is
/// in epsilon, so it gets no key that says eV.
void put_energy(nlohmann::json& out, double energy, const std::string& energy_unit);

/// An integer option's check: "must be >= minimum" (CLI11's PositiveNumber names a range up to 1.8e308).
CLI::Validator at_least(long minimum);

/// An int option's check: a whole number in int's range (CLI11 said only "Could not convert").
CLI::Validator an_int();

/// An unsigned option's check (seeds): "must be >= 0". CLI11 reads -1 into a std::uint64_t as 2^64 - 1.
CLI::Validator non_negative();

/// Creates the output folder (and parents); true when it did not exist before. Throws InputError
/// naming the folder when it cannot be made (a file in the way, no permission, an empty name).
bool create_output_folder(const std::string& dir);

}  // namespace equimol::cli
