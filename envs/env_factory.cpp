#include "envs/env_factory.h"

#include <algorithm>
#include <stdexcept>

#include "chem/atoms.h"
#include "chem/calculator_factory.h"
#include "chem/errors.h"
#include "chem/rdkit_bridge.h"
#include "chem/xyz_io.h"
#include "envs/design_env.h"
#include "envs/pes_env.h"
#include "envs/registry.h"

namespace equimol::envs {

namespace {

using nlohmann::json;

void reject_unknown(const json& o, std::initializer_list<const char*> known, const std::string& env) {
  if (!o.is_object()) throw std::invalid_argument("env_options for '" + env + "' must be a JSON object");
  for (const auto& item : o.items()) {
    bool found = false;
    for (const char* key : known) found = found || item.key() == key;
    if (!found) throw std::invalid_argument("env_options for '" + env + "': unknown key '" + item.key() + "'");
  }
}

template <typename T>
T value_or(const json& o, const char* key, T fallback, const std::string& env) {
  if (!o.contains(key)) return fallback;
  try {
    return o.at(key).get<T>();
  } catch (const json::exception&) {
    throw std::invalid_argument("env_options for '" + env + "': '" + key + "' has the wrong type (" +
                                o.at(key).dump() + ")");
  }
}

/// The start of pes env_options "smiles" or "xyz". Its electron count is checked here, with the message of
/// the CLI's load_structure (explore's), because PesEnvOptions::check would speak first of something else
/// ("needs at least 2 atoms" for [H+]) or prefix "pes: the start's".
Atoms molecule_start(const json& o) {
  Atoms start = o.contains("smiles") ? atoms_from_smiles(value_or<std::string>(o, "smiles", "", "pes"))
                                     : read_xyz(value_or<std::string>(o, "xyz", "", "pes")).front();
  if (const std::string problem = electron_count_problem(start); !problem.empty()) throw InputError(problem);
  return start;
}

std::unique_ptr<Env> make_pes(const json& o, std::uint64_t seed) {
  reject_unknown(o, {"cluster", "smiles", "xyz", "method", "budget", "gradient_call_cost", "saddle_check",
                     "polish_fmax"},
                 "pes");
  const int starts = static_cast<int>(o.contains("cluster")) + static_cast<int>(o.contains("smiles")) +
                     static_cast<int>(o.contains("xyz"));
  if (starts != 1) throw std::invalid_argument("env_options for 'pes' need exactly one of cluster, smiles, xyz");
  const bool cluster = o.contains("cluster");
  const std::string method = pes_method(o);
  if (cluster != is_cluster_method(method)) {
    throw std::invalid_argument("env_options for 'pes': method '" + method + "' does not fit the start");
  }
  PesEnvOptions options = PesEnvOptions::defaults_for(method);
  options.budget = value_or<int>(o, "budget", options.budget, "pes");
  options.reward.gradient_call_cost =
      value_or<double>(o, "gradient_call_cost", options.reward.gradient_call_cost, "pes");
  if (o.contains("saddle_check")) {
    options.saddle_check = parse_saddle_check(value_or<std::string>(o, "saddle_check", "", "pes"));
  }
  options.polish_fmax = value_or<double>(o, "polish_fmax", options.polish_fmax, "pes");
  if (cluster) {
    Rng rng(seed);
    options.start = random_cluster(parse_lj_cluster(value_or<std::string>(o, "cluster", "", "pes")), rng);
  } else {
    options.start = molecule_start(o);
  }
  return std::make_unique<PesEnv>(std::move(options));
}

std::unique_ptr<Env> make_design(const json& o) {
  reject_unknown(o, {"bag", "method", "canvas_size"}, "design");
  if (!o.contains("bag")) throw std::invalid_argument("env_options for 'design' need a bag (e.g. \"CH3NO\")");
  DesignEnvOptions options;
  options.task = DesignTask::from_formulas(value_or<std::string>(o, "bag", "", "design"));
  options.method = value_or<std::string>(o, "method", options.method, "design");
  options.canvas_size = value_or<int>(o, "canvas_size", options.canvas_size, "design");
  return std::make_unique<DesignEnv>(std::move(options));
}

}  // namespace

std::string pes_method(const json& env_options) {
  return value_or<std::string>(env_options, "method", env_options.contains("cluster") ? "lj" : "gfn2", "pes");
}

int parse_lj_cluster(const std::string& spec) {
  const std::string prefix = "lj:";
  const std::string count = spec.rfind(prefix, 0) == 0 ? spec.substr(prefix.size()) : "";
  char* end = nullptr;
  const long n = std::strtol(count.c_str(), &end, 10);
  if (count.empty() || *end != '\0' || n < 2 || n > 1000) {
    throw std::invalid_argument("cluster expects lj:N, N a whole number of atoms 2..1000 (e.g. lj:13), got '" + spec +
                                "'");
  }
  return static_cast<int>(n);
}

std::vector<std::string> configured_env_names() {
  std::vector<std::string> names = env_names();
  names.insert(names.end(), {"pes", "design"});
  return names;
}

std::unique_ptr<Env> make_configured_env(const std::string& name, const json& env_options, const EnvOptions& options,
                                         std::uint64_t seed) {
  if (name == "pes") return make_pes(env_options, seed);
  if (name == "design") return make_design(env_options);
  const std::vector<std::string> names = configured_env_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) {  // make_env would list the registry only
    throw std::invalid_argument("unknown env '" + name + "' (known: " + comma_separated(names) + ")");
  }
  if (!env_options.is_null() && !env_options.empty()) {
    throw std::invalid_argument("env '" + name + "' takes no env_options, got " + env_options.dump());
  }
  return make_env(name, options);
}

}  // namespace equimol::envs
