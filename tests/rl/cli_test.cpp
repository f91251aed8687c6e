// The CLI shapes later checks call: trace, train, eval, and their one-line errors with exit code 2.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

namespace fs = std::filesystem;

struct Output {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Output equimol(const std::string& args) {
  // ctest runs the tests of this binary as parallel processes: each call gets files of its own.
  static int calls = 0;
  const std::string tag = std::to_string(getpid()) + "_" + std::to_string(calls++);
  const fs::path dir = fs::temp_directory_path();
  const fs::path out = dir / ("equimol_rl_cli_out_" + tag + ".txt"), err = dir / ("equimol_rl_cli_err_" + tag + ".txt");
  const std::string command =
      std::string(EQUIMOL_CLI) + " " + args + " > " + out.string() + " 2> " + err.string();
  const int status = std::system(command.c_str());
  Output result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp(out), slurp(err)};
  fs::remove(out);
  fs::remove(err);
  return result;
}

std::vector<nlohmann::json> json_lines(const std::string& text) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

void expect_one_line_error(const Output& o, const std::string& mention) {
  EXPECT_EQ(o.exit_code, 2) << o.err;
  EXPECT_EQ(std::count(o.err.begin(), o.err.end(), '\n'), 1) << o.err;
  EXPECT_NE(o.err.find(mention), std::string::npos) << o.err;
}

TEST(rl_Cli, TracePrintsOneJsonLinePerStep) {
  // From rest, action 1: x_dot = 88/451, theta_dot = -12/41 (see envs_CartPole tests).
  const Output o = equimol("trace --env CartPole-v1 --state 0,0,0,0 --actions 1,0,1");
  ASSERT_EQ(o.exit_code, 0) << o.err;
  const auto lines = json_lines(o.out);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_NEAR(lines[0]["obs"][1].get<double>(), 88.0 / 451.0, 1e-15);
  EXPECT_NEAR(lines[0]["obs"][3].get<double>(), -12.0 / 41.0, 1e-15);
  EXPECT_EQ(lines[0]["reward"].get<double>(), 1.0);
  EXPECT_FALSE(lines[0]["terminated"].get<bool>());
  EXPECT_FALSE(lines[0]["truncated"].get<bool>());
  EXPECT_EQ(o.out.substr(0, 8), "{\"obs\":[");

  const Output pendulum = equimol("trace --env Pendulum-v1 --state 0,0 --actions 1.0,-0.5");
  ASSERT_EQ(pendulum.exit_code, 0) << pendulum.err;
  const auto steps = json_lines(pendulum.out);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_NEAR(steps[0]["reward"].get<double>(), -0.001, 1e-15);
  EXPECT_NEAR(steps[0]["obs"][2].get<double>(), 0.15, 1e-15);

  const Output past_end = equimol("trace --env CartPole-v1 --state 2.39,1,0,0 --actions 1,1");
  const auto ended = json_lines(past_end.out);
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_TRUE(ended[0]["terminated"].get<bool>());
  EXPECT_EQ(ended[1]["reward"].get<double>(), 0.0);
}

TEST(rl_Cli, TraceRejectsBadInputWithOneLine) {
  expect_one_line_error(equimol("trace --env CartPole-v9 --state 0,0,0,0 --actions 1"), "CartPole-v9");
  expect_one_line_error(equimol("trace --env CartPole-v1 --state 0,0,x,0 --actions 1"), "'x'");
  expect_one_line_error(equimol("trace --env CartPole-v1 --state 0,0,0 --actions 1"), "4 values");
  expect_one_line_error(equimol("trace --env CartPole-v1 --state 0,0,0,0 --actions 2"), "--actions");
  expect_one_line_error(equimol("trace --env CartPole-v1 --state 0,0,0,0 --actions 0.5"), "--actions");
}

