// One writer per output folder: explore, design and train hold a lock on their --out while they write
// there, so a second run on the same folder (a resume started twice, a new campaign over a running one)
// is refused instead of interleaving its rows and files with the first's.
#pragma once

#include <string>

namespace equimol::cli {

/// An advisory lock (flock) on the folder itself: no lock file is left behind, and the kernel drops the
/// lock when the process ends, even by SIGKILL, so a killed campaign resumes without clean-up.
class FolderLock {
 public:
  FolderLock() = default;
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  /// Locks `dir` when it exists (nothing to protect yet when absent: call again once it is created; a
  /// no-op once held). Throws InputError naming the folder when another process holds it. Where flock
  /// fails otherwise (a filesystem without it), says so on stderr and runs unlocked.
  void hold(const std::string& dir);

 private:
  int fd_ = -1;
};

}  // namespace equimol::cli
