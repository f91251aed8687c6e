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

std::string agent_as_stored(const std::string& agent) {
  std::error_code error;
  if (!std::filesystem::is_directory(agent, error)) return agent;
  return std::filesystem::absolute(agent, error).lexically_normal().string();
}

bool same_agent(const std::string& a, const std::string& b) {
  std::error_code error;
  return a == b || std::filesystem::equivalent(a, b, error);
}

}  // namespace equimol::cli
