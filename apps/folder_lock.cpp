#include "folder_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "chem/errors.h"

namespace equimol::cli {
namespace {

void warn_unlocked(const std::string& dir, int error) {
  std::cerr << "equimol: warning: " << dir << " could not be locked (" << std::strerror(error)
            << "): a second run writing there would not be refused\n";
}

}  // namespace

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

void FolderLock::hold(const std::string& dir) {
  if (fd_ >= 0) return;
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // absent (nothing to protect yet), or not a folder: the command's writes say so
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) {
    fd_ = fd;
    return;
  }
  const int error = errno;
  ::close(fd);
  if (error == EWOULDBLOCK) {
    throw InputError(dir + " is in use by another equimol run writing there: wait for it to end, or choose another --out");
  }
  warn_unlocked(dir, error);
}

}  // namespace equimol::cli
