// equimol demo: the main job on small defaults (what `make demo` runs).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>

#include "chem/bond_graph.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"
#include "chem/xyz_io.h"
#include "commands.h"
#include "envs/campaign_store.h"
#include "envs/pes_explore.h"
#include "envs/pes_export.h"
#include "pes_report.h"

namespace equimol::cli {
namespace {

struct DemoOptions {
  std::string smiles = "CC(=O)O";              // acetic acid
  std::string explore_smiles = "OC=CC(C)=O";   // 4-hydroxybut-3-en-2-one: tautomers and conformers
  int explore_steps = 12;
  std::string out_dir = "demo-out";
};

void relax_molecule(const DemoOptions& options) {
  std::cout << "== Relaxing " << options.smiles << " with GFN2-xTB (L-BFGS, fmax 0.05 eV/Å)\n";
  Atoms atoms = atoms_from_smiles(options.smiles);
  XtbCalculator calculator;
  const OptimizeResult result = Lbfgs(OptimizerOptions{}).run(calculator, atoms);
  if (!result.ok) throw std::runtime_error("relaxation failed: " + result.error);
  const std::string smiles = canonical_smiles(result.atoms, bonds_from_covalent_radii(result.atoms));
  std::filesystem::create_directories(options.out_dir);
  const std::string path = options.out_dir + "/relaxed.xyz";
  Atoms out = result.atoms;
  out.info["energy"] = std::to_string(result.energy);
  out.info["smiles"] = smiles;
  write_extxyz(path, {out});
  std::cout << std::setprecision(10) << "GFN2 energy  " << result.energy << " eV = "
            << result.energy * units::kEvToHartree << " Eh (" << (result.converged ? "converged" : "NOT converged")
            << ", " << result.gradient_calls << " gradient calls)\n"
            << "SMILES       " << smiles << "\n"
            << "XYZ written  " << path << "\n";
}

void explore_molecule(const DemoOptions& options) {
  std::cout << "\n== Exploring " << options.explore_smiles << " with GFN2-xTB: " << options.explore_steps
            << " random kick/drive moves\n";
  const std::string dir = options.out_dir + "/explore";
  std::filesystem::remove_all(dir);  // the demo starts a fresh campaign each time
  std::filesystem::create_directories(dir);
  envs::CampaignStore store(dir + "/campaign.sqlite");
  envs::PesEnvOptions pes = envs::PesEnvOptions::defaults_for("gfn2");
  pes.start = atoms_from_smiles(options.explore_smiles, 2);
  pes.budget = options.explore_steps;
  envs::PesEnv env(pes);
  env.set_observer(&store);
  env.reset(1);
  envs::RandomPerturbation policy(2, 0.5);
  envs::run_exploration(env, policy, options.explore_steps);
  envs::export_network(env.registry(), store.load(pes.same).transitions, dir, envs::NetworkExport{"eV"});
  std::cout << env.registry().size() << " minima, " << env.counters().relaxations << " relaxations, "
            << env.counters().gradient_calls << " gradient calls\n";
  print_minima(std::cout, env.registry(), "eV");
  std::cout << "network      " << dir << "/network.svg (and .json, .dot, minima.extxyz)\n";
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command = app.add_subcommand("demo", "run EquiMol's main jobs on small defaults");
  command->add_option("--smiles", options->smiles, "molecule to relax")->capture_default_str();
  command->add_option("--out", options->out_dir, "output folder")->capture_default_str();
  command->add_option("--explore-steps", options->explore_steps, "steps of the exploration part")->capture_default_str();
  command->callback([options] {
    relax_molecule(*options);
    explore_molecule(*options);
  });
}

}  // namespace equimol::cli
