// VectorEnv with Workers::kProcesses: the same results as the serial VectorEnv bit for bit (classic
// control through autoresets, a Lennard-Jones PesEnv with graph observations), snapshots through the
// sockets, errors of a worker rethrown in the parent, dead workers reported, and no zombies left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "envs/cartpole.h"
#include "envs/pes_env.h"
#include "envs/pes_explore.h"
#include "envs/registry.h"
#include "envs/vector_env.h"

namespace equimol::envs {
namespace {

VectorEnvOptions options(int num_envs, Workers workers, std::uint64_t seed, std::int64_t limit = 0) {
  VectorEnvOptions o;
  o.num_envs = num_envs;
  o.workers = workers;
  o.seed = seed;
  o.env.max_episode_steps = limit;
  return o;
}

/// Everything a step gives back, as numbers compared with ==: doubles must match bit for bit.
void append(std::vector<double>& record, const Observation& obs) {
  if (const auto* box = std::get_if<std::vector<double>>(&obs)) {
    record.insert(record.end(), box->begin(), box->end());
    return;
  }
  const auto& graph = std::get<GraphObservation>(obs);
  record.insert(record.end(), graph.atomic_numbers.begin(), graph.atomic_numbers.end());
  for (const auto* v : {&graph.positions_angstrom, &graph.node_features, &graph.globals}) {
    record.push_back(static_cast<double>(v->size()));
    record.insert(record.end(), v->begin(), v->end());
  }
}

void append(std::vector<double>& record, const VectorEnv& venv) {
  for (std::size_t i = 0; i < venv.results().size(); ++i) {
    const StepResult& r = venv.results()[i];
    append(record, r.obs);
    record.push_back(r.reward);
    record.push_back(r.terminated + 2.0 * r.truncated);
    if (r.info.episode) {
      record.push_back(r.info.episode->episode_return);
      record.push_back(static_cast<double>(r.info.episode->length));
    }
    for (const auto& [key, value] : r.info.values) {
      record.push_back(static_cast<double>(key.size()));
      record.push_back(value);
    }
    if (r.terminated || r.truncated) append(record, venv.final_observations()[i]);
  }
}

/// Pseudo-random actions from the spaces (the same sequence for both worker kinds).
std::vector<Action> random_actions(const VectorEnv& venv, Rng& rng) {
  std::vector<Action> actions;
  for (int i = 0; i < venv.num_envs(); ++i) {
    if (const auto* discrete = std::get_if<Discrete>(&venv.action_space())) {
      actions.emplace_back(std::min(discrete->n - 1, static_cast<std::int64_t>(rng.uniform01() * discrete->n)));
    } else {
      const Box& box = std::get<Box>(venv.action_space());
      std::vector<double> a;
      for (std::int64_t k = 0; k < box.dim(); ++k) a.push_back(rng.uniform(box.low[k], box.high[k]));
      actions.emplace_back(std::move(a));
    }
  }
  return actions;
}

std::vector<double> classic_trajectory(const std::string& name, Workers workers, int steps, int* episodes = nullptr) {
  VectorEnv venv(name, options(3, workers, 17));
  std::vector<double> record;
  venv.reset();
  append(record, venv);
  Rng rng(99);
  for (int t = 0; t < steps; ++t) {
    venv.step(random_actions(venv, rng));
    append(record, venv);
    for (const StepResult& r : venv.results()) {
      if (episodes != nullptr && (r.terminated || r.truncated)) ++*episodes;
    }
  }
  return record;
}

TEST(envs_SubprocessVectorEnv, CartPoleMatchesSerialBitForBit) {
  // Random actions end CartPole episodes every ~20 steps: dozens of autoresets per env.
  const std::vector<double> serial = classic_trajectory("CartPole-v1", Workers::kThreads, 2000);
  int episodes = 0;
  const std::vector<double> processes = classic_trajectory("CartPole-v1", Workers::kProcesses, 2000, &episodes);
  EXPECT_GT(episodes, 100);
  ASSERT_EQ(serial.size(), processes.size());
  EXPECT_TRUE(serial == processes);
}

TEST(envs_SubprocessVectorEnv, EveryClassicEnvMatchesSerial) {
  for (const auto& name : env_names()) {  // Discrete and Box actions, truncations at the time limits
    EXPECT_TRUE(classic_trajectory(name, Workers::kThreads, 600) == classic_trajectory(name, Workers::kProcesses, 600))
        << name;
  }
}

TEST(envs_SubprocessVectorEnv, SpacesFromTheWorkersAndNoEnvAccess) {
  VectorEnv threads("Pendulum-v1", options(2, Workers::kThreads, 0));
  VectorEnv processes("Pendulum-v1", options(2, Workers::kProcesses, 0));
  EXPECT_EQ(processes.num_envs(), 2);
  EXPECT_EQ(processes.workers(), Workers::kProcesses);
  EXPECT_EQ(std::get<Box>(processes.observation_space()).low, std::get<Box>(threads.observation_space()).low);
  EXPECT_EQ(std::get<Box>(processes.action_space()).high, std::get<Box>(threads.action_space()).high);
  EXPECT_EQ(processes.worker_pids().size(), 2u);
  EXPECT_TRUE(threads.worker_pids().empty());
  EXPECT_THROW(processes.env(0), std::logic_error);
  EXPECT_EQ(parse_workers("processes"), Workers::kProcesses);
  EXPECT_EQ(to_string(parse_workers("threads")), "threads");
  EXPECT_THROW(parse_workers("forks"), std::invalid_argument);
}

TEST(envs_SubprocessVectorEnv, SnapshotsTravelBothWays) {
  // Snapshots saved by workers load into in-process envs and back, and both continue identically.
  VectorEnv a("Acrobot-v1", options(2, Workers::kProcesses, 5));
  a.reset();
  const std::vector<Action> actions = {std::int64_t{2}, std::int64_t{0}};
  for (int t = 0; t < 10; ++t) a.step(actions);
  VectorEnv b("Acrobot-v1", options(2, Workers::kThreads, 99));
  b.load(a.save());
  VectorEnv c("Acrobot-v1", options(2, Workers::kProcesses, 7));
  c.load(b.save());
  std::vector<double> ra, rb, rc;  // load() gives observations only (reward 0, no info)
  for (int i = 0; i < 2; ++i) {
    append(ra, a.results()[i].obs);
    append(rb, b.results()[i].obs);
    append(rc, c.results()[i].obs);
  }
  for (int t = 0; t < 600; ++t) {  // through an autoreset (time limit 500)
    for (VectorEnv* venv : {&a, &b, &c}) venv->step(actions);
    append(ra, a);
    append(rb, b);
    append(rc, c);
  }
  EXPECT_TRUE(ra == rb);
  EXPECT_TRUE(ra == rc);
}

/// A small Lennard-Jones PesEnv per worker (as tests/envs/pes_env_test.cpp builds them): cheap, and
/// with graph observations, Info values and terminations at the end of the budget.
std::unique_ptr<Env> lj_env(int i) {
  PesEnvOptions o = PesEnvOptions::defaults_for("lj");
  Rng rng(40 + static_cast<std::uint64_t>(i));
  o.start = random_cluster(6, rng);
  o.budget = 7;
  return std::make_unique<PesEnv>(o);
}

std::vector<double> pes_trajectory(Workers workers, int* relaxations = nullptr) {
  VectorEnv venv(lj_env, options(2, workers, 3));
  std::vector<double> record;
  venv.reset();
  append(record, venv);
  Rng rng(11);
  const int n = 6;
  for (int t = 0; t < 20; ++t) {  // two autoresets per env (budget 7)
    std::vector<Action> actions;
    for (int i = 0; i < 2; ++i) {
      const double u = rng.uniform01();
      if (u < 0.2) {
        actions.push_back(restart_action(n));
      } else if (u < 0.5) {
        const int j = 1 + std::min(n - 2, static_cast<int>(rng.uniform01() * (n - 1)));
        actions.push_back(drive_action(n, 0, j, rng.uniform(1.0, 2.5)));
      } else {
        Positions d(n, 3);
        for (int k = 0; k < 3 * n; ++k) d.data()[k] = rng.uniform(-0.4, 0.4);
        actions.push_back(kick_action(d));
      }
    }
    venv.step(actions);
    append(record, venv);
  }
  if (relaxations != nullptr) *relaxations = static_cast<int>(venv.results()[0].info.values.at("relaxations"));
  // And the snapshots of the molecular env (registry, counters, random streams) compared as text.
  for (const std::string& snapshot : venv.save()) {
    record.push_back(static_cast<double>(std::hash<std::string>{}(snapshot)));
  }
  return record;
}

TEST(envs_SubprocessVectorEnv, LennardJonesPesEnvMatchesSerialBitForBit) {
  const std::vector<double> serial = pes_trajectory(Workers::kThreads);
  int relaxations = 0;
  const std::vector<double> processes = pes_trajectory(Workers::kProcesses, &relaxations);
  EXPECT_GE(relaxations, 6);  // since the last autoreset
  ASSERT_EQ(serial.size(), processes.size());
  EXPECT_TRUE(serial == processes);
}

/// CartPole that throws (or dies) at a given step, for the error paths.
class FailingCartPole : public CartPole {
 public:
  enum class How { kThrow, kExit };
  FailingCartPole(int fail_at, How how) : fail_at_(fail_at), how_(how) {}

