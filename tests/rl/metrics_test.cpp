// Metrics files: one header, rows appended across writers, counters as integers, NaN as empty/null.
#include "rl/metrics.h"

#include <gtest/gtest.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace equimol::rl {
namespace {

std::vector<std::string> lines(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::vector<std::string> result;
  for (std::string line; std::getline(in, line);) result.push_back(line);
  return result;
}

TEST(rl_Metrics, WritesCsvAndJsonlRowsAndAppendsOnResume) {
  const auto dir = std::filesystem::temp_directory_path() / ("equimol_rl_metrics_test_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  IterationStats stats;
  stats.iteration = 1;
  stats.global_step = 256;
  stats.episode_return = std::nan("");
  stats.policy_loss = -0.5;
  { MetricsWriter(dir).write(stats); }
  stats.iteration = 2;
  stats.episode_return = 21.5;
  { MetricsWriter(dir).write(stats); }  // a resumed run appends, without a second header

  const auto csv = lines(dir / "metrics.csv");
  ASSERT_EQ(csv.size(), 3u);
  EXPECT_EQ(csv[0].rfind("iteration,global_step,episodes,episode_return,", 0), 0u);
  EXPECT_EQ(csv[1].rfind("1,256,0,,", 0), 0u) << csv[1];  // NaN return: empty field
  EXPECT_EQ(csv[2].rfind("2,256,0,21.5,", 0), 0u) << csv[2];

  const auto jsonl = lines(dir / "metrics.jsonl");
  ASSERT_EQ(jsonl.size(), 2u);
  const auto first = nlohmann::json::parse(jsonl[0]);
  EXPECT_TRUE(first["episode_return"].is_null());
  EXPECT_TRUE(first["global_step"].is_number_integer());
  EXPECT_EQ(first["policy_loss"].get<double>(), -0.5);
  EXPECT_EQ(jsonl[0].rfind("{\"iteration\":1,", 0), 0u);  // file order, not alphabetical
  std::filesystem::remove_all(dir);
}

TEST(rl_Metrics, ProgressPrintsPlainLinesWhenNotATerminal) {
  std::ostringstream out;
  Progress progress(1000, out, /*is_terminal=*/false);
  IterationStats stats;
  for (std::int64_t step = 50; step <= 1000; step += 50) {
    stats.global_step = step;
    stats.episode_return = static_cast<double>(step) / 10;
    progress.update(stats);
  }
  progress.finish();
  const std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  // Steps 50, 150, ..., 950 (every tenth of the run) and the last one.
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 11) << text;
  EXPECT_NE(text.find("step 1000/1000 return 100.0"), std::string::npos) << text;
}

// Until an episode ends there is no return to show: "-", not a made-up 0.0 (long PES episodes, or a
// resume that ends none).
TEST(rl_Metrics, ProgressShowsNoReturnBeforeAnEpisodeEnds) {
  std::ostringstream out;
  Progress progress(200, out, /*is_terminal=*/false);
  IterationStats stats;
  stats.global_step = 100;
  stats.episode_return = std::nan("");
  progress.update(stats);
  stats.global_step = 200;
  stats.episode_return = -2.5;
  progress.update(stats);
  const std::string text = out.str();
  EXPECT_NE(text.find("step 100/200 return - steps/s"), std::string::npos) << text;
  EXPECT_NE(text.find("step 200/200 return -2.5 steps/s"), std::string::npos) << text;
}

}  // namespace
}  // namespace equimol::rl
