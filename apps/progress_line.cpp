#include "progress_line.h"

#include <unistd.h>

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <sstream>

namespace equimol::cli {

ProgressLine::ProgressLine(long first, long total, std::string rate_unit)
    : first_(first),
      total_(total),
      rate_unit_(std::move(rate_unit)),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

bool ProgressLine::due(long done) const {
  return terminal_ || done == total_ || (done - first_) % std::max(1L, (total_ - first_) / 20) == 0;
}

void ProgressLine::print(long done, const std::string& text) const {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::ostringstream line;
  line << text << "  " << std::setprecision(3) << (done - first_) / std::max(seconds, 1e-9) << " " << rate_unit_ << "/s";
  const bool last = done == total_;
  std::cerr << (terminal_ ? "\r" : "") << line.str() << (terminal_ && !last ? "" : "\n") << std::flush;
}

}  // namespace equimol::cli