// A seed is a std::uint64_t: CLI11 read -1 as 2^64 - 1 and the run went on with it.
TEST(rl_Cli, NegativeSeedsAreRefused) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_seed_" + std::to_string(getpid()));
  const std::string out = " --out " + run.string();
  expect_one_line_error(equimol("trace --env CartPole-v1 --actions 1 --seed -1"), "--seed: must be >= 0");
  expect_one_line_error(equimol("train --env CartPole-v1 --steps 256 --seed -1" + out), "--seed: must be >= 0");
  expect_one_line_error(equimol("eval --run /nonexistent-run --seed -1"), "--seed: must be >= 0");
  // The whole unsigned range stays open.
  EXPECT_EQ(equimol("trace --env CartPole-v1 --actions 1 --seed 18446744073709551615").exit_code, 0);
  EXPECT_FALSE(fs::exists(run));
}

TEST(rl_Cli, TrainWritesTheRunDirectoryAndEvalReadsIt) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_run_" + std::to_string(getpid()));
  fs::remove_all(run);
  const Output train = equimol("train --env CartPole-v1 --agent mlp --steps 512 --seed 3 --num-envs 2 --out " +
                               run.string());
  ASSERT_EQ(train.exit_code, 0) << train.err;
  for (const char* file : {"metrics.csv", "metrics.jsonl", "checkpoint.pt", "config.json"}) {
    EXPECT_TRUE(fs::exists(run / file)) << file;
  }
  const auto config = nlohmann::json::parse(slurp(run / "config.json"));
  EXPECT_EQ(config["seed"], 3);
  EXPECT_EQ(config["ppo"]["num_envs"], 2);
  EXPECT_EQ(config["ppo"]["num_steps"], 32);  // CartPole default kept
  // 512 steps / (2 envs * 32 steps) = 8 iterations.
  EXPECT_EQ(json_lines(slurp(run / "metrics.jsonl")).size(), 8u);
  EXPECT_EQ(json_lines(slurp(run / "metrics.jsonl")).back()["global_step"], 512);

  const Output eval = equimol("eval --run " + run.string() + " --episodes 5 --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const auto result = nlohmann::json::parse(eval.out);
  EXPECT_EQ(result["episodes"], 5);
  EXPECT_GE(result["mean_return"].get<double>(), 8.0);  // CartPole episodes last at least 8 steps
  EXPECT_GE(result["std_return"].get<double>(), 0.0);
  EXPECT_EQ(eval.out.substr(0, 15), "{\"mean_return\":");
  // Sampled episodes are the seed's: the same twice (LibTorch seeds its generator randomly otherwise).
  const std::string sampled = "eval --run " + run.string() + " --episodes 5 --sampled --seed 7 --json";
  const Output first_sampled = equimol(sampled), second_sampled = equimol(sampled);
  ASSERT_EQ(first_sampled.exit_code, 0) << first_sampled.err;
  EXPECT_EQ(first_sampled.out, second_sampled.out);

  const Output resume = equimol("train --out " + run.string() + " --resume --steps 1024");
  ASSERT_EQ(resume.exit_code, 0) << resume.err;
  const auto rows = json_lines(slurp(run / "metrics.jsonl"));
  EXPECT_EQ(rows.size(), 16u);
  EXPECT_EQ(rows.back()["global_step"], 1024);

  // A run is not overwritten by a new one, nor "continued" to fewer steps than it has (which used to
  // report a 0-second run and rewrite config.json's total).
  expect_one_line_error(equimol("train --env CartPole-v1 --steps 512 --out " + run.string()), "--resume");
  expect_one_line_error(equimol("train --out " + run.string() + " --resume --steps 1050"), "at least 1088");
  EXPECT_EQ(nlohmann::json::parse(slurp(run / "config.json"))["total_steps"], 1024);
  EXPECT_EQ(json_lines(slurp(run / "metrics.jsonl")).size(), 16u);
  fs::remove_all(run);
}

