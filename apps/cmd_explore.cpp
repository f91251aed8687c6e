// equimol explore: map the minima of a potential-energy surface and the transitions between them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "chem/bond_graph.h"
#include "chem/calculator_factory.h"
#include "chem/errors.h"
#include "chem/recording_calculator.h"
#include "chem/units.h"
#include "chem/xyz_io.h"
#include "cli_common.h"
#include "commands.h"
#include "explore_options.h"
#include "folder_lock.h"
#include "progress_line.h"
#include "envs/campaign_store.h"
#include "envs/env_factory.h"
#include "envs/pes_explore.h"
#include "envs/pes_export.h"
#include "envs/pes_screening.h"
#include "envs/rng.h"
#include "pes_report.h"
#include "rl/molecular_policies.h"
#include "rl/train_config.h"
#include "version.h"

namespace equimol::cli {
namespace {

using Meta = std::map<std::string, std::string>;

// Seeds of the agent's random stream (done = steps already stored; 0 gives seed + 1).
std::uint64_t policy_seed(std::uint64_t seed, long done) { return envs::stream_seed(seed, done) + 1; }

std::unique_ptr<envs::PesPolicy> make_policy(const ExploreOptions& o, const std::string& method, long done) {
  const std::uint64_t seed = policy_seed(o.seed, done);
  if (o.agent == "random") return std::make_unique<envs::RandomPerturbation>(seed, o.drive_probability, o.hop_probability);
  if (o.agent == "basin-hopping") {
    return std::make_unique<envs::BasinHopping>(seed, basin_hopping_kt(o, method), basin_hopping_step(o, method));
  }
  if (o.agent == "random-restart") {
    if (!is_cluster_method(method)) throw InputError("--agent random-restart is for atomic clusters (--method lj)");
    return std::make_unique<envs::RandomRestart>();
  }
  if (std::filesystem::is_directory(o.agent)) return nullptr;  // a trained agent: loaded once the env exists
  throw InputError("unknown agent '" + o.agent + "' (expected random, basin-hopping, random-restart or a run directory)");
}

// A new campaign whose start could not be relaxed leaves nothing behind (its store would block a retry).
void remove_new_campaign(const std::string& dir, const std::string& store_path, bool created_dir) {
  std::error_code ignored;
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(store_path + suffix, ignored);
  if (created_dir) std::filesystem::remove(dir, ignored);  // only if empty
}

void check_single_molecule(const Atoms& start, const std::string& what) {
  const int fragments = fragment_count(bonds_from_covalent_radii(start));
  if (fragments > 1) {
    throw InputError(what + " has " + std::to_string(fragments) +
                     " fragments: explore follows one molecule (its steps refuse dissociated structures)");
  }
}

// An EGNN agent transfers across sizes, but its observations carry energies and lengths in the
// method's units (ε and σ, or eV and Å): say so when it explores with another method than it learnt.
void warn_if_trained_with_another_method(const std::string& run_dir, const std::string& method) {
  const nlohmann::json env = rl::read_json_file(std::filesystem::path(run_dir) / "config.json").value("env_options",
                                                                                                       nlohmann::json::object());
  const std::string trained = envs::pes_method(env);
  if (trained != method) {
    std::cerr << "explore: warning: the agent in " << run_dir << " was trained with method " << trained
              << ", this exploration uses " << method << " (other units and landscapes)\n";
  }
}

// Stores the settings and relaxes the start into the campaign (opened here unless a resumed campaign
// never got past its start). A new campaign that fails here leaves nothing behind.
void start_campaign(envs::PesEnv& env, const ExploreOptions& o, const std::string& method, const std::string& store_path,
                    std::unique_ptr<envs::CampaignStore>& store, FolderLock& lock) {
  const bool created_dir = !store && create_output_folder(o.out_dir);
  // Outside the clean-up below: a run refused here removes nothing of the run that holds the folder.
  lock.hold(o.out_dir);
  if (!store) check_resume_target(store_path, false);  // another run may have started one since the check
  try {
    if (!store) store = std::make_unique<envs::CampaignStore>(store_path);
    env.set_observer(store.get());
    std::ostringstream start_xyz;
    write_extxyz(start_xyz, env.options().start);
    store->set_meta("method", method);
    // The budget goes in with the settings: a run killed while relaxing its start resumes bare.
    store->set_meta("budget", std::to_string(o.budget));
    if (!o.resume) store->set_meta("equimol_version", equimol_version());  // provenance: the run that made it
    // A resumed campaign keeps what it stored (the start may not have been given again).
    const auto stored = store->meta();
    for (const StoredExploreSetting& s : stored_settings(o, method)) {
      const auto kept = stored.find(s.key);
      if (!o.resume || kept == stored.end() || kept->second.empty()) store->set_meta(s.key, s.value);
    }
    store->set_meta("energy_unit", env.calculator().energy_unit());
    store->set_meta("start", start_xyz.str());
    env.reset(o.seed);
    store->start_done(env.counters());
  } catch (...) {
    if (!o.resume) {
      store.reset();
      remove_new_campaign(o.out_dir, store_path, created_dir);
    }
    throw;
  }
}

// The campaign's progress line: steps, minima, lowest energy, gradient calls.
void report_progress(const ProgressLine& progress, const envs::PesEnv& env, long done, const std::string& unit) {
  if (!progress.due(done)) return;
  std::ostringstream line;
  line << "explore " << done << "/" << progress.total() << " steps  minima " << env.registry().size() << "  lowest "
       << std::setprecision(8) << env.registry().lowest_energy() << " " << unit << "  gradient calls "
       << env.counters().gradient_calls;
  progress.print(done, line.str());
}

void print_json(const envs::PesEnv& env, const std::string& method, double wall_seconds,
                const envs::ScreenedPolicy* screen, int candidates) {
  const auto& registry = env.registry();
  nlohmann::json j;
  j["minima"] = registry.size();
  j["relaxations"] = env.counters().relaxations;
  j["gradient_calls"] = env.counters().gradient_calls;
  j["steps"] = env.counters().steps;
  j["lowest_energy"] = registry.lowest_energy();
  j["energy_unit"] = env.calculator().energy_unit();
  j["wall_seconds"] = wall_seconds;  // this invocation: start relaxation (or resume) and the steps
  j["calculator_seconds"] = env.calculator().compute_seconds();
  j["saddles_escaped"] = env.counters().saddles;
  j["failures"] = {{"scf", env.counters().scf_failures},
                   {"unconverged", env.counters().unconverged},
                   {"dissociated", env.counters().dissociations}};
  auto smiles = nlohmann::json::array();
  std::vector<std::string> seen;
  for (int id : registry.ids_by_energy()) {
    const std::string& s = registry.at(id).smiles;
    if (!s.empty() && std::find(seen.begin(), seen.end(), s) == seen.end()) {
      seen.push_back(s);
      smiles.push_back(s);
    }
  }
  if (!is_cluster_method(method)) j["smiles"] = smiles;
  if (screen) {  // this invocation's steps, as wall_seconds
    j["screen"] = {{"candidates", candidates}, {"steps", screen->steps()}, {"screened_steps", screen->screened_steps()},
                   {"screened_new", screen->screened_new()}};
  }
  std::cout << j.dump() << "\n";
}

void run_explore(ExploreOptions o) {
  // Everything that can be refused is checked before the campaign file is created, so that a
  // mistyped command leaves nothing behind that would block the corrected one.
  if (o.out_dir.empty()) throw InputError("--out needs a folder name");
  const std::string store_path = o.out_dir + "/campaign.sqlite";
  FolderLock lock;
  lock.hold(o.out_dir);
  check_resume_target(store_path, o.resume);
  std::unique_ptr<envs::CampaignStore> store;
  Meta meta;
  if (o.resume) {
    store = std::make_unique<envs::CampaignStore>(store_path);
    meta = store->meta();
    // Resumed bare, a campaign goes on with its agent up to its budget (checked against the store below).
    if (!o.has("--agent") && meta.count("agent")) {
      o.agent = meta.at("agent");
      check_stored_agent(o.agent, store_path, "explored");
    }
    if (!o.has("--budget")) {
      if (!meta.count("budget")) throw InputError(store_path + " stored no budget (an older campaign): give --budget");
      o.budget = std::stol(meta.at("budget"));
    }
  }

  const bool cluster = !o.cluster.empty();
  const std::string stored_method = meta.count("method") ? meta.at("method") : "";
  const std::string method =
      !o.method.empty() ? o.method : !stored_method.empty() ? stored_method : (cluster ? "lj" : "gfn2");
  check_options(o, method);

  envs::PesEnvOptions options = envs::PesEnvOptions::defaults_for(method);
  options.xtb_threads = o.threads;
  envs::CampaignStore::Loaded loaded{envs::MinimaRegistry(options.same), {}, 0, {}};
  long stored_budget = 0;
  if (o.resume) {
    if (!stored_method.empty() && stored_method != method) {
      throw InputError(store_path + " was explored with --method " + stored_method + ", not " + method);
    }
    take_stored_settings(o, method, meta, store_path);
    check_screen(o);
    if (!meta.count("screen") && o.screen > 0) {  // made before --screen existed: explored unscreened
      throw InputError(store_path + " was explored without --screen, not --screen " + std::to_string(o.screen) +
                       " (resume it as it was, or choose another --out)");
    }
    if (meta.count("budget")) stored_budget = std::stol(meta.at("budget"));
    std::istringstream start_xyz(meta.count("start") ? meta.at("start") : "");
    options.start = read_xyz(start_xyz, store_path + " start structure").front();
    loaded = store->load(options.same);
  } else if (cluster) {
    envs::Rng rng(o.seed);
    options.start = envs::random_cluster(envs::parse_lj_cluster(o.cluster), rng);
  } else {
    options.start = load_structure(o.input, method);
    check_single_molecule(options.start, start_option(o));
  }
  options.polish_fmax = polish_fmax(o, method);  // after take_stored_settings: a campaign keeps its own
  const long done = loaded.counters.steps;
  const long remaining = std::max(0L, o.budget - done);
  options.budget = static_cast<int>(std::max(o.budget, done));  // resume() continues the episode at `done`
  auto policy = make_policy(o, method, done);
  if (o.screen > 0) options.kick_cap = envs::screening_kick_cap(options);

  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<Calculator> calculator = make_calculator(method, options.xtb_threads);
  RecordingCalculator* recorder = nullptr;
  if (o.screen > 0) {  // screening learns from every calculation the env pays for: its calculator records them
    auto recording = std::make_unique<RecordingCalculator>(std::move(calculator));
    recorder = recording.get();
    calculator = std::move(recording);
  }
  envs::PesEnv env(options, std::move(calculator));
  // A trained EGNN agent samples its actions (seeded): exploring is what its stochastic policy learned.
  if (!policy) {
    policy = rl::load_pes_policy(o.agent, env, rl::PolicyMode::kSampled, policy_seed(o.seed, done));
    warn_if_trained_with_another_method(o.agent, method);
  }
  const envs::ScreenedPolicy* screen = nullptr;
  if (recorder) {
    envs::ScreeningOptions screening;
    screening.candidates = o.screen;
    auto screened = std::make_unique<envs::ScreenedPolicy>(std::move(policy), *recorder, screening);
    screen = screened.get();
    policy = std::move(screened);
  }
  if (o.resume && loaded.registry.size() > 0) {
    env.set_observer(store.get());
    env.resume(std::move(loaded.registry), loaded.current_id, loaded.counters, envs::stream_seed(o.seed, done));
  } else {
    start_campaign(env, o, method, store_path, store, lock);
  }
  if (remaining == 0) {
    std::cerr << "explore: the campaign has done " << done << " steps, --budget " << o.budget
              << " asks for no more; outputs rewritten\n";
  }
  const std::string campaign_budget = std::to_string(std::max(o.budget, stored_budget));  // never lowered
  store->set_meta("budget", campaign_budget);
  if (o.resume && !meta.count("screen")) store->set_meta("screen", "0");  // an older campaign: unscreened

  const ProgressLine progress(done, done + remaining, "steps");
  long k = done;
  if (remaining > 0) {
    envs::run_exploration(env, *policy, remaining, [&](const envs::PesEnv& e) {
      report_progress(progress, e, ++k, env.calculator().energy_unit());
    });
  }

  const double wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto transitions = store->load(options.same).transitions;
  const std::string unit = env.calculator().energy_unit();
  envs::NetworkExport exported{unit, {{"method", method}, {"budget", campaign_budget}}};
  for (const StoredExploreSetting& s : stored_settings(o, method)) {
    exported.campaign[s.key] = s.key == "start_option" && s.value.empty() ? meta["start_option"] : s.value;
  }
  envs::export_network(env.registry(), transitions, o.out_dir, exported);
  if (o.json) return print_json(env, method, wall_seconds, screen, o.screen);

  const auto& registry = env.registry();
  std::cout << registry.size() << " minima after " << env.counters().steps << " steps, " << env.counters().relaxations
            << " relaxations, " << env.counters().gradient_calls << " gradient calls\n";
  if (screen) {
    std::cout << "screen: " << screen->screened_steps() << " of " << screen->steps()
              << " steps of this run played a model minimum that looked new (of " << o.screen << " candidates), "
              << screen->screened_new() << " of them new on the true surface\n";
  }
  print_minima(std::cout, registry, unit);
  const std::string sdf = is_cluster_method(method) ? "" : " minima.sdf,";
  std::cout << "wrote " << o.out_dir << "/{minima.extxyz," << sdf
            << " network.json, network.dot, network.svg, campaign.sqlite}\n";
}

}  // namespace

void add_explore_command(CLI::App& app) {
  auto o = std::make_shared<ExploreOptions>();
  CLI::App* command = app.add_subcommand("explore", "map the minima of a potential-energy surface");
  add_structure_options(*command, o->input);
  command->add_option("--cluster", o->cluster, "start from a random Lennard-Jones cluster, lj:N");
  command->add_option("--method", o->method, "gfn2 | gfn1 | gfnff | lj (default gfn2; lj for --cluster)");
  command->add_option("--agent", o->agent, "random | basin-hopping | random-restart | RUN_DIR (required; resumed: the stored)");
  command->add_option("--budget", o->budget,
                      "exploration steps of the whole campaign, relaxation moves (required; resumed: the stored)");
  command->add_option("--seed", o->seed, "random seed (>= 0)")
      ->check(non_negative())
      ->capture_default_str();
  command->add_option("--out", o->out_dir, "output folder")->required();
  command->add_flag("--resume", o->resume, "continue the campaign stored in --out");
  command->add_flag("--json", o->json, "print one JSON summary");
  command->add_option("--temperature", o->temperature, "basin hopping kT (eV, or epsilon; default 0.05 eV, 0.8 epsilon)");
  command->add_option("--step-size", o->step_size,
                      "basin hopping displacement per coordinate (Å, or sigma; default 0.3 Å, 0.36 sigma, "
                      "global-optimisation settings: 0.7 maps minima faster)");
  command->add_option("--drive-probability", o->drive_probability, "random agent: share of drive moves")
      ->capture_default_str();
  command->add_option("--hop-probability", o->hop_probability,
                      "random agent: share of hops (an atom lands on the surface of the others; the rest are kicks)")
      ->capture_default_str();
  command->add_option("--screen", o->screen,
                      "relax this many of the agent's candidate moves on a model learnt from the calculations so "
                      "far and play the lowest that looks new (random or trained agents; 0 = off)")
      ->capture_default_str();
  command->add_option("--threads", o->threads, "xtb OpenMP threads")->capture_default_str();
  command->add_option("--polish-fmax", o->polish_fmax,
                      "fmax new minima are relaxed to before they are compared and registered, eV/Å; "
                      "0 = off (default 0.003 for molecules, off for lj)");
  command->get_option("--cluster")->excludes("--xyz")->excludes("--smiles");
  command->callback([o, command] {
    for (const CLI::Option* option : command->get_options()) {
      if (option->count() > 0) o->given.insert(option->get_name());
    }
    run_explore(*o);
  });
}

}  // namespace equimol::cli
