// equimol demo: the main job on small defaults (what `make demo` runs).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "chem/bond_graph.h"
#include "chem/optimizer.h"
#include "chem/rdkit_bridge.h"
#include "chem/units.h"
#include "chem/xtb_calculator.h"
#include "chem/xyz_io.h"
#include "cli_common.h"
#include "commands.h"
#include "envs/campaign_store.h"
#include "envs/design_campaign.h"
#include "envs/design_task.h"
#include "envs/pes_explore.h"
#include "envs/pes_export.h"
#include "pes_report.h"
#include "rl/run.h"

namespace equimol::cli {
namespace {

/// Removes the named files of `dir` (missing ones are fine): the outputs of an earlier demo, no more.
void remove_files(const std::string& dir, std::initializer_list<const char*> names) {
  for (const char* name : names) std::filesystem::remove(std::filesystem::path(dir) / name);
}

struct DemoOptions {
  std::string smiles = "CC(=O)O";              // acetic acid
  std::string explore_smiles = "OC=CC(C)=O";   // 4-hydroxybut-3-en-2-one: tautomers and conformers
  int explore_steps = 12;
  long cartpole_steps = 30000;  // about 3 s of PPO on one core
  std::string design_bag = "C2H2O2";
  long design_episodes = 150;
  std::string out_dir = "demo-out";
};

void relax_molecule(const DemoOptions& options) {
  std::cout << "== Relaxing " << options.smiles << " with GFN2-xTB (L-BFGS, fmax 0.05 eV/Å)\n";
  Atoms atoms = atoms_from_smiles(options.smiles);
  XtbCalculator calculator;
  const OptimizeResult result = Lbfgs(OptimizerOptions{}).run(calculator, atoms);
  if (!result.ok) throw std::runtime_error("relaxation failed: " + result.error);
  const std::string smiles = perceived_smiles(calculator, result.atoms);
  const std::string path = options.out_dir + "/relaxed.xyz";
  Atoms out = result.atoms;
  out.info["energy"] = fixed_decimals(result.energy, 8);
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
  // A fresh campaign each time: the demo removes what an earlier demo wrote there, and nothing else.
  remove_files(dir, {"campaign.sqlite", "campaign.sqlite-wal", "campaign.sqlite-shm", "campaign.sqlite-journal",
                     "minima.extxyz", "minima.sdf", "network.json", "network.dot", "network.svg"});
  create_output_folder(dir);
  envs::CampaignStore store(dir + "/campaign.sqlite");
  envs::PesEnvOptions pes = envs::PesEnvOptions::defaults_for("gfn2");
  pes.start = atoms_from_smiles(options.explore_smiles, 2);
  pes.budget = options.explore_steps;
  envs::PesEnv env(pes);
  env.set_observer(&store);
  env.reset(1);
  envs::RandomPerturbation policy(2, 0.5);
  envs::run_exploration(env, policy, options.explore_steps);
  envs::export_network(env.registry(), store.load(pes.same).transitions, dir, envs::NetworkExport{"eV", {}});
  std::cout << env.registry().size() << " minima, " << env.counters().relaxations << " relaxations, "
            << env.counters().gradient_calls << " gradient calls\n";
  print_minima(std::cout, env.registry(), "eV");
  std::cout << "network      " << dir << "/network.svg (and .json, .dot, minima.extxyz, minima.sdf)\n";
}

void design_molecules(const DemoOptions& options) {
  std::cout << "\n== Designing " << options.design_bag << " atom by atom (random designer, GFN2-xTB rewards, "
            << options.design_episodes << " episodes)\n";
  envs::DesignEnvOptions design;
  design.task = envs::DesignTask::from_formulas(options.design_bag);
  envs::DesignEnv env(design);
  envs::RandomDesigner policy(2);
  envs::DesignCampaignOptions campaign;
  campaign.episodes = options.design_episodes;
  campaign.seed = 1;
  const auto molecules = envs::run_design_campaign(env, policy, campaign);
  const envs::DesignSummary summary = envs::summarize(molecules);
  std::cout << std::setprecision(3) << "valid fraction " << summary.valid_fraction << ", mean return "
            << summary.mean_return_ev << " eV\n";
  if (summary.best_distinct.empty()) {
    std::cout << "no valid molecule in this short campaign (equimol design runs longer ones)\n";
    return;
  }
  const auto& best = *summary.best_distinct.front();
  std::cout << std::setprecision(5) << "best valid   " << best.identity() << "  (atomisation energy " << best.score_ev()
            << " eV = " << best.score_ev() * units::kEvToHartree << " Eh)\n";
}

void train_cartpole(const DemoOptions& options) {
  std::cout << "\n== Training PPO (MLP agent) on CartPole-v1 for " << options.cartpole_steps << " env steps\n";
  rl::TrainConfig config = rl::default_train_config("CartPole-v1");
  config.total_steps = options.cartpole_steps;
  config.seed = 1;
  const std::string dir = options.out_dir + "/cartpole";
  remove_files(dir, {"config.json", "checkpoint.pt", "metrics.csv", "metrics.jsonl"});  // an earlier demo's run
  std::ostringstream progress;  // the demo prints the outcome, not every iteration
  const rl::TrainSummary summary = rl::train(config, dir, /*resume=*/false, progress);
  if (summary.interrupted) throw Interrupted("demo interrupted while training CartPole (its checkpoint is in " + dir + ")");
  rl::EvalOptions eval;
  eval.episodes = 20;
  const rl::EvalResult result = rl::evaluate_run(dir, eval);
  std::cout << std::setprecision(4) << "trained " << summary.global_step << " steps in " << summary.seconds
            << " s; greedy evaluation over " << eval.episodes << " episodes: mean return " << result.mean_return
            << " ± " << result.std_return << " (500 is the maximum)\n"
            << "run          " << dir << " (equimol eval --run " << dir << " --episodes 100)\n";
}

}  // namespace

void add_demo_command(CLI::App& app) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* command = app.add_subcommand("demo", "run EquiMol's main jobs on small defaults");
  command->add_option("--smiles", options->smiles, "molecule to relax")->capture_default_str();
  command->add_option("--out", options->out_dir, "output folder")->capture_default_str();
  command->add_option("--explore-steps", options->explore_steps, "steps of the exploration part")->capture_default_str();
  command->add_option("--design-bag", options->design_bag, "formula of the design part")->capture_default_str();
  command->add_option("--design-episodes", options->design_episodes, "episodes of the design part")->capture_default_str();
  command->add_option("--cartpole-steps", options->cartpole_steps, "env steps of the CartPole training part")
      ->capture_default_str();
  command->callback([options] {
    create_output_folder(options->out_dir);  // a bad --out fails before any calculation
    relax_molecule(*options);
    explore_molecule(*options);
    design_molecules(*options);
    train_cartpole(*options);
  });
}

}  // namespace equimol::cli