// A run killed between two checkpoints logged iterations its resume runs again: the resume drops them
// from metrics.csv and metrics.jsonl, so every iteration has one row.
TEST(rl_Cli, ResumeDropsTheMetricsRowsAfterItsCheckpoint) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_kill_" + std::to_string(getpid()));
  fs::remove_all(run);
  ASSERT_EQ(equimol("train --env CartPole-v1 --steps 512 --num-envs 2 --out " + run.string()).exit_code, 0);
  // What a kill after iteration 10 leaves: the checkpoint of iteration 8 and rows 9-10 logged after it.
  std::string csv = slurp(run / "metrics.csv"), jsonl = slurp(run / "metrics.jsonl");
  const std::string csv_row8 = csv.substr(csv.rfind('\n', csv.size() - 2) + 1);
  const std::string jsonl_row8 = jsonl.substr(jsonl.rfind('\n', jsonl.size() - 2) + 1);
  for (int iteration : {9, 10}) {
    csv += std::to_string(iteration) + csv_row8.substr(csv_row8.find(','));
    jsonl += "{\"iteration\":" + std::to_string(iteration) + jsonl_row8.substr(jsonl_row8.find(','));
  }
  std::ofstream(run / "metrics.csv") << csv << "1";  // and row 10 of another run torn after its first digit
  std::ofstream(run / "metrics.jsonl") << jsonl << "{\"iteration\":11,\"glo";
  ASSERT_EQ(equimol("train --out " + run.string() + " --resume --steps 768").exit_code, 0);
  const auto rows = json_lines(slurp(run / "metrics.jsonl"));
  ASSERT_EQ(rows.size(), 12u);
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(rows[i]["iteration"], i + 1) << i;
  const std::string resumed_csv = slurp(run / "metrics.csv");
  EXPECT_EQ(std::count(resumed_csv.begin(), resumed_csv.end(), '\n'), 13);  // header + 12 rows
  EXPECT_EQ(resumed_csv.find("\n9,"), resumed_csv.rfind("\n9,"));
  fs::remove_all(run);
}

// SIGTERM (or Ctrl-C) during training ends the iteration, saves the checkpoint and exits 130 naming
// the step; the metrics end at that iteration and --resume continues from it.
TEST(rl_Cli, ASignalStopsTrainingAtACheckpoint) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_stop_" + std::to_string(getpid()));
  fs::remove_all(run);
  const fs::path err = run.string() + ".err";
  const std::string train = std::string(EQUIMOL_CLI) + " train --env CartPole-v1 --steps 20000000 --num-envs 2 --out " +
                            run.string() + " 2> " + err.string();
  const int status = std::system((train + " & pid=$!; sleep 3; kill -TERM $pid; wait $pid").c_str());
  Output stopped{WIFEXITED(status) ? WEXITSTATUS(status) : -1, "", slurp(err)};
  EXPECT_EQ(stopped.exit_code, 130) << stopped.err;
  // timeout signals the trainer and then its process group, env worker processes included: they must
  // outlive the signal until the learner has saved (a worker that died made the run fail with exit 1).
  const fs::path workers = run.string() + "_workers";
  const int timed = std::system(("timeout --preserve-status -s TERM 3 " + std::string(EQUIMOL_CLI) +
                                 " train --env CartPole-v1 --steps 20000000 --num-envs 2 --env-workers processes --out " +
                                 workers.string() + " 2> " + err.string()).c_str());
  EXPECT_EQ(WIFEXITED(timed) ? WEXITSTATUS(timed) : -1, 130) << slurp(err);
  EXPECT_TRUE(fs::exists(workers / "checkpoint.pt"));
  fs::remove_all(workers);
  fs::remove(err);
  EXPECT_NE(stopped.err.find("train interrupted at step"), std::string::npos) << stopped.err;
  ASSERT_TRUE(fs::exists(run / "checkpoint.pt"));
  const auto rows = json_lines(slurp(run / "metrics.jsonl"));
  ASSERT_GE(rows.size(), 1u);
  const std::int64_t step = rows.back()["global_step"];
  EXPECT_NE(stopped.err.find("at step " + std::to_string(step) + " of"), std::string::npos) << stopped.err;
  const Output resumed = equimol("train --out " + run.string() + " --resume --steps " + std::to_string(step + 64));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(json_lines(slurp(run / "metrics.jsonl")).size(), rows.size() + 1);
  fs::remove_all(run);
}

