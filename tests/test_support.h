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

/// A shell command run in the background (its output discarded), for tests that kill it: killed with
/// SIGKILL when the test ends, however it ends, so a failed assertion leaves no process running.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& command, const TempDir& dir) {
    const std::string pid_file = dir.file("background.pid");
    if (run_command("(" + command + " >/dev/null 2>&1 & echo $! > " + pid_file + ")").exit_code != 0) return;
    std::ifstream(pid_file) >> pid_;
  }
  ~BackgroundProcess() { kill(); }
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  bool started() const { return !pid_.empty(); }
  /// SIGKILL; true when the process was still there to be killed.
  bool kill() {
    if (pid_.empty()) return false;
    const bool killed = run_command("kill -9 " + pid_ + " 2>/dev/null").exit_code == 0;
    pid_.clear();
    return killed;
  }

 private:
  std::string pid_;
};

/// Uniformly random rotation (proper, det +1) from a seeded generator.
inline Eigen::Matrix3d random_rotation(std::mt19937& rng) {
  std::normal_distribution<double> normal;
  Eigen::Quaterniond q(normal(rng), normal(rng), normal(rng), normal(rng));
  q.normalize();
  return q.toRotationMatrix();
}

}  // namespace equimol::testing
