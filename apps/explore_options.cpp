#include "explore_options.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <utility>

#include "chem/calculator_factory.h"
#include "chem/errors.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"

namespace equimol::cli {
namespace {

// The shortest decimal text that reads back as the same double (stored settings compare as text).
std::string exact(double value) {
  char text[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(text, sizeof text, "%.*g", digits, value);
    if (std::strtod(text, nullptr) == value) break;
  }
  return text;
}

// The same start: equal text, or --xyz paths naming one file with the same other options (campaigns
// stored before paths were made absolute hold the path as typed, relative to where they were run).
bool same_start(const std::string& given, const std::string& stored) {
  if (given == stored) return true;
  const std::string xyz = "--xyz ";
  if (given.rfind(xyz, 0) != 0 || stored.rfind(xyz, 0) != 0) return false;
  const auto split = [&](const std::string& start) {
    const size_t options = start.find(" --", xyz.size());
    return std::make_pair(start.substr(xyz.size(), options - xyz.size()),
                          options == std::string::npos ? "" : start.substr(options));
  };
  const auto [given_path, given_rest] = split(given);
  const auto [stored_path, stored_rest] = split(stored);
  return given_rest == stored_rest && same_path(given_path, stored_path);
}

}  // namespace

std::string start_option(const ExploreOptions& o) {
  std::string start = !o.cluster.empty()           ? "--cluster " + o.cluster
                      : !o.input.smiles.empty()   ? "--smiles " + o.input.smiles
                      : !o.input.xyz_path.empty() ? "--xyz " + absolute_path(o.input.xyz_path)
                                                  : "";
  // The options that shape the start go with it, so that a resume given other ones is refused.
  if (o.has("--charge")) start += " --charge " + std::to_string(o.input.charge);
  if (o.has("--uhf")) start += " --uhf " + std::to_string(o.input.uhf);
  if (o.has("--embed-seed")) start += " --embed-seed " + std::to_string(o.input.seed);
  return start.rfind(' ', 0) == 0 ? start.substr(1) : start;
}

void check_options(const ExploreOptions& o, const std::string& method) {
  const bool cluster = !o.cluster.empty();
  if (cluster && (!o.input.xyz_path.empty() || !o.input.smiles.empty())) {
    throw InputError("give one start: --xyz, --smiles or --cluster");
  }
  const bool start_given = cluster || !o.input.smiles.empty() || !o.input.xyz_path.empty();
  if (!start_given && !o.resume) throw InputError("give a start: --xyz FILE, --smiles S or --cluster lj:N");
  if (!o.resume) require_options(o.given, {"--agent", "--budget"});
  make_calculator(method);  // checks the name before any work
  if (cluster && !is_cluster_method(method)) throw InputError("--cluster needs --method lj, got '" + method + "'");
  check_method_fits(o.input, method);
  for (const char* molecular : {"--charge", "--uhf", "--embed-seed"}) {
    if (cluster && o.has(molecular)) throw InputError(std::string(molecular) + " applies to molecules, not --cluster");
  }
  if (!o.input.xyz_path.empty() && o.has("--embed-seed")) throw InputError("--embed-seed applies to --smiles, not --xyz");
  if (o.budget < 1 || o.budget > std::numeric_limits<int>::max()) {
    throw InputError("--budget must be 1.." + std::to_string(std::numeric_limits<int>::max()) + ", got " +
                     std::to_string(o.budget));
  }
  if (o.threads < 1) throw InputError("--threads must be >= 1, got " + std::to_string(o.threads));
  const std::map<std::string, std::string> agent_of_option = {
      {"--temperature", "basin-hopping"}, {"--step-size", "basin-hopping"}, {"--drive-probability", "random"},
      {"--hop-probability", "random"}};
  for (const auto& [option, agent] : agent_of_option) {
    if (o.has(option) && o.agent != agent) throw InputError(option + " applies to --agent " + agent + " only");
  }
  // inf passes "> 0" but accepts every move (kT) or throws the atoms to infinity (step).
  if (o.has("--temperature") && !(o.temperature > 0 && std::isfinite(o.temperature))) {
    throw InputError("--temperature must be a finite number > 0, got " + exact(o.temperature));
  }
  if (o.has("--step-size") && !(o.step_size > 0 && std::isfinite(o.step_size))) {
    throw InputError("--step-size must be a finite number > 0, got " + exact(o.step_size));
  }
  if (o.has("--polish-fmax") && !(o.polish_fmax >= 0)) throw InputError("--polish-fmax must be >= 0 (0 = off)");
  check_screen(o);
  if (!(o.drive_probability >= 0 && o.drive_probability <= 1)) {
    throw InputError("--drive-probability must be in [0, 1], got " + exact(o.drive_probability));
  }
  if (!(o.hop_probability >= 0 && o.hop_probability <= 1)) {
    throw InputError("--hop-probability must be in [0, 1], got " + exact(o.hop_probability));
  }
  if (o.drive_probability + o.hop_probability > 1) {
    throw InputError("--drive-probability + --hop-probability must be <= 1, got " + exact(o.drive_probability) +
                     " + " + exact(o.hop_probability));
  }
}

void check_screen(const ExploreOptions& o) {
  if (o.screen < 0) throw InputError("--screen must be >= 0 (0 = off), got " + std::to_string(o.screen));
  if (o.screen > 0 && (o.agent == "basin-hopping" || o.agent == "random-restart")) {
    // Basin hopping accepts or rejects the minimum its own move reached; a restart has no move to screen.
    throw InputError("--screen applies to --agent random or a trained agent, not " + o.agent);
  }
}

double basin_hopping_kt(const ExploreOptions& o, const std::string& method) {
  return o.has("--temperature") ? o.temperature : envs::BasinHopping::default_kt(method);
}

double basin_hopping_step(const ExploreOptions& o, const std::string& method) {
  return o.has("--step-size") ? o.step_size : envs::BasinHopping::default_step(method);
}

double polish_fmax(const ExploreOptions& o, const std::string& method) {
  return o.has("--polish-fmax") ? o.polish_fmax : envs::PesEnvOptions::defaults_for(method).polish_fmax;
}

std::vector<StoredExploreSetting> stored_settings(const ExploreOptions& o, const std::string& method) {
  // A stored number is restored as if given, so that it wins over the method's default.
  auto number = [&](const std::string& key, const std::string& option, double value, double ExploreOptions::*field) {
    auto restore = [option, field](ExploreOptions& to, const std::string& text) {
      to.*field = std::stod(text);
      to.given.insert(option);
    };
    return StoredExploreSetting{key, option, exact(value), o.has(option), restore, nullptr};
  };
  std::vector<StoredExploreSetting> settings = {
      {"agent", "--agent", agent_as_stored(o.agent), true, nullptr, same_path},
      {"seed", "--seed", std::to_string(o.seed), o.has("--seed"),
       [](ExploreOptions& to, const std::string& text) { to.seed = std::stoull(text); }, nullptr},
      {"start_option", "", start_option(o), !start_option(o).empty(), nullptr, same_start},
      number("polish_fmax", "--polish-fmax", polish_fmax(o, method), &ExploreOptions::polish_fmax),
      {"screen", "--screen", std::to_string(o.screen), o.has("--screen"),
       [](ExploreOptions& to, const std::string& text) { to.screen = std::stoi(text); }, nullptr}};
  if (o.agent == "random") {
    settings.push_back(number("drive_probability", "--drive-probability", o.drive_probability,
                              &ExploreOptions::drive_probability));
    settings.push_back(
        number("hop_probability", "--hop-probability", o.hop_probability, &ExploreOptions::hop_probability));
  }
  if (o.agent == "basin-hopping") {
    settings.push_back(
        number("temperature", "--temperature", basin_hopping_kt(o, method), &ExploreOptions::temperature));
    settings.push_back(number("step_size", "--step-size", basin_hopping_step(o, method), &ExploreOptions::step_size));
  }
  return settings;
}

void take_stored_settings(ExploreOptions& o, const std::string& method, const std::map<std::string, std::string>& meta, const std::string& store_path) {
  take_stored_settings(o, stored_settings(o, method), meta, store_path, "explored");
}

}  // namespace equimol::cli