// eval plays under the time limit the run was trained with (config.json's max_episode_steps), not the
// env's default 500 steps: with a limit of 10, no CartPole episode returns more than 10.
TEST(rl_Cli, EvalKeepsTheRunsTimeLimit) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_limit_" + std::to_string(getpid()));
  fs::remove_all(run);
  const fs::path config = run.string() + ".json";
  std::ofstream(config) << "{\"max_episode_steps\": 10}";
  ASSERT_EQ(equimol("train --env CartPole-v1 --config " + config.string() + " --steps 256 --seed 1 --out " + run.string())
                .exit_code,
            0);
  const Output eval = equimol("eval --run " + run.string() + " --episodes 10 --json");
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  EXPECT_LE(nlohmann::json::parse(eval.out)["mean_return"].get<double>(), 10.0) << eval.out;
  fs::remove_all(run);
  fs::remove(config);
}

// One writer per run directory: a second train on the folder of a running one is refused (exit 2,
// naming the folder) before it touches the first's metrics or checkpoint; the lock dies with its holder.
TEST(rl_Cli, ASecondRunOnTheFolderOfARunningOneIsRefused) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_busy_" + std::to_string(getpid()));
  fs::remove_all(run);
  const fs::path err = run.string() + ".err", code = run.string() + ".code";
  const std::string cli = EQUIMOL_CLI;
  const std::string script = cli + " train --env CartPole-v1 --steps 20000000 --out " + run.string() +
                             " 2>/dev/null & pid=$!; sleep 2; " + cli + " train --env CartPole-v1 --steps 64 --out " +
                             run.string() + " >/dev/null 2> " + err.string() + "; echo $? > " + code.string() +
                             "; kill -9 $pid; wait $pid";
  std::system(script.c_str());
  EXPECT_EQ(slurp(code), "2\n");
  EXPECT_NE(slurp(err).find(run.string() + " is in use by another equimol run"), std::string::npos) << slurp(err);
  // Killed, the first run's folder is free again: a new run there is refused for its content, not a lock.
  const Output again = equimol("train --env CartPole-v1 --steps 64 --out " + run.string());
  EXPECT_EQ(again.err.find("in use"), std::string::npos) << again.err;
  fs::remove_all(run);
  fs::remove(err);
  fs::remove(code);
}

// A resume's summary is about its own steps: "100 more steps in S s (R steps/s), 300 in all" with
// R = 100 / S (it divided the run's 300 steps by S), and it says that none of its episodes ended
// rather than "last mean return 0.0". Episodes of 100 steps, 2 envs: the first 200 steps end one
// each, the resume's 100 none.
TEST(rl_Cli, AResumeSummarizesItsOwnSteps) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_summary_" + std::to_string(getpid()));
  fs::remove_all(run);
  const Output first = equimol("train --env pes --cluster lj:5 --budget 100 --num-envs 2 --steps 200 --seed 1 --out " +
                               run.string());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find(": 200 steps in "), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("; last mean return "), std::string::npos) << first.out;

  const Output resumed = equimol("train --out " + run.string() + " --resume --steps 300");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("), 300 in all; no episode ended in these steps; run in "), std::string::npos)
      << resumed.out;
  const std::size_t at = resumed.out.find(": 100 more steps in ");
  ASSERT_NE(at, std::string::npos) << resumed.out;
  double seconds = 0, rate = 0;
  ASSERT_EQ(std::sscanf(resumed.out.c_str() + at, ": 100 more steps in %lf s (%lf steps/s)", &seconds, &rate), 2)
      << resumed.out;
  // seconds is printed to 0.1 s: 100 steps at that rate take a time that rounds to it.
  EXPECT_LE(rate * std::max(0.0, seconds - 0.05), 100.5) << resumed.out;
  EXPECT_GE(rate * (seconds + 0.05), 99.5) << resumed.out;
  fs::remove_all(run);
}

