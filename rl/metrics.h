// Training metrics: one row per PPO iteration to RUN_DIR/metrics.csv and RUN_DIR/metrics.jsonl,
// and a progress display (a bar on a terminal, plain lines otherwise). No LibTorch here.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace equimol::rl {

/// One iteration's figures, in CleanRL's groups: charts/ (episodes, rates) and losses/.
struct IterationStats {
  std::int64_t iteration = 0;
  std::int64_t global_step = 0;       // env steps so far, over all envs
  std::int64_t episodes = 0;          // episodes that ended in this iteration's rollout
  double episode_return = 0.0;        // their mean undiscounted return (NaN when none ended)
  double episode_length = 0.0;        // their mean length (NaN when none ended)
  double learning_rate = 0.0;
  double clip_range = 0.0;
  double policy_loss = 0.0;
  double value_loss = 0.0;
  double entropy = 0.0;
  double approx_kl = 0.0;
  double clip_fraction = 0.0;
  double explained_variance = 0.0;
  std::int64_t epochs = 0;            // epochs run (fewer when target_kl stopped them)
  double steps_per_second = 0.0;      // env steps per wall-clock second since the run (re)started
};

/// One metrics column: counters are written as integers, the rest as reals.
struct Column {
  std::string name;
  double value;
  bool integer;
};

/// The columns in file order.
std::vector<Column> columns(const IterationStats& stats);

/// Drops the rows of metrics.csv and metrics.jsonl after `last_iteration`: a run killed between two
/// checkpoints logged iterations that its resume runs again. Each file is rewritten through a
/// temporary and renamed; a missing file is left missing.
void truncate_metrics(const std::filesystem::path& run_dir, std::int64_t last_iteration);

/// Appends rows to metrics.csv (header written when the file is new) and metrics.jsonl.
class MetricsWriter {
 public:
  explicit MetricsWriter(const std::filesystem::path& run_dir);
  void write(const IterationStats& stats);

 private:
  std::ofstream csv_;
  std::ofstream jsonl_;
};

/// Progress over total_steps: redraws one bar line when `out` is a terminal, otherwise prints a
/// plain line at the start, about every tenth of the run, and at the end.
class Progress {
 public:
  Progress(std::int64_t total_steps, std::ostream& out, bool is_terminal);
  void update(const IterationStats& stats);
  void finish();

 private:
  std::string last_return_text() const;

  std::int64_t total_steps_;
  std::ostream& out_;
  bool is_terminal_;
  std::int64_t next_line_step_ = 0;
  std::optional<double> last_return_;  // empty until an episode ends: shown as "-", not as 0.0
};

/// True when the stream's file descriptor (stdout or stderr) is a terminal.
bool is_terminal(const std::ostream& out);

}  // namespace equimol::rl
