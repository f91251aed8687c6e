// equimol design: build molecules atom by atom from a bag (MolGym's task on GFN2-xTB) and rank them.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <vector>

#include "chem/errors.h"
#include "chem/units.h"
#include "cli_common.h"
#include "commands.h"
#include "folder_lock.h"
#include "progress_line.h"
#include "envs/design_agents.h"
#include "envs/design_campaign.h"
#include "envs/design_export.h"
#include "envs/design_store.h"
#include "envs/formula.h"
#include "envs/rng.h"
#include "envs/sqlite_database.h"
#include "rl/molecular_policies.h"
#include "rl/train_config.h"
#include "stored_settings.h"
#include "version.h"

namespace equimol::cli {
namespace {

struct DesignCommandOptions {
  std::string bag;
  std::string agent;
  long episodes = 0;
  std::uint64_t seed = 0;
  std::string out_dir;
  bool json = false;
  int canvas_size = 25;
  std::string stochastic;  // "MIN:MAX": --bag gives proportions, sizes drawn in the range
  bool relax = false;
  bool sample = false;  // a trained agent draws its actions instead of taking the greedy one
  int threads = 1;
  bool resume = false;
  std::set<std::string> given;  // the options set on the command line, e.g. "--seed"
  bool has(const std::string& option) const { return given.count(option) > 0; }
};

// The same formulas in the same order, however each is written ("OCH4" is "CH4O"); the order stays
// significant, as it decides which bag an episode draws.
bool same_bags(const std::string& given, const std::string& stored) {
  return envs::parse_formula_list(given) == envs::parse_formula_list(stored);
}

// What a design campaign keeps in its store so that --resume continues it as it was.
std::vector<StoredSetting<DesignCommandOptions>> stored_settings(const DesignCommandOptions& o) {
  using Options = DesignCommandOptions;
  const auto flag = [](bool on) { return std::string(on ? "on" : "off"); };
  return {
      {"bag_option", "--bag", o.bag, o.has("--bag"), [](Options& to, const std::string& v) { to.bag = v; }, same_bags},
      {"stochastic", "--stochastic", o.stochastic, o.has("--stochastic"),
       [](Options& to, const std::string& v) { to.stochastic = v; }, nullptr},
      {"agent_option", "--agent", agent_as_stored(o.agent), o.has("--agent"),
       [](Options& to, const std::string& v) { to.agent = v; }, same_path},
      {"seed", "--seed", std::to_string(o.seed), o.has("--seed"),
       [](Options& to, const std::string& v) { to.seed = std::stoull(v); }, nullptr},
      {"canvas_size", "--canvas-size", std::to_string(o.canvas_size), o.has("--canvas-size"),
       [](Options& to, const std::string& v) {
         to.canvas_size = std::stoi(v);
         to.given.insert("--canvas-size");  // the campaign's canvas, whatever a trained agent's is now
       },
       nullptr},
      {"relax", "--relax", flag(o.relax), o.has("--relax"), [](Options& to, const std::string& v) { to.relax = v == "on"; }, nullptr},
      {"sample", "--sample", flag(o.sample), o.has("--sample"),
       [](Options& to, const std::string& v) { to.sample = v == "on"; }, nullptr},
  };
}

// --resume: the stored settings, checked against the ones given, before anything is opened for writing.
void take_stored_settings(DesignCommandOptions& o, const std::map<std::string, std::string>& meta, const std::string& store_path) {
  std::vector<std::string> keys = {"episodes", "method"};
  for (const auto& s : stored_settings(o)) keys.push_back(s.key);
  for (const std::string& key : keys) {
    if (!meta.count(key)) {
      throw InputError(store_path + (meta.empty() ? " holds no design campaign" : " was written by an equimol that could not resume design campaigns") +
                       ": choose another --out");
    }
  }
  take_stored_settings(o, stored_settings(o), meta, store_path, "designed");
  if (!o.has("--episodes")) o.episodes = std::stol(meta.at("episodes"));
  check_stored_agent(o.agent, store_path, "designed");
}

envs::DesignTask make_task(const DesignCommandOptions& o) {
  envs::DesignTask task = envs::DesignTask::from_formulas(o.bag);
  if (o.stochastic.empty()) return task;
  if (task.kind != envs::DesignTaskKind::kSingle) throw InputError("--stochastic takes one formula of proportions in --bag");
  const size_t colon = o.stochastic.find(':');
  int min_size = 0, max_size = 0;
  try {
    size_t used_min = 0, used_max = 0;
    min_size = std::stoi(o.stochastic.substr(0, colon), &used_min);
    max_size = std::stoi(o.stochastic.substr(colon + 1), &used_max);
    if (colon == std::string::npos || used_min != colon || used_max != o.stochastic.size() - colon - 1) throw std::exception();
  } catch (const std::exception&) {
    throw InputError("--stochastic expects MIN:MAX atoms (e.g. 10:19), got '" + o.stochastic + "'");
  }
  return envs::DesignTask::stochastic(task.bags.front(), min_size, max_size);
}

// The policy's random stream starts at stream_seed(seed, done) + 1: seed + 1 for a new campaign.
std::unique_ptr<envs::DesignPolicy> make_policy(const DesignCommandOptions& o, std::uint64_t policy_seed) {
  if (o.agent == "random") {
    if (o.sample) throw InputError("--sample is for a trained agent (--agent RUN_DIR): the random designer always samples");
    return std::make_unique<envs::RandomDesigner>(policy_seed);
  }
  if (std::filesystem::is_directory(o.agent)) return nullptr;  // a trained agent: loaded once the env exists
  throw InputError("unknown agent '" + o.agent + "' (expected random or a run directory)");
}

// The campaign's progress line: episodes, valid molecules, the best so far (the stored ones count).
class DesignProgress {
 public:
  DesignProgress(long total, const std::vector<envs::DesignedMolecule>& stored)
      : line_(static_cast<long>(stored.size()), total, "episodes") {
    for (const auto& m : stored) count(m);
  }
  void report(long done, const envs::DesignedMolecule& m) {
    count(m);
    if (!line_.due(done)) return;
    std::ostringstream text;
    text << "design " << done << "/" << line_.total() << " episodes  valid " << valid_ << "  best "
         << (valid_ ? best_smiles_ : "-") << " " << std::fixed << std::setprecision(3) << (valid_ ? best_ev_ : 0.0)
         << " eV";
    line_.print(done, text.str());
  }

