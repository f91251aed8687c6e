// equimol design as a user runs it: the JSON summary, the files, reproducibility and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "envs/design_store.h"
#include "test_support.h"

namespace equimol {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kCli = EQUIMOL_CLI;

TEST(CliDesign, RandomCampaignJsonAndFiles) {
  TempDir dir;
  const std::string out = dir.file("ch4o");
  const auto run = run_command(kCli + " design --bag CH4O --agent random --episodes 12 --seed 3 --out " + out + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  for (const char* key : {"episodes", "valid_fraction", "mean_return_ev", "best_smiles", "best_return_ev", "unique_valid_smiles"}) {
    EXPECT_TRUE(j.contains(key)) << key;
  }
  EXPECT_EQ(j["episodes"], 12);
  const double valid = j["valid_fraction"].get<double>();
  EXPECT_GE(valid, 0.0);
  EXPECT_LE(valid, 1.0);
  EXPECT_TRUE(j["mean_return_ev"].is_number());
  ASSERT_TRUE(j["unique_valid_smiles"].is_array());
  if (valid > 0.0) {
    EXPECT_TRUE(j["best_smiles"].is_string());
    EXPECT_TRUE(j["best_return_ev"].is_number());
    EXPECT_GE(j["unique_valid_smiles"].size(), 1u);
    EXPECT_GE(j["best_return_ev"].get<double>(), j["mean_return_ev"].get<double>());
  } else {
    EXPECT_TRUE(j["best_smiles"].is_null());
    EXPECT_TRUE(j["unique_valid_smiles"].empty());
  }
  for (const char* file : {"design.sqlite", "molecules.sdf", "molecules.extxyz", "top.svg"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + file)) << file;
  }
  EXPECT_EQ(envs::DesignStore(out + "/design.sqlite").count(), 12);

  // The same seed gives the same campaign.
  const auto again = run_command(kCli + " design --bag CH4O --agent random --episodes 12 --seed 3 --out " + dir.file("again") + " --json");
  ASSERT_EQ(again.exit_code, 0) << again.output;
  const auto k = nlohmann::json::parse(again.output);
  EXPECT_EQ(k["mean_return_ev"], j["mean_return_ev"]);
  EXPECT_EQ(k["unique_valid_smiles"], j["unique_valid_smiles"]);
}

TEST(CliDesign, TrainedAgentActsGreedilyOrSamplesReproducibly) {
  // A tiny run (one PPO iteration on H2O) is enough: what is tested is the path from a run directory to
  // campaigns, not the agent's quality (RESULTS.md has that).
  TempDir dir;
  const std::string run_dir = dir.file("run");
  const std::string config = dir.file("canvas.json");
  std::ofstream(config) << R"({"env_options": {"canvas_size": 6}})";
  const auto train = run_command(kCli + " train --env design --bag H2O --agent egnn --steps 256 --seed 1 --config " +
                                 config + " --out " + run_dir);
  ASSERT_EQ(train.exit_code, 0) << train.output;
  const auto design = [&](const std::string& name, const std::string& flags) {
    const auto r = run_command(kCli + " design --bag H2O --agent " + run_dir + " --out " + dir.file(name) + " --json " + flags);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return nlohmann::json::parse(r.output);
  };
  // Greedy: every episode builds the same molecule.
  const auto greedy = design("greedy", "--episodes 3 --seed 2");
  const double valid = greedy["valid_fraction"].get<double>();
  EXPECT_TRUE(valid == 0.0 || valid == 1.0) << greedy;
  EXPECT_LE(greedy["unique_valid_smiles"].size(), 1u);
  // The agent designs on the canvas it was trained on (its input includes the canvas fill).
  EXPECT_EQ(envs::DesignStore(dir.file("greedy") + "/design.sqlite").meta().at("canvas_size"), "6");
  // Sampled: a seed repeats its campaign exactly; another seed gives another one.
  const auto sampled = design("sampled", "--episodes 6 --seed 2 --sample");
  const auto again = design("again", "--episodes 6 --seed 2 --sample");
  const auto other = design("other", "--episodes 6 --seed 3 --sample");
  EXPECT_EQ(sampled["mean_return_ev"], again["mean_return_ev"]);
  EXPECT_EQ(sampled["unique_valid_smiles"], again["unique_valid_smiles"]);
  EXPECT_NE(sampled["mean_return_ev"], other["mean_return_ev"]);
  EXPECT_EQ(envs::DesignStore(dir.file("sampled") + "/design.sqlite").count(), 6);
}

// Bad input: exit code 2 and exactly one line on stderr, nothing on stdout.
class CliDesignBadInput : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

TEST_P(CliDesignBadInput, OneLineAndExitCode2) {
  TempDir dir;
  const auto& [arguments, expected] = GetParam();
  const std::string command = kCli + " design --out " + dir.file("out") + " " + arguments;
  const auto stderr_only = run_command(command + " 2>&1 >/dev/null");
  EXPECT_EQ(stderr_only.exit_code, 2) << stderr_only.output;
  EXPECT_EQ(std::count(stderr_only.output.begin(), stderr_only.output.end(), '\n'), 1) << stderr_only.output;
  EXPECT_NE(stderr_only.output.find(expected), std::string::npos) << stderr_only.output;
  EXPECT_EQ(run_command(command + " 2>/dev/null").output, "");
  EXPECT_FALSE(std::filesystem::exists(dir.file("out")));  // not even an empty folder
}

INSTANTIATE_TEST_SUITE_P(
    Design, CliDesignBadInput,
    ::testing::Values(std::make_pair("--bag Xx2 --agent random --episodes 2", "unknown element 'Xx'"),
                      std::make_pair("--bag '' --agent random --episodes 2", "empty"),
                      std::make_pair("--bag C0H4 --agent random --episodes 2", "malformed count"),
                      std::make_pair("--bag 'H2O,,CHN' --agent random --episodes 2", "is empty"),
                      std::make_pair("--bag C30H62 --agent random --episodes 2", "canvas holds 25"),
                      std::make_pair("--bag C7H10O2 --canvas-size 10 --agent random --episodes 2", "canvas holds 10"),
                      std::make_pair("--bag CH4O --agent random --episodes 0", "--episodes"),
                      std::make_pair("--bag CH4O --agent nonsense --episodes 2", "unknown agent"),
                      std::make_pair("--bag CH4O --agent /tmp --episodes 2", "has no config.json"),
                      std::make_pair("--bag CH4O --stochastic 5 --agent random --episodes 2", "MIN:MAX"),
                      std::make_pair("--bag CH4O --agent random --episodes 2 --sample", "--sample is for a trained agent"),
                      std::make_pair("--bag CH4O --agent random --episodes 2 --threads 0", "--threads: must be >= 1"),
                      std::make_pair("--bag CH4O --agent random --episodes 2 --canvas-size 0", "--canvas-size: must be >= 1"),
                      std::make_pair("--bag CH4O --agent random --episodes 2 --seed -1", "--seed: must be >= 0")));

}  // namespace
}  // namespace equimol
