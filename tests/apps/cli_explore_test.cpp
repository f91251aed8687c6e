// equimol explore as a user runs it: outputs, JSON, resume after SIGKILL, bad input.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <thread>
#include <vector>

#include "chem/xyz_io.h"
#include "envs/campaign_store.h"
#include "envs/sqlite_database.h"
#include "test_support.h"

namespace equimol {
namespace {

using testing::run_command;
using testing::TempDir;

const std::string kCli = EQUIMOL_CLI;

TEST(CliExplore, Lj7WritesEveryOutputAndFindsTheFourMinima) {
  TempDir dir;
  const std::string out = dir.file("run");
  const auto run = run_command(kCli + " explore --cluster lj:7 --agent random --budget 300 --seed 1 --out " + out + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_EQ(j["minima"], 4);
  EXPECT_EQ(j["energy_unit"], "epsilon");
  EXPECT_NEAR(j["lowest_energy"].get<double>(), -16.505384, 1e-5);
  EXPECT_GT(j["gradient_calls"].get<long>(), j["relaxations"].get<long>());
  EXPECT_FALSE(j.contains("smiles"));  // clusters have no SMILES
  for (const char* file : {"minima.extxyz", "network.json", "network.dot", "network.svg", "campaign.sqlite"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + file)) << file;
  }
  EXPECT_FALSE(std::filesystem::exists(out + "/minima.sdf"));  // no bonds to show for a cluster
  // The files say how the campaign ran and in which units.
  std::ifstream network(out + "/network.json");
  const auto n = nlohmann::json::parse(network);
  EXPECT_EQ(n["campaign"]["agent"], "random");
  EXPECT_EQ(n["campaign"]["seed"], "1");
  EXPECT_EQ(n["campaign"]["start_option"], "--cluster lj:7");
  const auto frames = read_xyz(out + "/minima.extxyz");
  ASSERT_EQ(frames.size(), 4u);
  EXPECT_EQ(frames[0].info.at("energy_unit"), "epsilon");
  EXPECT_EQ(frames[0].info.at("length_unit"), "sigma");
}

TEST(CliExplore, MoleculeJsonListsSmiles) {
  TempDir dir;
  const auto run = run_command(kCli + " explore --smiles 'OC=CC(C)=O' --agent basin-hopping --budget 3 --out " +
                               dir.file("mol") + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const auto j = nlohmann::json::parse(run.output);
  EXPECT_EQ(j["energy_unit"], "eV");
  ASSERT_GE(j["smiles"].size(), 1u);
  EXPECT_EQ(j["smiles"][0], "CC(=O)/C=C\\O");
}

// GFN-FF sets up once per relaxation's molecule: none of its report may reach a stdout redirected to a file.
TEST(CliExplore, GfnffJsonRedirectedToAFileIsOnlyJson) {
  TempDir dir;
  const std::string file = dir.file("out.json");
  const auto run = run_command(kCli + " explore --smiles C1CC1O --method gfnff --agent basin-hopping --budget 2 --out " +
                               dir.file("run") + " --json > " + file + " 2>/dev/null");
  ASSERT_EQ(run.exit_code, 0);
  std::ifstream in(file);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_TRUE(nlohmann::json::accept(text)) << text.substr(0, 400);
  EXPECT_EQ(nlohmann::json::parse(text)["energy_unit"], "eV");
}

std::map<int, double> stored_energies(const std::string& db) {
  envs::CampaignStore store(db);
  const auto loaded = store.load(SameMinimumOptions{});
  std::map<int, double> energies;
  for (const auto& r : loaded.registry.records()) energies[r.id] = r.minimum.energy;
  return energies;
}

// A campaign killed with SIGKILL keeps every minimum it had recorded; --resume continues it.
TEST(CliExplore, KilledRunLosesNothingAndResumes) {
  TempDir dir;
  const std::string out = dir.file("lj13");
  const std::string db = out + "/campaign.sqlite";
  testing::BackgroundProcess explore(kCli + " explore --cluster lj:13 --agent random --budget 100000 --seed 3 --out " + out, dir);
  ASSERT_TRUE(explore.started());
  std::map<int, double> before;
  for (int tries = 0; tries < 300 && before.size() < 30; ++tries) {  // at most ~30 s
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    if (std::filesystem::exists(db)) before = stored_energies(db);
  }
  // While it runs, the folder is its own: a resume of it is refused by name (exit 2).
  const auto busy = run_command(kCli + " explore --out " + out + " --resume 2>&1");
  EXPECT_EQ(busy.exit_code, 2) << busy.output;
  EXPECT_NE(busy.output.find(out + " is in use by another equimol run"), std::string::npos) << busy.output;
  ASSERT_TRUE(explore.kill());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  before = stored_energies(db);  // everything committed up to the kill
  ASSERT_GE(before.size(), 30u);

  long steps_done = 0;
  {
    envs::CampaignStore store(db);
    steps_done = store.load(SameMinimumOptions{}).counters.steps;
  }
  const auto resumed = run_command(kCli + " explore --cluster lj:13 --agent random --budget " +
                                   std::to_string(steps_done + 100) + " --seed 3 --out " + out + " --resume --json");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const auto j = nlohmann::json::parse(resumed.output);
  EXPECT_EQ(j["steps"].get<long>(), steps_done + 100);
  const std::map<int, double> after = stored_energies(db);
  EXPECT_GE(after.size(), before.size());
  for (const auto& [id, energy] : before) {
    ASSERT_TRUE(after.count(id)) << "minimum " << id << " lost";
    EXPECT_EQ(after.at(id), energy);
  }
  EXPECT_EQ(j["minima"].get<size_t>(), after.size());
}

// A trained EGNN agent explores as `--agent RUN_DIR`, seeded (the same run twice gives the same
// campaign); used with another method than it learnt with, it says so on stderr.
TEST(CliExplore, TrainedAgentExploresAndWarnsAboutAnotherMethod) {
  TempDir dir;
  const std::string run = dir.file("run");
  ASSERT_EQ(run_command(kCli + " train --env pes --cluster lj:7 --budget 10 --agent egnn --steps 200 --seed 1 --out " +
                        run + " >/dev/null 2>&1")
                .exit_code,
            0);
  std::vector<nlohmann::json> summaries;
  for (const char* out : {"a", "b"}) {
    const std::string errors = dir.file(std::string(out) + ".err");
    const auto explored = run_command(kCli + " explore --cluster lj:7 --agent " + run + " --budget 20 --seed 3 --out " +
                                      dir.file(out) + " --json 2>" + errors);
    ASSERT_EQ(explored.exit_code, 0) << explored.output;
    std::ifstream stderr_file(errors);
    const std::string progress((std::istreambuf_iterator<char>(stderr_file)), std::istreambuf_iterator<char>());
    EXPECT_EQ(progress.find("warning"), std::string::npos) << progress;
    summaries.push_back(nlohmann::json::parse(explored.output));
  }
  EXPECT_EQ(summaries[0]["steps"], 20);
  EXPECT_GE(summaries[0]["minima"].get<int>(), 2);
  EXPECT_EQ(summaries[0]["gradient_calls"], summaries[1]["gradient_calls"]);
  EXPECT_EQ(summaries[0]["minima"], summaries[1]["minima"]);
  const auto molecule = run_command(kCli + " explore --smiles CC=O --agent " + run + " --budget 1 --out " +
                                    dir.file("m") + " 2>&1 >/dev/null");
  EXPECT_EQ(molecule.exit_code, 0) << molecule.output;
  EXPECT_NE(molecule.output.find("trained with method lj, this exploration uses gfn2"), std::string::npos)
      << molecule.output;
  // eval samples a PES agent's actions by default, as explore does; --greedy takes the mode.
  const auto sampled = run_command(kCli + " eval --run " + run + " --episodes 1 --json");
  ASSERT_EQ(sampled.exit_code, 0) << sampled.output;
  EXPECT_EQ(nlohmann::json::parse(sampled.output)["policy"], "sampled");
  const auto greedy = run_command(kCli + " eval --run " + run + " --episodes 1 --greedy --json");
  ASSERT_EQ(greedy.exit_code, 0) << greedy.output;
  EXPECT_EQ(nlohmann::json::parse(greedy.output)["policy"], "greedy");

  // A bare resume takes the stored agent; one whose run directory is gone is named as such.
  std::filesystem::rename(run, dir.file("moved"));
  const auto gone = run_command(kCli + " explore --out " + dir.file("a") + " --resume 2>&1 >/dev/null");
  EXPECT_EQ(gone.exit_code, 2);
  EXPECT_NE(gone.output.find("was explored by the agent in " + run + ", which is no longer there"), std::string::npos)
      << gone.output;
}

std::vector<std::string> stored_actions(const std::string& db, long* steps) {
  envs::CampaignStore store(db);
  const auto loaded = store.load(SameMinimumOptions{});
  *steps = loaded.counters.steps;
  std::vector<std::string> actions;
  for (const auto& t : loaded.transitions) actions.push_back(t.action);
  return actions;
}

// --hop-probability 1 makes every move of the random agent a hop, recorded as "hop ATOM".
TEST(CliExplore, RandomHopsAreStoredAsHops) {
  TempDir dir;
  const std::string out = dir.file("hops");
  const auto run = run_command(kCli + " explore --cluster lj:7 --agent random --drive-probability 0 --hop-probability 1 "
                                      "--budget 10 --seed 2 --out " + out + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  long steps = 0;
  const std::vector<std::string> actions = stored_actions(out + "/campaign.sqlite", &steps);
  ASSERT_EQ(steps, 10);
  for (const std::string& action : actions) EXPECT_EQ(action.rfind("hop ", 0), 0u) << action;
}

// --screen 8: the hops the random agent proposes are relaxed on a learnt model and the lowest that looks
// new is played as a kick to its model minimum, stored as "kick (screened hop I)"; --json reports this
// run's screening. The campaign keeps its screen on --resume (the model starts again from the stored
// minima) and refuses another; one made before --screen existed refuses a screen.
TEST(CliExplore, ScreenedHopsPlayKicksAndTheCampaignKeepsItsScreen) {
  TempDir dir;
  const std::string out = dir.file("screened"), db = out + "/campaign.sqlite";
  const std::string hops = " --agent random --drive-probability 0 --hop-probability 1";
  const auto run = run_command(kCli + " explore --cluster lj:8" + hops + " --screen 8 --budget 8 --seed 3 --out " + out + " --json");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const nlohmann::json summary = nlohmann::json::parse(run.output);
  long steps = 0;
  std::vector<std::string> actions = stored_actions(db, &steps);
  ASSERT_EQ(steps, 8);
  auto screened = [](const std::vector<std::string>& a, size_t from) {
    return std::count_if(a.begin() + static_cast<long>(from), a.end(),
                         [](const std::string& x) { return x.rfind("kick (screened hop ", 0) == 0; });
  };
  EXPECT_GT(screened(actions, 0), 0);
  for (const std::string& action : actions) {
    EXPECT_TRUE(action.rfind("kick (screened hop ", 0) == 0 || action.rfind("hop ", 0) == 0) << action;
  }
  EXPECT_EQ(summary["screen"]["candidates"], 8);
  EXPECT_EQ(summary["screen"]["steps"], 8);
  EXPECT_EQ(summary["screen"]["screened_steps"], screened(actions, 0));
  EXPECT_LE(summary["screen"]["screened_new"].get<long>(), screened(actions, 0));
  EXPECT_EQ(envs::CampaignStore(db).meta().at("screen"), "8");

  const auto refused = run_command(kCli + " explore --out " + out + " --resume --screen 4 2>&1");
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_NE(refused.output.find("with --screen 8, not 4"), std::string::npos) << refused.output;
  const auto resumed = run_command(kCli + " explore --out " + out + " --resume --budget 16 --json");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  actions = stored_actions(db, &steps);
  ASSERT_EQ(steps, 16);
  EXPECT_GT(screened(actions, 8), 0);  // still screened after the resume

  const std::string older = dir.file("older");
  ASSERT_EQ(run_command(kCli + " explore --cluster lj:7 --agent random --budget 3 --out " + older + " --json").exit_code, 0);
  envs::SqliteDatabase(older + "/campaign.sqlite", "campaign database").execute("DELETE FROM meta WHERE key = 'screen'");
  const auto unscreened = run_command(kCli + " explore --out " + older + " --resume --budget 4 --screen 4 2>&1");
  EXPECT_EQ(unscreened.exit_code, 2);
  EXPECT_NE(unscreened.output.find("was explored without --screen, not --screen 4"), std::string::npos) << unscreened.output;
  ASSERT_EQ(run_command(kCli + " explore --out " + older + " --resume --budget 4 --json").exit_code, 0);
  EXPECT_EQ(envs::CampaignStore(older + "/campaign.sqlite").meta().at("screen"), "0");
}

// --resume continues the stored campaign as it was: a different start, agent or seed is refused and the
// campaign is left untouched; the continued steps draw fresh actions instead of replaying the first ones.
TEST(CliExplore, ResumeKeepsTheCampaignsSettings) {
  TempDir dir;
  const std::string out = dir.file("lj7"), db = out + "/campaign.sqlite";
  ASSERT_EQ(run_command(kCli + " explore --cluster lj:7 --agent random --budget 12 --seed 4 --out " + out + " --json")
                .exit_code,
            0);
  long steps = 0;
  const std::vector<std::string> first = stored_actions(db, &steps);
  ASSERT_EQ(steps, 12);
  const std::string resume = kCli + " explore --budget 24 --out " + out + " --resume ";
  for (const auto& [args, stored] : std::vector<std::pair<std::string, std::string>>{
           {"--agent random --cluster lj:8", "with --cluster lj:7, not --cluster lj:8"},
           {"--agent basin-hopping", "with --agent random, not basin-hopping"},
           {"--agent random --seed 5", "with --seed 4, not 5"},
           {"--agent random --drive-probability 0.5", "with --drive-probability 0.3, not 0.5"},
           {"--agent random --hop-probability 0.5", "with --hop-probability 0, not 0.5"},
           {"--agent random --polish-fmax 0.0005", "with --polish-fmax 0, not 0.0005"},
           {"--agent random --screen 4", "with --screen 0, not 4"}}) {
    const auto refused = run_command(resume + args + " 2>&1");
    EXPECT_EQ(refused.exit_code, 2) << args;
    EXPECT_NE(refused.output.find(stored), std::string::npos) << refused.output;
  }
  EXPECT_EQ(stored_actions(db, &steps), first);
  EXPECT_EQ(steps, 12);

  const auto resumed = run_command(resume + "--agent random --cluster lj:7 --json");  // seed 4 from the store
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  const std::vector<std::string> all = stored_actions(db, &steps);
  ASSERT_EQ(steps, 24);
  ASSERT_EQ(all.size(), 24u);
  EXPECT_TRUE(std::equal(first.begin(), first.end(), all.begin()));
  EXPECT_FALSE(std::equal(first.begin(), first.end(), all.begin() + 12)) << "resumed steps replay the first ones";

  // Resumed bare, a killed campaign goes on with its agent to its budget (24, stored above).
  {
    envs::SqliteDatabase campaign(db, "campaign database");  // as if killed after step 18
    campaign.execute("DELETE FROM transitions WHERE step > 18");
    campaign.execute("DELETE FROM minima WHERE first_step > 18");
  }
  const auto bare = run_command(kCli + " explore --out " + out + " --resume --json");
  ASSERT_EQ(bare.exit_code, 0) << bare.output;
  EXPECT_EQ(nlohmann::json::parse(bare.output)["steps"], 24);
  EXPECT_EQ(envs::CampaignStore(db).meta().at("agent"), "random");
}

// A start file is stored by its absolute path: a resume from another working directory may name it
// either way.
TEST(CliExplore, ResumeFromAnotherFolderKnowsTheStartFile) {
  TempDir dir;
  std::ofstream(dir.file("lj3.xyz")) << "3\n\nAr 0 0 0\nAr 1.12 0 0\nAr 0.56 0.97 0\n";
  const std::string explore = kCli + " explore --method lj --agent random --budget 2 --out ";
  ASSERT_EQ(run_command("cd " + dir.path().string() + " && " + explore + "camp --xyz lj3.xyz --json 2>&1").exit_code, 0);
  const auto resumed = run_command("cd / && " + kCli + " explore --method lj --agent random --budget 4 --out " +
                                   dir.file("camp") + " --resume --xyz " + dir.file("lj3.xyz") + " --json 2>/dev/null");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(nlohmann::json::parse(resumed.output)["steps"], 4);
  {
    envs::SqliteDatabase campaign(dir.file("camp/campaign.sqlite"), "campaign database");  // as stored before: as typed
    campaign.set_meta("start_option", "--xyz lj3.xyz");
  }
  const auto older = run_command("cd " + dir.path().string() + " && " + kCli +
                                  " explore --method lj --agent random --budget 5 --out camp --resume --xyz lj3.xyz 2>&1");
  EXPECT_EQ(older.exit_code, 0) << older.output;
}

// A molecule's start is its SMILES with the options that shape it: a resume given another --charge,
// --uhf or --embed-seed is refused. A campaign killed while relaxing its start (no minima yet) is
// resumed without naming the start again and keeps the stored one.
TEST(CliExplore, ResumeKeepsAMoleculesStart) {
  TempDir dir;
  const std::string out = dir.file("ethanol"), db = out + "/campaign.sqlite";
  const std::string first = kCli + " explore --smiles CCO --method gfnff --agent random --budget 2 --seed 1 --out " + out;
  ASSERT_EQ(run_command(first + " --json 2>/dev/null").exit_code, 0);
  const std::string resume = kCli + " explore --agent random --budget 3 --out " + out + " --resume ";
  for (const auto& [args, stored] : std::vector<std::pair<std::string, std::string>>{
           {"--smiles CCO --charge 1 --uhf 1", "with --smiles CCO, not --smiles CCO --charge 1 --uhf 1"},
           {"--embed-seed 7", "with --smiles CCO, not --embed-seed 7"}}) {
    const auto refused = run_command(resume + args + " 2>&1");
    EXPECT_EQ(refused.exit_code, 2) << args;
    EXPECT_NE(refused.output.find(stored), std::string::npos) << refused.output;
  }
  {
    envs::SqliteDatabase campaign(db, "campaign database");  // as if killed during the start's relaxation
    campaign.execute("DELETE FROM minima");
    campaign.execute("DELETE FROM transitions");
  }
  const auto resumed = run_command(resume + "--json 2>/dev/null");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.output;
  EXPECT_EQ(nlohmann::json::parse(resumed.output)["steps"], 3);
  {
    envs::SqliteDatabase campaign(db, "campaign database");  // a campaign of an equimol that stored no budget
    campaign.execute("DELETE FROM meta WHERE key = 'budget'");
  }
  const auto no_budget = run_command(kCli + " explore --out " + out + " --resume 2>&1 >/dev/null");
  EXPECT_EQ(no_budget.exit_code, 2);
  EXPECT_NE(no_budget.output.find("stored no budget (an older campaign): give --budget"), std::string::npos) << no_budget.output;
  envs::CampaignStore store(db);
  EXPECT_EQ(store.meta().at("start_option"), "--smiles CCO");
}

struct BadExplore {
  std::string name;
  std::string args;
  std::string expected;
};
void PrintTo(const BadExplore& b, std::ostream* os) { *os << b.name; }

class BadExploreCli : public ::testing::TestWithParam<BadExplore> {};

TEST_P(BadExploreCli, OneLineAndExitCodeTwo) {
  TempDir dir;
  std::string args = GetParam().args;
  if (const size_t at = args.find("OUT"); at != std::string::npos) args.replace(at, 3, dir.file("out"));
  std::filesystem::create_directories(dir.file("used"));
  std::ofstream(dir.file("used/campaign.sqlite")) << "";
  if (const size_t at = args.find("USED"); at != std::string::npos) args.replace(at, 4, dir.file("used"));
  const auto run = run_command(kCli + " explore " + args + " 2>&1 >/dev/null");
  EXPECT_EQ(run.exit_code, 2) << run.output;
  EXPECT_EQ(std::count(run.output.begin(), run.output.end(), '\n'), 1) << run.output;
  EXPECT_NE(run.output.find(GetParam().expected), std::string::npos) << run.output;
  // Nothing is left behind that would block the corrected command.
  EXPECT_FALSE(std::filesystem::exists(dir.file("out") + "/campaign.sqlite"));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, BadExploreCli,
    ::testing::Values(BadExplore{"cluster_spec", "--cluster ar:7 --agent random --budget 5 --out OUT", "lj:N"},
                      BadExplore{"cluster_size", "--cluster lj:x --agent random --budget 5 --out OUT", "whole number"},
                      BadExplore{"agent", "--cluster lj:7 --agent genius --budget 5 --out OUT", "unknown agent 'genius'"},
                      BadExplore{"budget", "--cluster lj:7 --agent random --budget 0 --out OUT", "--budget"},
                      BadExplore{"no_agent", "--cluster lj:7 --budget 5 --out OUT", "--agent is required"},
                      BadExplore{"no_budget", "--cluster lj:7 --agent random --out OUT", "--budget is required"},
                      BadExplore{"method", "--cluster lj:7 --method gfn2 --agent random --budget 5 --out OUT", "--method lj"},
                      BadExplore{"existing", "--cluster lj:7 --agent random --budget 5 --out USED", "--resume"},
                      BadExplore{"nothing_to_resume", "--cluster lj:7 --agent random --budget 5 --out OUT --resume",
                                 "nothing to resume"},
                      BadExplore{"restart_molecule", "--smiles CCO --agent random-restart --budget 5 --out OUT",
                                 "atomic clusters"},
                      BadExplore{"missing_budget", "--cluster lj:7 --agent random --out OUT", "--budget"},
                      BadExplore{"huge_budget", "--cluster lj:7 --agent random --budget 3000000000 --out OUT",
                                 "--budget must be 1..2147483647"},
                      BadExplore{"negative_seed", "--cluster lj:7 --agent random --budget 5 --seed -1 --out OUT",
                                 "--seed: must be >= 0"},
                      BadExplore{"no_start", "--agent random --budget 5 --out OUT", "--cluster lj:N"},
                      BadExplore{"invalid_smiles", "--smiles C1CC --agent random --budget 5 --out OUT", "C1CC"},
                      BadExplore{"fragments", "--smiles CCO.O --agent random --budget 5 --out OUT", "2 fragments"},
                      BadExplore{"smiles_as_lj", "--smiles CCO --method lj --agent random --budget 5 --out OUT",
                                 "atomic clusters"},
                      BadExplore{"charge_of_cluster", "--cluster lj:7 --charge 1 --agent random --budget 5 --out OUT",
                                 "--charge applies to molecules"},
                      BadExplore{"uhf_parity", "--smiles CCO --uhf 1 --agent random --budget 5 --out OUT",
                                 "26 electrons cannot have 1 unpaired"},
                      BadExplore{"drive_share", "--cluster lj:7 --agent random --drive-probability 2 --budget 5 --out OUT",
                                 "--drive-probability must be in [0, 1]"},
                      BadExplore{"hop_share", "--cluster lj:7 --agent random --drive-probability 0.6 --hop-probability 0.5 --budget 5 --out OUT",
                                 "--drive-probability + --hop-probability must be <= 1"},
                      BadExplore{"hop_of_basin_hopping", "--cluster lj:7 --agent basin-hopping --hop-probability 1 --budget 5 --out OUT",
                                 "--hop-probability applies to --agent random only"},
                      BadExplore{"screen_of_basin_hopping", "--cluster lj:7 --agent basin-hopping --screen 4 --budget 5 --out OUT",
                                 "--screen applies to --agent random or a trained agent, not basin-hopping"},
                      BadExplore{"negative_screen", "--cluster lj:7 --agent random --screen -1 --budget 5 --out OUT",
                                 "--screen must be >= 0"},
                      BadExplore{"foreign_option", "--cluster lj:7 --agent random --temperature 1 --budget 5 --out OUT",
                                 "--temperature applies to --agent basin-hopping only"},
                      BadExplore{"negative_temperature",
                                 "--cluster lj:7 --agent basin-hopping --temperature -1 --budget 5 --out OUT",
                                 "--temperature must be a finite number > 0"},
                      BadExplore{"infinite_temperature",
                                 "--cluster lj:7 --agent basin-hopping --temperature inf --budget 5 --out OUT",
                                 "--temperature must be a finite number > 0, got inf"},
                      BadExplore{"nan_temperature",
                                 "--cluster lj:7 --agent basin-hopping --temperature nan --budget 5 --out OUT",
                                 "--temperature must be a finite number > 0, got nan"},
                      BadExplore{"infinite_step",
                                 "--cluster lj:7 --agent basin-hopping --step-size inf --budget 5 --out OUT",
                                 "--step-size must be a finite number > 0, got inf"},
                      BadExplore{"empty_out", "--cluster lj:7 --agent random --budget 5 --out ''", "--out needs"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace equimol
