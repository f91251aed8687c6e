#include "stored_settings.h"

#include <filesystem>

namespace equimol::cli {

void check_resume_target(const std::string& store_path, bool resume) {
  const bool exists = std::filesystem::exists(store_path);
  if (exists && !resume) {
    throw InputError(store_path + " exists: add --resume to continue that campaign, or choose another --out");
  }
  if (!exists && resume) throw InputError(store_path + ": nothing to resume");
}

void require_options(const std::set<std::string>& given, std::initializer_list<const char*> options) {
  for (const char* option : options) {
    if (!given.count(option)) throw InputError(std::string(option) + " is required (or --resume a campaign in --out)");
  }
}

std::string absolute_path(const std::string& path) {
  std::error_code error;
  const std::filesystem::path absolute = std::filesystem::absolute(path, error);
  return error ? path : absolute.lexically_normal().string();
}

std::string agent_as_stored(const std::string& agent) {
  std::error_code error;
  return std::filesystem::is_directory(agent, error) ? absolute_path(agent) : agent;
}

bool same_path(const std::string& a, const std::string& b) {
  std::error_code error;
  return a == b || std::filesystem::equivalent(a, b, error);
}

void check_stored_agent(const std::string& agent, const std::string& store_path, const std::string& verb) {
  std::error_code error;
  if (std::filesystem::path(agent).is_absolute() && !std::filesystem::is_directory(agent, error)) {
    throw InputError(store_path + " was " + verb + " by the agent in " + agent + ", which is no longer there");
  }
}

}  // namespace equimol::cli