 private:
  void count(const envs::DesignedMolecule& m) {
    valid_ += m.ranked_valid();
    if (m.ranked_valid() && (valid_ == 1 || m.score_ev() > best_ev_)) {
      best_ev_ = m.score_ev();
      best_smiles_ = m.identity();
    }
  }

  ProgressLine line_;
  long valid_ = 0;
  double best_ev_ = 0.0;
  std::string best_smiles_;
};

nlohmann::json or_null(bool present, double value) { return present ? nlohmann::json(value) : nlohmann::json(nullptr); }

// A trained agent designs with the method it learnt and, unless --canvas-size is given, on its canvas
// (the canvas fill n / canvas_size is one of its inputs).
void adopt_trained_settings(const DesignCommandOptions& o, envs::DesignEnvOptions& env_options) {
  const auto config = std::filesystem::path(o.agent) / "config.json";
  if (o.agent == "random" || !std::filesystem::exists(config)) return;  // load_design_policy names what is missing
  const nlohmann::json run = rl::read_json_file(config);
  if (run.value("env", "") != "design") return;  // load_design_policy says it holds no design agent
  const nlohmann::json trained = run.value("env_options", nlohmann::json::object());
  env_options.method = trained.value("method", env_options.method);
  if (!o.has("--canvas-size")) env_options.canvas_size = trained.value("canvas_size", env_options.canvas_size);
}

// Ends of episodes among `molecules` (each invalid placement or clipped reward ends its episode).
long count_ending(const std::vector<envs::DesignedMolecule>& molecules, envs::DesignOutcome outcome) {
  const std::string name = envs::to_string(outcome);
  return std::count_if(molecules.begin(), molecules.end(), [&](const auto& m) { return m.ending == name; });
}

// What the campaign's meta table keeps: its settings (those a resume takes back), what ran, and the
// isolated-atom energies its returns are measured from.
std::map<std::string, std::string> campaign_meta(const DesignCommandOptions& o, const envs::DesignEnv& env,
                                                 const std::string& agent_name, long episodes) {
  std::map<std::string, std::string> meta = {{"bag", env.options().task.describe()},
                                             {"agent", agent_name},
                                             {"episodes", std::to_string(episodes)},
                                             {"method", env.options().method},
                                             {"policy", o.agent == "random" ? "random" : (o.sample ? "sampled" : "greedy")}};
  for (const auto& s : stored_settings(o)) meta[s.key] = s.value;
  if (!o.resume) meta["equimol_version"] = equimol_version();  // provenance: the run that made the campaign
  for (int z : env.elements()) meta["atom_energy_ev_" + std::to_string(z)] = std::to_string(env.atom_energy_ev(z));
  return meta;
}

void print_json(const DesignCommandOptions& o, const envs::DesignEnv& env, const std::vector<envs::DesignedMolecule>& molecules,
                const envs::DesignSummary& summary, double wall_seconds) {
  // The best episode return among valid molecules (the figure MolGym reports), whatever relaxation did.
  const envs::DesignedMolecule* best = nullptr;
  for (const auto& m : molecules) {
    if (m.valid && (!best || m.return_ev > best->return_ev)) best = &m;
  }
  nlohmann::ordered_json j;
  j["episodes"] = summary.episodes;
  j["valid_fraction"] = summary.valid_fraction;
  j["mean_return_ev"] = summary.mean_return_ev;
  j["best_smiles"] = best ? nlohmann::json(best->smiles) : nlohmann::json(nullptr);
  j["best_return_ev"] = or_null(best != nullptr, best ? best->return_ev : 0.0);
  auto unique = nlohmann::json::array();
  for (const auto* m : summary.best_distinct) unique.push_back(m->identity());
  j["unique_valid_smiles"] = unique;
  j["mean_return_hartree"] = summary.mean_return_ev * units::kEvToHartree;
  j["best_return_hartree"] = or_null(best != nullptr, best ? best->return_ev * units::kEvToHartree : 0.0);
  if (o.relax && !summary.best_distinct.empty()) {
    const auto& r = *summary.best_distinct.front();
    j["best_relaxed"] = {{"smiles", r.identity()},
                         {"atomization_ev", r.score_ev()},
                         {"atomization_hartree", r.score_ev() * units::kEvToHartree}};
  }
  using envs::DesignOutcome;
  j["invalid"] = {{"too_close", count_ending(molecules, DesignOutcome::kTooClose)},
                  {"isolated", count_ending(molecules, DesignOutcome::kIsolated)},
                  {"scf_failures", count_ending(molecules, DesignOutcome::kScfFailure)},
                  {"clipped", count_ending(molecules, DesignOutcome::kClipped)}};
  j["wall_seconds"] = wall_seconds;  // of this run (a resumed campaign's earlier runs are not counted)
  j["calculator_seconds"] = env.calculator_seconds();
  std::cout << j.dump() << "\n";
}

void print_table(const DesignCommandOptions& o, const envs::DesignEnvOptions& env_options, const envs::DesignSummary& summary) {
  std::cout << summary.episodes << " episodes of " << env_options.task.describe() << ": " << summary.valid << " valid ("
            << std::fixed << std::setprecision(1) << 100.0 * summary.valid_fraction << "%), mean return "
            << std::setprecision(3) << summary.mean_return_ev << " eV (" << std::setprecision(4)
            << summary.mean_return_ev * units::kEvToHartree << " Eh)\n";
  std::cout << std::left << std::setw(6) << "rank" << std::setw(9) << "episode" << std::setw(16)
            << (o.relax ? "relaxed AE (eV)" : "return (eV)") << std::setw(12) << "(Eh)" << "SMILES\n";
  for (size_t k = 0; k < std::min<size_t>(summary.best_distinct.size(), 10); ++k) {
    const auto& m = *summary.best_distinct[k];
    std::cout << std::left << std::setw(6) << k + 1 << std::setw(9) << m.episode << std::setw(16) << std::setprecision(4)
              << m.score_ev() << std::setw(12) << m.score_ev() * units::kEvToHartree << m.identity() << "\n";
  }
  std::cout << "wrote " << o.out_dir << "/{design.sqlite, molecules.sdf, molecules.extxyz, top.svg}\n";
}

void run_design(DesignCommandOptions o) {
  // Everything that can be refused is checked before the store is created or written.
  const std::string store_path = o.out_dir + "/design.sqlite";
  FolderLock lock;
  lock.hold(o.out_dir);
  check_resume_target(store_path, o.resume);
  std::map<std::string, std::string> stored_meta;
  if (o.resume) {
    stored_meta = envs::read_meta(store_path, "design database");
    take_stored_settings(o, stored_meta, store_path);
  } else {
    require_options(o.given, {"--bag", "--agent", "--episodes"});
  }

  envs::DesignEnvOptions env_options;
  env_options.task = make_task(o);
  env_options.canvas_size = o.canvas_size;
  env_options.xtb_threads = o.threads;
  adopt_trained_settings(o, env_options);
  env_options.check();  // bad bag, bag larger than the canvas: before any work
  if (o.resume && env_options.method != stored_meta.at("method")) {  // a trained agent's config.json changed
    throw InputError(store_path + " was designed with " + stored_meta.at("method") + ", but the agent in " + o.agent +
                     " now says " + env_options.method + ": energies of both would be ranked together");
  }
  o.canvas_size = env_options.canvas_size;  // a trained agent's canvas, when adopted: the campaign's for good
  std::unique_ptr<envs::DesignStore> store;
  std::vector<envs::DesignedMolecule> molecules;  // the stored ones first, then this run's
  if (o.resume) {
    store = std::make_unique<envs::DesignStore>(store_path);
    molecules = store->load();
  }
  const long done = static_cast<long>(molecules.size());
  const std::uint64_t policy_seed = envs::stream_seed(o.seed, done) + 1;
  auto policy = make_policy(o, policy_seed);
  envs::DesignCampaignOptions campaign;
  campaign.episodes = o.episodes;
  campaign.first_episode = done;
  campaign.seed = o.seed;
  campaign.relax = o.relax;

  const bool created = !o.resume && create_output_folder(o.out_dir);
  lock.hold(o.out_dir);
  if (!o.resume) check_resume_target(store_path, false);  // another run may have started one since the check

  const auto started = std::chrono::steady_clock::now();
  std::unique_ptr<envs::DesignEnv> made_env;
  try {
    made_env = std::make_unique<envs::DesignEnv>(env_options);
    // A trained EGNN agent acts greedily (the mode of its policy, as in the RESULTS.md bars: every episode
    // builds the same molecule), or with --sample draws from its policy (a campaign of distinct molecules).
    if (!policy) {
      policy = rl::load_design_policy(o.agent, *made_env, o.sample ? rl::PolicyMode::kSampled : rl::PolicyMode::kGreedy,
                                      policy_seed);
    }
  } catch (...) {  // a refused agent leaves no empty output folder behind
    std::error_code ignored;
    if (created) std::filesystem::remove(o.out_dir, ignored);
    throw;
  }
  envs::DesignEnv& env = *made_env;
  if (!store) store = std::make_unique<envs::DesignStore>(store_path);
  long campaign_episodes = std::max(o.episodes, done);  // a campaign's target is never lowered, as explore's budget
  if (o.resume) campaign_episodes = std::max(campaign_episodes, std::stol(stored_meta.at("episodes")));
  store->set_meta(campaign_meta(o, env, policy->name(), campaign_episodes));  // one transaction: all of it or none

  if (done >= o.episodes) {
    std::cerr << "design: the campaign has " << done << " episodes, --episodes " << o.episodes
              << ": nothing to add (the files are written again)\n";
  } else {
    DesignProgress progress(o.episodes, molecules);
    auto designed = envs::run_design_campaign(env, *policy, campaign, store.get(),
                                              [&](long n, const envs::DesignedMolecule& m) { progress.report(n, m); });
    std::move(designed.begin(), designed.end(), std::back_inserter(molecules));
  }
  const envs::DesignSummary summary = envs::summarize(molecules);
  envs::export_design(summary, o.out_dir);
  const double wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  if (o.json) {
    print_json(o, env, molecules, summary, wall_seconds);
  } else {
    print_table(o, env_options, summary);
  }
}

}  // namespace

void add_design_command(CLI::App& app) {
  auto o = std::make_shared<DesignCommandOptions>();
  CLI::App* command = app.add_subcommand("design", "build low-energy 3D molecules from a bag of atoms");
  command->add_option("--bag", o->bag,
                      "formula, or a comma-separated list drawn from at each episode (required; resumed: the stored)");
  command->add_option("--agent", o->agent, "random | RUN_DIR (required)");
  command->add_option("--episodes", o->episodes, "design episodes of the whole campaign (required; resumed: the stored)")
      ->check(at_least(1));
  command->add_option("--seed", o->seed, "random seed (env and agent)")->check(non_negative())->capture_default_str();
  command->add_option("--out", o->out_dir, "output folder")->required();
  command->add_flag("--json", o->json, "print one JSON summary");
  command->add_option("--canvas-size", o->canvas_size, "most atoms on the canvas (default 25, or a trained agent's)")
      ->check(at_least(1));
  command->add_option("--stochastic", o->stochastic, "MIN:MAX: bags of that many atoms in the proportions of --bag");
  command->add_flag("--sample", o->sample, "a trained agent samples its actions (default: greedy, one molecule)");
  command->add_flag("--relax", o->relax, "relax complete molecules with GFN2 (L-BFGS) and rank by relaxed energy");
  command->add_option("--threads", o->threads, "xtb OpenMP threads")->check(at_least(1))->capture_default_str();
  command->add_flag("--resume", o->resume,
                    "continue the campaign stored in --out (its settings; --episodes N to extend it)");
  command->callback([o, command] {
    for (const CLI::Option* option : command->get_options()) {
      if (option->count() > 0) o->given.insert(option->get_name());
    }
    run_design(*o);
  });
}

}  // namespace equimol::cli
