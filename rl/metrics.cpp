#include "rl/metrics.h"

#include <unistd.h>

#include <cmath>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace equimol::rl {

std::vector<std::pair<std::string, double>> columns(const IterationStats& s) {
  return {{"iteration", static_cast<double>(s.iteration)},
          {"global_step", static_cast<double>(s.global_step)},
          {"episodes", static_cast<double>(s.episodes)},
          {"episode_return", s.episode_return},
          {"episode_length", s.episode_length},
          {"learning_rate", s.learning_rate},
          {"clip_range", s.clip_range},
          {"policy_loss", s.policy_loss},
          {"value_loss", s.value_loss},
          {"entropy", s.entropy},
          {"approx_kl", s.approx_kl},
          {"clip_fraction", s.clip_fraction},
          {"explained_variance", s.explained_variance},
          {"epochs", static_cast<double>(s.epochs)},
          {"steps_per_second", s.steps_per_second}};
}

MetricsWriter::MetricsWriter(const std::filesystem::path& run_dir) {
  const auto csv_path = run_dir / "metrics.csv";
  const bool fresh = !std::filesystem::exists(csv_path) || std::filesystem::file_size(csv_path) == 0;
  csv_.open(csv_path, std::ios::app);
  jsonl_.open(run_dir / "metrics.jsonl", std::ios::app);
  if (!csv_ || !jsonl_) throw std::runtime_error("cannot write metrics in '" + run_dir.string() + "'");
  if (fresh) {
    std::string header;
    for (const auto& [name, value] : columns(IterationStats{})) header += (header.empty() ? "" : ",") + name;
    csv_ << header << "\n";
  }
  csv_ << std::setprecision(9);
}

void MetricsWriter::write(const IterationStats& stats) {
  nlohmann::json row = nlohmann::json::object();
  bool first = true;
  for (const auto& [name, value] : columns(stats)) {
    csv_ << (first ? "" : ",");
    first = false;
    if (std::isnan(value)) {
      row[name] = nullptr;  // CSV: empty field; JSON: null
      continue;
    }
    csv_ << value;
    row[name] = value;
  }
  csv_ << "\n";
  jsonl_ << row.dump() << "\n";
  csv_.flush();
  jsonl_.flush();
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
         << "/" << total_steps_ << " return " << std::fixed << std::setprecision(1) << last_return_ << " "
         << std::setprecision(0) << s.steps_per_second << " steps/s" << std::defaultfloat << std::flush;
    return;
  }
  if (s.global_step < next_line_step_) return;
  next_line_step_ = s.global_step + std::max<std::int64_t>(1, total_steps_ / 10);
  out_ << "step " << s.global_step << "/" << total_steps_ << " return " << std::fixed << std::setprecision(1)
       << last_return_ << " steps/s " << std::setprecision(0) << s.steps_per_second << std::defaultfloat << "\n"
       << std::flush;
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
