#include "rl/metrics.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>

namespace equimol::rl {

std::vector<Column> columns(const IterationStats& s) {
  const auto count = [](std::int64_t n) { return static_cast<double>(n); };
  return {{"iteration", count(s.iteration), true},
          {"global_step", count(s.global_step), true},
          {"episodes", count(s.episodes), true},
          {"episode_return", s.episode_return, false},
          {"episode_length", s.episode_length, false},
          {"learning_rate", s.learning_rate, false},
          {"clip_range", s.clip_range, false},
          {"policy_loss", s.policy_loss, false},
          {"value_loss", s.value_loss, false},
          {"entropy", s.entropy, false},
          {"approx_kl", s.approx_kl, false},
          {"clip_fraction", s.clip_fraction, false},
          {"explained_variance", s.explained_variance, false},
          {"epochs", count(s.epochs), true},
          {"steps_per_second", s.steps_per_second, false}};
}

namespace {

/// Keeps the lines for which keep(line) holds (the file's first line always when keep_first).
void filter_lines(const std::filesystem::path& path, bool keep_first, const std::function<bool(const std::string&)>& keep) {
  std::ifstream in(path);
  if (!in) return;
  const std::filesystem::path tmp = path.string() + ".tmp";
  std::ofstream out(tmp);
  std::string line;
  for (bool first = true; std::getline(in, line); first = false) {
    if ((first && keep_first) || keep(line)) out << line << "\n";
  }
  out.close();
  if (!out) throw std::runtime_error("cannot rewrite '" + path.string() + "'");
  std::filesystem::rename(tmp, path);
}

}  // namespace

void truncate_metrics(const std::filesystem::path& run_dir, std::int64_t last_iteration) {
  // The iteration is the first CSV field and the "iteration" key. A line that does not parse is the
  // row a kill tore in half: dropped too.
  const auto fields = static_cast<std::ptrdiff_t>(columns(IterationStats{}).size());
  filter_lines(run_dir / "metrics.csv", true, [&](const std::string& line) {
    if (std::count(line.begin(), line.end(), ',') != fields - 1) return false;  // torn: "6" of "65,..."
    try {
      return std::stoll(line.substr(0, line.find(','))) <= last_iteration;
    } catch (const std::logic_error&) {
      return false;
    }
  });
  filter_lines(run_dir / "metrics.jsonl", false, [&](const std::string& line) {
    const auto row = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    return row.is_object() && row.contains("iteration") && row["iteration"].is_number_integer() &&
           row["iteration"].get<std::int64_t>() <= last_iteration;
  });
}

MetricsWriter::MetricsWriter(const std::filesystem::path& run_dir) {
  const auto csv_path = run_dir / "metrics.csv";
  const bool fresh = !std::filesystem::exists(csv_path) || std::filesystem::file_size(csv_path) == 0;
  csv_.open(csv_path, std::ios::app);
  jsonl_.open(run_dir / "metrics.jsonl", std::ios::app);
  if (!csv_ || !jsonl_) throw std::runtime_error("cannot write metrics in '" + run_dir.string() + "'");
  if (fresh) {
    std::string header;
    for (const Column& column : columns(IterationStats{})) header += (header.empty() ? "" : ",") + column.name;
    csv_ << header << "\n";
  }
  csv_ << std::setprecision(9);
}

void MetricsWriter::write(const IterationStats& stats) {
  nlohmann::ordered_json row = nlohmann::ordered_json::object();
  bool first = true;
  for (const Column& column : columns(stats)) {
    csv_ << (first ? "" : ",");
    first = false;
    if (std::isnan(column.value)) {
      row[column.name] = nullptr;  // CSV: empty field; JSON: null
    } else if (column.integer) {
      const auto value = static_cast<std::int64_t>(column.value);
      csv_ << value;
      row[column.name] = value;
    } else {
      csv_ << column.value;
      row[column.name] = column.value;
    }
  }
  csv_ << "\n";
  jsonl_ << row.dump() << "\n";
  csv_.flush();
  jsonl_.flush();
  if (!csv_ || !jsonl_) throw std::runtime_error("metrics: a row could not be written (disk full?)");
}

Progress::Progress(std::int64_t total_steps, std::ostream& out, bool is_terminal)
    : total_steps_(total_steps), out_(out), is_terminal_(is_terminal) {}

void Progress::update(const IterationStats& s) {
  if (!std::isnan(s.episode_return)) last_return_ = s.episode_return;
  const double fraction = std::min(1.0, static_cast<double>(s.global_step) / static_cast<double>(total_steps_));
  if (is_terminal_) {
    constexpr int kBarWidth = 30;
    const int filled = static_cast<int>(fraction * kBarWidth);
    out_ << "\r[" << std::string(filled, '#') << std::string(kBarWidth - filled, ' ') << "] " << s.global_step
         << "/" << total_steps_ << " return " << last_return_text() << " " << std::fixed << std::setprecision(0)
         << s.steps_per_second << " steps/s" << std::defaultfloat << std::flush;
    return;
  }
  if (s.global_step < next_line_step_ && s.global_step < total_steps_) return;  // always the last
  next_line_step_ = s.global_step + std::max<std::int64_t>(1, total_steps_ / 10);
  out_ << "step " << s.global_step << "/" << total_steps_ << " return " << last_return_text() << " steps/s "
       << std::fixed << std::setprecision(0) << s.steps_per_second << std::defaultfloat << "\n"
       << std::flush;
}

std::string Progress::last_return_text() const {
  if (!last_return_) return "-";
  std::ostringstream text;
  text << std::fixed << std::setprecision(1) << *last_return_;
  return text.str();
}

void Progress::finish() {
  if (is_terminal_) out_ << "\n" << std::flush;
}

bool is_terminal(const std::ostream& out) {
  if (&out == &std::cout) return isatty(STDOUT_FILENO) != 0;
  if (&out == &std::cerr || &out == &std::clog) return isatty(STDERR_FILENO) != 0;
  return false;
}

}  // namespace equimol::rl