// A run killed before its first checkpoint left a config.json and nothing to resume: a new run takes
// the folder instead of refusing it.
TEST(rl_Cli, ANewRunTakesAFolderWithoutACheckpoint) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_dead_" + std::to_string(getpid()));
  fs::remove_all(run);
  fs::create_directories(run);
  std::ofstream(run / "config.json") << R"({"env": "CartPole-v1", "total_steps": 99})";
  const Output train = equimol("train --env CartPole-v1 --steps 256 --num-envs 2 --out " + run.string());
  EXPECT_EQ(train.exit_code, 0) << train.err;
  EXPECT_EQ(nlohmann::json::parse(slurp(run / "config.json"))["total_steps"], 256);
  fs::remove_all(run);
}

// A checkpoint of another agent: one line naming the file, not LibTorch's stack trace.
TEST(rl_Cli, ACheckpointOfAnotherAgentIsOneLine) {
  const fs::path a = fs::temp_directory_path() / ("equimol_rl_cli_a_" + std::to_string(getpid()));
  const fs::path b = fs::temp_directory_path() / ("equimol_rl_cli_b_" + std::to_string(getpid()));
  fs::remove_all(a);
  fs::remove_all(b);
  ASSERT_EQ(equimol("train --env CartPole-v1 --steps 256 --num-envs 2 --out " + a.string()).exit_code, 0);
  ASSERT_EQ(equimol("train --env CartPole-v1 --agent symmetrizer --steps 256 --num-envs 2 --out " + b.string()).exit_code, 0);
  fs::copy_file(a / "checkpoint.pt", b / "checkpoint.pt", fs::copy_options::overwrite_existing);
  expect_one_line_error(equimol("eval --run " + b.string() + " --episodes 1"), "does not fit this run's agent");
  expect_one_line_error(equimol("train --out " + b.string() + " --resume --steps 512"), "does not fit");
  fs::remove_all(a);
  fs::remove_all(b);
}

// The molecular envs observe graphs, which only egnn reads: without --agent they train egnn (mlp,
// the default elsewhere, failed with "mlp agent needs Box observations").
TEST(rl_Cli, MolecularEnvsTrainEgnnByDefault) {
  const fs::path dir = fs::temp_directory_path() / ("equimol_rl_cli_egnn_" + std::to_string(getpid()));
  fs::remove_all(dir);
  const std::vector<std::pair<std::string, std::string>> runs = {
      {"pes", "--env pes --cluster lj:5 --budget 4 --steps 200"},
      {"design", "--env design --bag H2O --num-envs 1 --steps 64"}};
  for (const auto& [name, args] : runs) {
    const fs::path run = dir / name;
    const Output train = equimol("train " + args + " --seed 1 --out " + run.string());
    ASSERT_EQ(train.exit_code, 0) << args << train.err;
    EXPECT_EQ(nlohmann::json::parse(slurp(run / "config.json"))["agent"], "egnn") << args;
  }
  // A config that names its agent keeps it.
  std::ofstream(dir / "mlp.json") << "{\"agent\": \"mlp\"}";
  expect_one_line_error(equimol("train --env pes --cluster lj:5 --steps 200 --config " + (dir / "mlp.json").string() +
                                " --out " + (dir / "mlp").string()),
                        "mlp agent needs Box observations");
  fs::remove_all(dir);
}

