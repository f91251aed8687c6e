// equimol explore: map the minima of a potential-energy surface and the transitions between them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "chem/calculator_factory.h"
#include "chem/errors.h"
#include "chem/units.h"
#include "chem/xyz_io.h"
#include "cli_common.h"
#include "commands.h"
#include "envs/campaign_store.h"
#include "envs/pes_explore.h"
#include "envs/pes_export.h"
#include "pes_report.h"
#include "rl/molecular_policies.h"

namespace equimol::cli {
namespace {

struct ExploreOptions {
  StructureInput input;
  std::string cluster;  // "lj:N"
  std::string method;   // default: lj for clusters, gfn2 otherwise
  std::string agent;
  long budget = 0;
  std::uint64_t seed = 0;
  std::string out_dir;
  bool resume = false;
  bool json = false;
  double temperature = 0.0;  // basin hopping kT; 0 = default for the method
  double step_size = 0.0;    // basin hopping step; 0 = default
  double drive_probability = 0.3;
  int threads = 1;
  double polish_fmax = -1.0;  // eV/Å (ε/σ); < 0 = the method's default, 0 = off
};

int parse_cluster_size(const std::string& spec) {
  const std::string prefix = "lj:";
  if (spec.rfind(prefix, 0) != 0) throw InputError("--cluster expects lj:N (e.g. lj:13), got '" + spec + "'");
  const std::string count = spec.substr(prefix.size());
  char* end = nullptr;
  const long n = std::strtol(count.c_str(), &end, 10);
  if (count.empty() || *end != '\0' || n < 2 || n > 1000) {
    throw InputError("--cluster lj:N needs a whole number of atoms 2..1000, got '" + count + "'");
  }
  return static_cast<int>(n);
}

std::unique_ptr<envs::PesPolicy> make_policy(const ExploreOptions& o, const std::string& method) {
  if (o.agent == "random") return std::make_unique<envs::RandomPerturbation>(o.seed + 1, o.drive_probability);
  if (o.agent == "basin-hopping") {
    const double kt = o.temperature > 0 ? o.temperature : envs::BasinHopping::default_kt(method);
    const double step = o.step_size > 0 ? o.step_size : envs::BasinHopping::default_step(method);
    return std::make_unique<envs::BasinHopping>(o.seed + 1, kt, step);
  }
  if (o.agent == "random-restart") {
    if (!is_cluster_method(method)) throw InputError("--agent random-restart is for atomic clusters (--method lj)");
    return std::make_unique<envs::RandomRestart>();
  }
  if (std::filesystem::is_directory(o.agent)) return nullptr;  // a trained agent: loaded once the env exists
  throw InputError("unknown agent '" + o.agent + "' (expected random, basin-hopping, random-restart or a run directory)");
}

// One line per report: rewritten in place on a terminal, plain lines (every ~5%) otherwise.
class Progress {
 public:
  explicit Progress(long total) : total_(total), terminal_(isatty(STDERR_FILENO)), start_(clock::now()) {}
  void report(const envs::PesEnv& env, long done) {
    const bool last = done == total_;
    if (!terminal_ && !last && done % std::max(1L, total_ / 20) != 0) return;
    const double seconds = std::chrono::duration<double>(clock::now() - start_).count();
    std::ostringstream line;
    line << "explore " << done << "/" << total_ << " steps  minima " << env.registry().size() << "  lowest "
         << std::setprecision(8) << env.registry().lowest_energy() << "  gradient calls "
         << env.counters().gradient_calls << "  " << std::setprecision(3) << done / std::max(seconds, 1e-9)
         << " steps/s";
    std::cerr << (terminal_ ? "\r" : "") << line.str() << (terminal_ && !last ? "" : "\n") << std::flush;
  }

