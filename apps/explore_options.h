// The options of `equimol explore`: their checks, and the settings a campaign keeps for good.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "cli_common.h"
#include "stored_settings.h"

namespace equimol::cli {

struct ExploreOptions {
  StructureInput input;
  std::string cluster;  // "lj:N"
  std::string method;   // default: the campaign's on --resume, else lj for clusters and gfn2 otherwise
  std::string agent;
  long budget = 0;
  std::uint64_t seed = 0;
  std::string out_dir;
  bool resume = false;
  bool json = false;
  double temperature = 0.0;  // basin hopping kT (when given)
  double step_size = 0.0;    // basin hopping step (when given)
  double drive_probability = 0.3;
  double hop_probability = 0.0;
  int screen = 0;            // candidates relaxed on a learnt model per step (envs/pes_screening.h); 0 = off
  int threads = 1;
  double polish_fmax = 0.0;  // eV/Å (ε/σ), when given; 0 = off
  std::set<std::string> given;  // the options the user set, e.g. "--seed"

  bool has(const std::string& option) const { return given.count(option) > 0; }
};

/// The start as the user gave it with the options that shape it, e.g. "--smiles OCC=C --charge 1"
/// ("" when none was given).
std::string start_option(const ExploreOptions& o);

/// Bad values, and options that the chosen agent or start would not read, throw InputError naming
/// them: nothing is silently ignored.
void check_options(const ExploreOptions& o, const std::string& method);

/// --screen's value and agent (also after a resume restored them).
void check_screen(const ExploreOptions& o);

double basin_hopping_kt(const ExploreOptions& o, const std::string& method);
double basin_hopping_step(const ExploreOptions& o, const std::string& method);
/// The fmax new minima are polished to: as given, else the method's default (PesEnvOptions).
double polish_fmax(const ExploreOptions& o, const std::string& method);

using StoredExploreSetting = StoredSetting<ExploreOptions>;

/// Agent, seed, start, the agent's own options and the polish, as this command would run them.
std::vector<StoredExploreSetting> stored_settings(const ExploreOptions& o, const std::string& method);

/// --resume: takes the stored settings into `o`; a setting given again must agree with the stored
/// one (a different start, agent or seed would silently make a different campaign), else InputError.
void take_stored_settings(ExploreOptions& o, const std::string& method, const std::map<std::string, std::string>& meta,
                          const std::string& store_path);

}  // namespace equimol::cli
