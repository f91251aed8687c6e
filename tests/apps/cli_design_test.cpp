// equimol design as a user runs it: the JSON summary, the files, reproducibility and bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "envs/design_store.h"
#include "envs/rng.h"
#include "envs/sqlite_database.h"
#include "test_support.h"

namespace equimol {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kCli = EQUIMOL_CLI;

// (episode, SMILES, return) of every stored molecule: what a resume must keep.
std::vector<std::tuple<long, std::string, double>> stored_molecules(const std::string& out) {
  std::vector<std::tuple<long, std::string, double>> rows;
  for (const auto& m : envs::DesignStore(out + "/design.sqlite").load()) rows.emplace_back(m.episode, m.smiles, m.return_ev);
  return rows;
}

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
  // Resumed with no flag but --episodes, a campaign keeps its agent, canvas and sampling; an agent given
  // by a relative path is stored absolute, so a resume from another working directory finds it.
  const auto started = run_command("cd " + dir.path().string() + " && " + kCli +
                                   " design --bag H2O --agent run --out split --episodes 3 --seed 2 --sample 2>&1");
  ASSERT_EQ(started.exit_code, 0) << started.output;
  const auto resumed = run_command("cd / && " + kCli + " design --out " + dir.file("split") + " --resume --episodes 6 --json 2>/dev/null");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto meta = envs::DesignStore(dir.file("split") + "/design.sqlite").meta();
  EXPECT_EQ(meta.at("canvas_size"), "6");
  EXPECT_EQ(meta.at("policy"), "sampled");
  EXPECT_EQ(meta.at("agent_option"), run_dir);
  const auto whole = stored_molecules(dir.file("sampled"));
  const auto split = stored_molecules(dir.file("split"));
  ASSERT_EQ(split.size(), 6u);
  EXPECT_TRUE(std::equal(split.begin(), split.begin() + 3, whole.begin()));
  // An agent whose config.json now names another method would rank energies of two methods together.
  std::filesystem::copy(run_dir, dir.file("run_m"), std::filesystem::copy_options::recursive);
  ASSERT_EQ(run_command(kCli + " design --bag H2O --agent " + dir.file("run_m") + " --episodes 1 --out " + dir.file("m") + " 2>&1").exit_code, 0);
  nlohmann::json run_config;
  std::ifstream(dir.file("run_m") + "/config.json") >> run_config;
  run_config["env_options"]["method"] = "gfn1";
  std::ofstream(dir.file("run_m") + "/config.json") << run_config.dump();
  const auto changed = run_command(kCli + " design --out " + dir.file("m") + " --resume --episodes 2 2>&1 >/dev/null");
  EXPECT_EQ(changed.exit_code, 2);
  EXPECT_NE(changed.output.find("was designed with gfn2, but the agent in"), std::string::npos) << changed.output;
}