 private:
  using clock = std::chrono::steady_clock;
  long total_;
  bool terminal_;
  clock::time_point start_;
};

void run_explore(const ExploreOptions& o) {
  const bool cluster = !o.cluster.empty();
  if (cluster && (!o.input.xyz_path.empty() || !o.input.smiles.empty())) {
    throw InputError("give one start: --xyz, --smiles or --cluster");
  }
  const std::string method = !o.method.empty() ? o.method : (cluster ? "lj" : "gfn2");
  make_calculator(method);  // checks the name before any work
  if (cluster && !is_cluster_method(method)) throw InputError("--cluster needs --method lj, got '" + method + "'");
  if (o.budget < 1) throw InputError("--budget must be >= 1, got " + std::to_string(o.budget));
  if (o.threads < 1) throw InputError("--threads must be >= 1, got " + std::to_string(o.threads));

  const std::string store_path = o.out_dir + "/campaign.sqlite";
  const bool exists = std::filesystem::exists(store_path);
  if (exists && !o.resume) {
    throw InputError(store_path + " exists: add --resume to continue that campaign, or choose another --out");
  }
  if (!exists && o.resume) throw InputError(store_path + ": nothing to resume");
  std::filesystem::create_directories(o.out_dir);

  envs::CampaignStore store(store_path);
  envs::PesEnvOptions options = envs::PesEnvOptions::defaults_for(method);
  options.xtb_threads = o.threads;
  if (o.polish_fmax >= 0.0) options.polish_fmax = o.polish_fmax;
  envs::CampaignStore::Loaded loaded{envs::MinimaRegistry(options.same), {}, 0, {}};
  if (o.resume) {
    const auto meta = store.meta();
    if (meta.count("method") && meta.at("method") != method) {
      throw InputError(store_path + " was explored with --method " + meta.at("method") + ", not " + method);
    }
    std::istringstream start_xyz(meta.count("start") ? meta.at("start") : "");
    options.start = read_xyz(start_xyz, store_path + " start structure").front();
    loaded = store.load(options.same);
  } else if (cluster) {
    envs::Rng rng(o.seed);
    options.start = envs::random_cluster(parse_cluster_size(o.cluster), rng);
  } else {
    options.start = load_structure(o.input);
  }
  const long done = loaded.counters.steps;
  const long remaining = std::max(0L, o.budget - done);
  options.budget = static_cast<int>(std::max(1L, remaining));
  auto policy = make_policy(o, method);

  const auto started = std::chrono::steady_clock::now();
  envs::PesEnv env(options);
  // A trained EGNN agent samples its actions (seeded): exploring is what its stochastic policy learned.
  if (!policy) policy = rl::load_pes_policy(o.agent, env, rl::PolicyMode::kSampled, o.seed + 1);
  env.set_observer(&store);
  if (o.resume && loaded.registry.size() > 0) {
    env.resume(std::move(loaded.registry), loaded.current_id, loaded.counters, o.seed + static_cast<std::uint64_t>(done));
  } else {
    std::ostringstream start_xyz;
    write_extxyz(start_xyz, options.start);
    store.set_meta("method", method);
    store.set_meta("agent", o.agent);
    store.set_meta("seed", std::to_string(o.seed));
    store.set_meta("budget", std::to_string(o.budget));
    store.set_meta("energy_unit", env.calculator().energy_unit());
    store.set_meta("start", start_xyz.str());
    env.reset(o.seed);
    store.start_done(env.counters());
  }
  store.set_meta("budget", std::to_string(o.budget));

  Progress progress(remaining);
  long k = 0;
  if (remaining > 0) {
    envs::run_exploration(env, *policy, remaining, [&](const envs::PesEnv& e) { progress.report(e, ++k); });
  }

  const double wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const auto transitions = store.load(options.same).transitions;
  const std::string unit = env.calculator().energy_unit();
  envs::export_network(env.registry(), transitions, o.out_dir, envs::NetworkExport{unit});

  const auto& registry = env.registry();
  std::vector<int> order(registry.size());
  for (int i = 0; i < registry.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return registry.at(a).minimum.energy < registry.at(b).minimum.energy; });
  if (o.json) {
    nlohmann::json j;
    j["minima"] = registry.size();
    j["relaxations"] = env.counters().relaxations;
    j["gradient_calls"] = env.counters().gradient_calls;
    j["steps"] = env.counters().steps;
    j["lowest_energy"] = registry.lowest_energy();
    j["energy_unit"] = unit;
    j["wall_seconds"] = wall_seconds;  // this invocation: start relaxation (or resume) and the steps
    j["calculator_seconds"] = env.calculator().compute_seconds();
    j["saddles_escaped"] = env.counters().saddles;
    j["failures"] = {{"scf", env.counters().scf_failures},
                     {"unconverged", env.counters().unconverged},
                     {"dissociated", env.counters().dissociations}};
    auto smiles = nlohmann::json::array();
    std::vector<std::string> seen;
    for (int id : order) {
      const std::string& s = registry.at(id).smiles;
      if (!s.empty() && std::find(seen.begin(), seen.end(), s) == seen.end()) {
        seen.push_back(s);
        smiles.push_back(s);
      }
    }
    if (!is_cluster_method(method)) j["smiles"] = smiles;
    std::cout << j.dump() << "\n";
    return;
  }
  std::cout << registry.size() << " minima after " << env.counters().steps << " steps, " << env.counters().relaxations
            << " relaxations, " << env.counters().gradient_calls << " gradient calls\n";
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
  command->add_option("--agent", o->agent, "random | basin-hopping | random-restart | RUN_DIR")->required();
  command->add_option("--budget", o->budget, "exploration steps of the whole campaign (relaxation moves)")->required();
  command->add_option("--seed", o->seed, "random seed")->capture_default_str();
  command->add_option("--out", o->out_dir, "output folder")->required();
  command->add_flag("--resume", o->resume, "continue the campaign stored in --out");
  command->add_flag("--json", o->json, "print one JSON summary");
  command->add_option("--temperature", o->temperature, "basin hopping kT (eV, or epsilon)");
  command->add_option("--step-size", o->step_size, "basin hopping displacement per coordinate (Å, or sigma)");
  command->add_option("--drive-probability", o->drive_probability, "random agent: share of drive moves")
      ->capture_default_str();
  command->add_option("--threads", o->threads, "xtb OpenMP threads")->capture_default_str();
  command->add_option("--polish-fmax", o->polish_fmax,
                      "fmax new minima are relaxed to before they are compared and registered, eV/Å; "
                      "0 = off (default 0.003 for molecules, off for lj)");
  command->callback([o] { run_explore(*o); });
}

}  // namespace equimol::cli
