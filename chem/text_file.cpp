#include "text_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace equimol {

void write_text_file(const std::string& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) throw std::runtime_error(path + ": cannot write file (" + std::strerror(errno) + ")");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();  // the buffered bytes reach the file here, or fail to
  if (!out) {
    const std::string reason = errno ? std::strerror(errno) : "I/O error";
    std::error_code ignored;
    if (std::filesystem::is_regular_file(path, ignored)) std::filesystem::remove(path, ignored);  // no half file
    throw std::runtime_error(path + ": write failed (" + reason + ")");
  }
}

}  // namespace equimol