// train builds its PES start in envs::make_configured_env, not through the CLI's load_structure: a start
// without electrons or with an impossible uhf is refused with explore's line and exit code, before
// anything is written. [H+] was refused for having one atom, the others with a "pes: the start's" prefix.
TEST(rl_Cli, TrainRefusesAnImpossibleStartAsExploreDoes) {
  const fs::path dir = fs::temp_directory_path() / ("equimol_rl_cli_electrons_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "h2.xyz") << "2\nuhf=1\nH 0 0 0\nH 0 0 0.74\n";  // 2 electrons, 1 unpaired
  const std::string out = " --out " + (dir / "run").string();
  const std::vector<std::string> starts = {"--smiles '[H+]'", "--smiles '[H+].[H+]'", "--smiles '[H-2].[H]'",
                                           "--xyz " + (dir / "h2.xyz").string()};
  for (const std::string& start : starts) {
    const Output explore = equimol("explore " + start + " --agent random --budget 2" + out);
    expect_one_line_error(explore, "electrons");
    const Output train = equimol("train --env pes " + start + " --steps 200" + out);
    EXPECT_EQ(train.exit_code, explore.exit_code) << start;
    EXPECT_EQ(train.err, explore.err) << start;
  }
  EXPECT_FALSE(fs::exists(dir / "run"));
  fs::remove_all(dir);
}

TEST(rl_Cli, TrainAndEvalRejectBadInputWithOneLine) {
  const fs::path run = fs::temp_directory_path() / ("equimol_rl_cli_bad_" + std::to_string(getpid()));
  const std::string out = " --out " + run.string();
  expect_one_line_error(equimol("train --env NoSuchEnv-v0 --steps 512" + out), "NoSuchEnv-v0");
  expect_one_line_error(equimol("train --env NoSuchEnv-v0 --steps 512" + out), "Pendulum-v1, pes, design)");
  EXPECT_NE(equimol("train --help").out.find("Pendulum-v1, pes, design"), std::string::npos);
  expect_one_line_error(equimol("train --agent transformer --steps 512" + out), "transformer");
  expect_one_line_error(equimol("train --steps abc" + out), "--steps");
  expect_one_line_error(equimol("train --steps -5" + out), "--steps");
  expect_one_line_error(equimol("train --config /nonexistent.json" + out), "/nonexistent.json");
  const fs::path bad = fs::temp_directory_path() / ("equimol_rl_cli_bad_" + std::to_string(getpid()) + ".json");
  std::ofstream(bad) << "{\"ppo\": {\"gamma\": ";
  expect_one_line_error(equimol("train --config " + bad.string() + out), bad.string());
  std::ofstream(bad) << "{\"ppo\": {\"gama\": 0.9}}";
  expect_one_line_error(equimol("train --config " + bad.string() + out), "gama");
  std::ofstream(bad) << "{\"ppo\": {\"num_minibatches\": 7}}";
  expect_one_line_error(equimol("train --config " + bad.string() + out), "num_minibatches");
  fs::remove(bad);
  expect_one_line_error(equimol("train --resume --out /nonexistent-run"), "/nonexistent-run");
  expect_one_line_error(equimol("train --resume --seed 5 --out /nonexistent-run"), "--seed cannot change a resumed run");
  expect_one_line_error(equimol("train --resume --config x.json --out /nonexistent-run"), "--config cannot change");
  expect_one_line_error(equimol("eval --run /nonexistent-run --episodes 3"), "/nonexistent-run");
  const fs::path unknown = fs::temp_directory_path() / ("equimol_rl_cli_unknown_" + std::to_string(getpid()));
  fs::create_directories(unknown);
  std::ofstream(unknown / "config.json") << R"({"env": "NoSuchEnv-v0"})";
  expect_one_line_error(equimol("eval --run " + unknown.string() + " --episodes 1"), "Pendulum-v1, pes, design)");
  fs::remove_all(unknown);
  expect_one_line_error(equimol("eval --run /tmp --episodes 0"), "--episodes: must be >= 1, got 0");
  expect_one_line_error(equimol("train --steps 0" + out), "--steps: must be >= 1, got 0");
  expect_one_line_error(equimol("train --env pes --smiles '[H+].[H+]' --steps 64" + out), "leaves no electrons");
  expect_one_line_error(equimol("train --steps 512 --out ''"), "output folder name is empty");
  const fs::path file = fs::temp_directory_path() / ("equimol_rl_cli_file_" + std::to_string(getpid()));
  std::ofstream(file) << "not a folder";
  expect_one_line_error(equimol("train --steps 512 --out " + file.string()), "cannot create the output folder");
  fs::remove(file);
  EXPECT_FALSE(fs::exists(run / "checkpoint.pt"));
  fs::remove_all(run);
}

}  // namespace