 protected:
  StepOutcome step_state(const Action& action) override {
    if (++steps_ == fail_at_) {
      if (how_ == How::kExit) ::_exit(3);
      throw std::runtime_error("the reactor melted at step " + std::to_string(steps_));
    }
    return CartPole::step_state(action);
  }

 private:
  int fail_at_;
  How how_;
  int steps_ = 0;
};

bool process_gone(int pid) {
  // Reaped by us: waitpid says it is not our child, and /proc has no such process (or a reused pid).
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == -1 && errno == ECHILD;
}

TEST(envs_SubprocessVectorEnv, WorkerExceptionIsRethrownNamingTheWorker) {
  std::vector<int> pids;
  {
    VectorEnv venv([](int i) { return std::make_unique<FailingCartPole>(i == 1 ? 3 : 1000, FailingCartPole::How::kThrow); },
                   options(2, Workers::kProcesses, 0));
    pids = venv.worker_pids();
    venv.reset();
    const std::vector<Action> actions = {std::int64_t{0}, std::int64_t{0}};
    venv.step(actions);
    venv.step(actions);
    try {
      venv.step(actions);
      FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
      const std::string message = e.what();
      EXPECT_NE(message.find("VectorEnv worker 1"), std::string::npos) << message;
      EXPECT_NE(message.find("the reactor melted at step 3"), std::string::npos) << message;
    }
    // The workers are still in step: an invalid action is std::invalid_argument, as in-process.
    EXPECT_THROW(venv.step({std::int64_t{0}, std::int64_t{7}}), std::invalid_argument);
    EXPECT_NO_THROW(venv.step(actions));
  }
  for (const int pid : pids) EXPECT_TRUE(process_gone(pid)) << pid;
}

TEST(envs_SubprocessVectorEnv, FactoryErrorFailsTheConstructor) {
  try {
    VectorEnv venv(
        [](int i) -> std::unique_ptr<Env> {
          if (i == 2) throw std::invalid_argument("no such molecule");
          return std::make_unique<CartPole>();
        },
        options(3, Workers::kProcesses, 0));
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("VectorEnv worker 2"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no such molecule"), std::string::npos) << e.what();
  }
  // Every worker was reaped by the failed constructor: no child of ours is left.
  int status = 0;
  EXPECT_EQ(::waitpid(-1, &status, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST(envs_SubprocessVectorEnv, DeadWorkerIsReportedNotAHang) {
  VectorEnv venv([](int i) { return std::make_unique<FailingCartPole>(i == 0 ? 2 : 1000, FailingCartPole::How::kExit); },
                 options(2, Workers::kProcesses, 0));
  venv.reset();
  const std::vector<Action> actions = {std::int64_t{1}, std::int64_t{1}};
  venv.step(actions);
  try {
    venv.step(actions);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("VectorEnv worker 0"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("exited with status 3"), std::string::npos) << e.what();
  }
  ::kill(venv.worker_pids()[1], SIGKILL);
  try {
    venv.step(actions);
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {  // worker 0 is reported first, as gone
    EXPECT_NE(std::string(e.what()).find("not running"), std::string::npos) << e.what();
  }
  try {
    venv.save();
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not running"), std::string::npos) << e.what();
  }
}

TEST(envs_SubprocessVectorEnv, KilledWorkerNamesItsSignal) {
  VectorEnv venv("CartPole-v1", options(2, Workers::kProcesses, 0));
  venv.reset();
  ::kill(venv.worker_pids()[1], SIGKILL);
  try {
    venv.step({std::int64_t{1}, std::int64_t{1}});
    FAIL() << "no exception";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("VectorEnv worker 1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("signal 9"), std::string::npos) << e.what();
  }
}

TEST(envs_SubprocessVectorEnv, DestructorReapsEveryWorker) {
  std::vector<int> pids;
  {
    VectorEnv a("CartPole-v1", options(3, Workers::kProcesses, 0));
    VectorEnv b("CartPole-v1", options(2, Workers::kProcesses, 0));  // b's workers must not keep a's sockets
    a.reset();
    b.reset();
    pids = a.worker_pids();
    for (const int pid : b.worker_pids()) pids.push_back(pid);
    for (const int pid : pids) EXPECT_TRUE(std::filesystem::exists("/proc/" + std::to_string(pid))) << pid;
    const auto start = std::chrono::steady_clock::now();
    { VectorEnv moved = std::move(a); }  // a's workers, destroyed first, exit at once
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  }
  for (const int pid : pids) EXPECT_TRUE(process_gone(pid)) << pid;
}

/// The state letter of /proc/PID/stat ('Z' zombie), or 0 when there is no such process.
char process_state(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  const auto paren = text.rfind(')');
  return paren == std::string::npos || paren + 2 >= text.size() ? 0 : text[paren + 2];
}

TEST(envs_SubprocessVectorEnv, WorkersDieWithTheirParent) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t parent = ::fork();
  ASSERT_GE(parent, 0);
  if (parent == 0) {  // a parent process with two workers that tells us their pids and waits
    ::close(fds[0]);
    VectorEnv venv("CartPole-v1", options(2, Workers::kProcesses, 0));
    const std::vector<int> pids = venv.worker_pids();
    if (::write(fds[1], pids.data(), sizeof(int) * pids.size()) < 0) ::_exit(1);
    ::pause();
    ::_exit(0);
  }
  ::close(fds[1]);
  int pids[2] = {0, 0};
  ASSERT_EQ(::read(fds[0], pids, sizeof pids), static_cast<ssize_t>(sizeof pids));
  ::close(fds[0]);
  ::kill(parent, SIGKILL);
  int status = 0;
  ASSERT_EQ(::waitpid(parent, &status, 0), parent);
  for (const int pid : pids) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    char state = process_state(pid);
    while (state != 0 && state != 'Z' && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      state = process_state(pid);
    }
    EXPECT_TRUE(state == 0 || state == 'Z') << "worker " << pid << " still running (state " << state << ")";
  }
}

}  // namespace
}  // namespace equimol::envs
