// Helpers shared by the test suites: temporary folders, running a command, structure builders.
#pragma once

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <sys/wait.h>

#include <Eigen/Geometry>

#include "chem/atoms.h"

namespace equimol::testing {

/// A fresh folder under the system temp dir, removed with its contents at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("equimol-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout, or stdout+stderr when merged
};

/// Runs a shell command and captures its stdout (append " 2>&1" to capture stderr too).
inline CommandResult run_command(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

/// Starts a shell command in the background (its output discarded) and returns its process id ("" when
/// it could not be started): for tests that kill a running command.
inline std::string start_in_background(const std::string& command, const TempDir& dir) {
  const std::string pid_file = dir.file("background.pid");
  if (run_command("(" + command + " >/dev/null 2>&1 & echo $! > " + pid_file + ")").exit_code != 0) return "";
  std::string pid;
  std::ifstream(pid_file) >> pid;
  return pid;
}

/// Uniformly random rotation (proper, det +1) from a seeded generator.
inline Eigen::Matrix3d random_rotation(std::mt19937& rng) {
  std::normal_distribution<double> normal;
  Eigen::Quaterniond q(normal(rng), normal(rng), normal(rng), normal(rng));
  q.normalize();
  return q.toRotationMatrix();
}

}  // namespace equimol::testing
