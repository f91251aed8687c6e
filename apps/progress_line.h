// A campaign's progress on stderr (explore, design): one line rewritten in place on a terminal; in a
// log, a plain line about every twentieth of this run's work and at its end, so logs stay short.
#pragma once

#include <chrono>
#include <string>

namespace equimol::cli {

class ProgressLine {
 public:
  /// Counts are the campaign's: `first` units were done before this run (a resume), `total` is the
  /// target. The rate shown is this run's.
  ProgressLine(long first, long total, std::string rate_unit);

  /// Whether a line is due once `done` units are done (call print() only then: its text may cost).
  bool due(long done) const;
  /// Prints "<text>  <rate> <unit>/s", ending the line at the last unit (or always, off a terminal).
  void print(long done, const std::string& text) const;
  long total() const { return total_; }

 private:
  long first_;
  long total_;
  std::string rate_unit_;
  bool terminal_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace equimol::cli