long count_of(const std::string& text, const std::string& what) {
  long n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The metrics rows of a training run, without the wall-clock rate.
std::vector<nlohmann::json> training_rows(const std::string& run) {
  std::vector<nlohmann::json> rows;
  std::ifstream in(run + "/metrics.jsonl");
  for (std::string line; std::getline(in, line);) {
    rows.push_back(nlohmann::json::parse(line));
    rows.back().erase("steps_per_second");
  }
  return rows;
}

// A design env's snapshot (canvas and bag; E(canvas) recomputed by xtb) is its whole state, so a resumed
// training run makes exactly the updates of an uninterrupted one.
TEST(CliDesign, TrainingOnDesignResumesExactly) {
  TempDir dir;
  const std::string config = dir.file("small.json");
  std::ofstream(config) << R"({"env_options": {"canvas_size": 6}, "ppo": {"num_envs": 2, "num_steps": 32}})";
  const std::string train = kCli + " train --env design --bag H2O --agent egnn --seed 1 --config " + config;
  ASSERT_EQ(run_command(train + " --steps 192 --out " + dir.file("whole") + " 2>&1").exit_code, 0);
  ASSERT_EQ(run_command(train + " --steps 128 --out " + dir.file("split") + " 2>&1").exit_code, 0);
  const auto resumed = run_command(kCli + " train --out " + dir.file("split") + " --resume --steps 192 2>&1");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto whole = training_rows(dir.file("whole")), split = training_rows(dir.file("split"));
  ASSERT_EQ(whole.size(), 3u);
  EXPECT_EQ(split, whole);
}

// --resume continues a campaign with its stored settings (a resumed run is reproducible), --episodes
// extends it, and the summary and files cover every stored molecule.
TEST(CliDesign, ResumeContinuesACampaignWithItsSettings) {
  TempDir dir;
  std::vector<std::vector<std::tuple<long, std::string, double>>> campaigns;
  nlohmann::json summary;
  for (const char* name : {"b", "c"}) {
    const std::string out = dir.file(name);
    const auto first = run_command(kCli + " design --bag CH4O --agent random --episodes 4 --seed 5 --out " + out + " --json");
    ASSERT_EQ(first.exit_code, 0) << first.output;
    const auto before = stored_molecules(out);
    ASSERT_EQ(before.size(), 4u);
    const auto resumed = run_command(kCli + " design --out " + out + " --resume --episodes 9 --json 2>/dev/null");
    ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
    summary = nlohmann::json::parse(resumed.output);
    const auto after = stored_molecules(out);
    ASSERT_EQ(after.size(), 9u);
    EXPECT_TRUE(std::equal(before.begin(), before.end(), after.begin()));  // nothing stored is redone
    campaigns.push_back(after);
  }
  EXPECT_EQ(campaigns[0], campaigns[1]);
  EXPECT_EQ(summary["episodes"], 9);
  // The resumed episodes are a fresh stream, stream_seed(5, 4) (envs/rng.h): the campaign a new run
  // with that seed makes, not a replay of episodes 0-4.
  const std::string fresh = dir.file("fresh");
  ASSERT_EQ(run_command(kCli + " design --bag CH4O --agent random --episodes 5 --seed " +
                        std::to_string(envs::stream_seed(5, 4)) + " --out " + fresh + " 2>&1").exit_code, 0);
  const auto fresh_rows = stored_molecules(fresh);
  ASSERT_EQ(fresh_rows.size(), 5u);
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(std::get<1>(fresh_rows[k]), std::get<1>(campaigns[0][4 + k])) << k;
    EXPECT_EQ(std::get<2>(fresh_rows[k]), std::get<2>(campaigns[0][4 + k])) << k;
  }
  // The summary and the files cover the molecules stored before the resume too.
  const std::string out = dir.file("b");
  std::ifstream sdf(out + "/molecules.sdf");
  const std::string molecules((std::istreambuf_iterator<char>(sdf)), std::istreambuf_iterator<char>());
  EXPECT_EQ(count_of(molecules, "$$$$"), static_cast<long>(summary["unique_valid_smiles"].size()));
  std::set<std::string> valid_before;
  for (const auto& m : envs::DesignStore(out + "/design.sqlite").load()) {
    if (m.episode < 4 && m.valid) valid_before.insert(m.smiles);
  }
  const auto& listed = summary["unique_valid_smiles"];
  for (const std::string& smiles : valid_before) {
    EXPECT_NE(std::find(listed.begin(), listed.end(), smiles), listed.end()) << smiles;
    EXPECT_NE(molecules.find(smiles), std::string::npos) << smiles;
  }

  // Done: a resume with nothing to add writes the files again and says so. Its bag, written another
  // way ("OCH4" for the stored "CH4O"), is the same bag.
  const auto again = run_command(kCli + " design --out " + out + " --resume --bag OCH4 --episodes 6 --json 2>&1 >/dev/null");
  EXPECT_EQ(again.exit_code, 0) << again.output;
  EXPECT_NE(again.output.find("nothing to add"), std::string::npos) << again.output;
  // Other settings are refused by name, and the campaign is left as it was.
  const auto other_seed = run_command(kCli + " design --out " + out + " --resume --episodes 12 --seed 6 2>&1 >/dev/null");
  EXPECT_EQ(other_seed.exit_code, 2);
  EXPECT_NE(other_seed.output.find("was designed with --seed 5, not 6"), std::string::npos) << other_seed.output;
  const auto other_bag = run_command(kCli + " design --out " + out + " --resume --bag C2H6O 2>&1 >/dev/null");
  EXPECT_EQ(other_bag.exit_code, 2);
  EXPECT_NE(other_bag.output.find("--bag CH4O, not C2H6O"), std::string::npos) << other_bag.output;
  EXPECT_EQ(stored_molecules(out), campaigns[0]);
  // A new campaign is not written over a stored one.
  const auto over = run_command(kCli + " design --bag CH4O --agent random --episodes 2 --out " + out + " 2>&1 >/dev/null");
  EXPECT_EQ(over.exit_code, 2);
  EXPECT_NE(over.output.find("add --resume"), std::string::npos) << over.output;
  const auto nothing = run_command(kCli + " design --out " + dir.file("none") + " --resume 2>&1 >/dev/null");
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.output.find("nothing to resume"), std::string::npos) << nothing.output;
}

// A campaign relaxing its molecules and drawing stochastic bags goes on doing both when resumed bare.
TEST(CliDesign, ResumeKeepsRelaxationAndStochasticBags) {
  TempDir dir;
  const std::string out = dir.file("relaxed");
  ASSERT_EQ(run_command(kCli + " design --bag CH4O --stochastic 3:6 --relax --agent random --episodes 4 --seed 1 --out " +
                        out + " 2>&1").exit_code, 0);
  const auto resumed = run_command(kCli + " design --out " + out + " --resume --episodes 12 2>&1");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto molecules = envs::DesignStore(out + "/design.sqlite").load();
  ASSERT_EQ(molecules.size(), 12u);
  std::set<std::string> formulas;
  long relaxed_after_resume = 0;
  for (const auto& m : molecules) {
    formulas.insert(m.formula);
    if (m.episode >= 4) relaxed_after_resume += m.relaxed.has_value();
    EXPECT_EQ(m.relaxed.has_value(), m.complete && m.atoms.size() > 1) << m.episode;
  }
  EXPECT_GT(formulas.size(), 1u);  // bags of 3-6 atoms, not one formula
  EXPECT_GT(relaxed_after_resume, 0);
}

// A refused resume leaves the store as it was: another setting, an older equimol's store, an empty file.
class CliDesignRefusedResume : public ::testing::TestWithParam<std::pair<std::string, std::string>> {};

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_P(CliDesignRefusedResume, OneLineExitCode2AndTheStoreUntouched) {
  TempDir dir;
  const std::string out = dir.file("camp");
  const auto& [flags, expected] = GetParam();
  if (flags == "old store" || flags == "empty file") {
    std::filesystem::create_directories(out);
    if (flags == "old store") {
      envs::SqliteDatabase old(out + "/design.sqlite", "design database");  // the meta of the previous version
      old.set_meta({{"bag", "CH4O"}, {"agent", "random"}, {"seed", "0"}, {"episodes", "2"}, {"relax", "0"}});
    } else {
      std::ofstream(out + "/design.sqlite");
    }
  } else {
    ASSERT_EQ(run_command(kCli + " design --bag CH4O --agent random --episodes 2 --out " + out + " 2>&1").exit_code, 0);
  }
  const std::string before = file_bytes(out + "/design.sqlite");
  const std::string command = kCli + " design --out " + out + " --resume " + (flags.rfind("--", 0) == 0 ? flags : "");
  const auto stderr_only = run_command(command + " 2>&1 >/dev/null");
  EXPECT_EQ(stderr_only.exit_code, 2) << stderr_only.output;
  EXPECT_EQ(std::count(stderr_only.output.begin(), stderr_only.output.end(), '\n'), 1) << stderr_only.output;
  EXPECT_NE(stderr_only.output.find(expected), std::string::npos) << stderr_only.output;
  EXPECT_EQ(file_bytes(out + "/design.sqlite"), before);
}

INSTANTIATE_TEST_SUITE_P(
    Design, CliDesignRefusedResume,
    ::testing::Values(std::make_pair("--relax", "was designed with --relax off, not on"),
                      std::make_pair("--sample", "was designed with --sample off, not on"),
                      std::make_pair("--stochastic 3:6", "was designed with --stochastic (none), not 3:6"),
                      std::make_pair("--canvas-size 10", "was designed with --canvas-size 25, not 10"),
                      std::make_pair("--agent /tmp", "was designed with --agent random, not /tmp"),
                      std::make_pair("--bag CH4O,H2O", "was designed with --bag CH4O, not CH4O,H2O"),
                      std::make_pair("old store", "could not resume design campaigns"),
                      std::make_pair("empty file", "holds no design campaign")));

// A campaign killed with SIGKILL keeps every molecule it had stored; --resume continues it.
TEST(CliDesign, KilledCampaignLosesNothingAndResumes) {
  TempDir dir;
  const std::string out = dir.file("killed");
  testing::BackgroundProcess design(kCli + " design --bag CH4O --agent random --episodes 100000 --seed 2 --out " + out, dir);
  ASSERT_TRUE(design.started());
  for (int tries = 0; tries < 300; ++tries) {  // at most ~30 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (std::filesystem::exists(out + "/design.sqlite") && envs::DesignStore(out + "/design.sqlite").count() >= 10) break;
  }
  // While it runs, the folder is its own: a resume of it is refused by name (exit 2).
  const auto busy = run_command(kCli + " design --out " + out + " --resume 2>&1");
  EXPECT_EQ(busy.exit_code, 2) << busy.output;
  EXPECT_NE(busy.output.find(out + " is in use by another equimol run"), std::string::npos) << busy.output;
  ASSERT_TRUE(design.kill());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  const auto before = stored_molecules(out);  // everything committed up to the kill
  ASSERT_GE(before.size(), 10u);
  const long target = static_cast<long>(before.size()) + 5;
  const auto resumed = run_command(kCli + " design --out " + out + " --resume --episodes " + std::to_string(target) + " --json");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(nlohmann::json::parse(resumed.output)["episodes"], target);
  const auto after = stored_molecules(out);
  ASSERT_EQ(static_cast<long>(after.size()), target);
  EXPECT_TRUE(std::equal(before.begin(), before.end(), after.begin()));
  for (long k = 0; k < target; ++k) EXPECT_EQ(std::get<0>(after[k]), k);  // episodes numbered on, no gap
  // A resume to fewer episodes than the campaign's target does not lower it (as explore's budget).
  EXPECT_EQ(envs::read_meta(out + "/design.sqlite", "design database").at("episodes"), "100000");
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
                      std::make_pair("--bag UH2 --agent random --episodes 2", "element 'U' (Z = 92) is beyond radon"),
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
                      std::make_pair("--bag CH4O --agent random --episodes 2 --seed -1", "--seed: must be >= 0"),
                      std::make_pair("--agent random --episodes 2", "--bag is required"),
                      std::make_pair("--bag CH4O --agent random", "--episodes is required")));

}  // namespace
}  // namespace equimol
