#include "envs/subprocess_workers.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>

#include "envs/vector_env.h"
#include "envs/wire.h"

namespace equimol::envs {

namespace {

enum Command : std::uint8_t { kReset = 1, kStep = 2, kSave = 3, kLoad = 4 };
enum Status : std::uint8_t { kOk = 0, kInvalidArgument = 1, kError = 2 };

constexpr auto kExitGrace = std::chrono::seconds(2);  // for a worker to finish its step and exit

std::string errno_text(const std::string& what) { return what + ": " + std::strerror(errno); }

// Messages are frames: an 8-byte length, then the payload. send() with MSG_NOSIGNAL so that writing
// to a dead worker is an error code here rather than a SIGPIPE that kills the parent.
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::send(fd, data, size, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool read_all(int fd, char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::read(fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;  // error or the other end closed
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

bool send_frame(int fd, const std::string& payload) {
  const std::uint64_t size = payload.size();
  return write_all(fd, reinterpret_cast<const char*>(&size), sizeof size) &&
         write_all(fd, payload.data(), payload.size());
}

bool receive_frame(int fd, std::string& payload) {
  std::uint64_t size = 0;
  if (!read_all(fd, reinterpret_cast<char*>(&size), sizeof size)) return false;
  payload.resize(size);
  return read_all(fd, payload.data(), payload.size());
}

// The parent's ends of every worker socket of this process. A worker closes them all after fork:
// were it to keep a copy of another worker's socket, that worker would not see its socket close
// when the parent closes it (or dies).
std::mutex parent_fds_mutex;
std::set<int>& parent_fds() {
  static std::set<int> fds;
  return fds;
}

// Writes body's reply into out; an exception replaces it with an error reply (std::invalid_argument
// keeps its own status, so the parent can rethrow it as one).
template <typename Body>
void reply(wire::Writer& out, Body&& body) {
  const auto fail = [&out](Status status, const std::string& message) {
    out.clear();
    out.u8(status);
    out.str(message);
  };
  out.clear();
  try {
    body();
  } catch (const std::invalid_argument& e) {
    fail(kInvalidArgument, e.what());
  } catch (const std::exception& e) {
    fail(kError, e.what());
  } catch (...) {
    fail(kError, "unknown exception");
  }
}

// The worker's side: build the env, report its spaces, then answer commands until the socket closes.
int serve(int fd, const SubprocessWorkers::MakeEnv& make_env, int index) {
  wire::Writer out;
  std::unique_ptr<Env> env;
  reply(out, [&] {
    env = make_env(index);
    out.u8(kOk);
    wire::write(out, env->observation_space());
    wire::write(out, env->action_space());
  });
  if (!send_frame(fd, out.bytes()) || !env) return 1;

  std::string request;
  StepResult result;  // kept between steps, as VectorEnv keeps results()[i]
  Observation final_obs;
  Action action;
  while (receive_frame(fd, request)) {
    reply(out, [&] {
      wire::Reader in(request);
      switch (in.u8()) {
        case kReset:
          env->reset_into(static_cast<std::uint64_t>(in.i64()), result.obs, result.info);
          out.u8(kOk);
          wire::write(out, result.obs);
          wire::write(out, result.info);
          break;
        case kStep:
          wire::read(in, action);
          step_with_autoreset(*env, action, result, final_obs);
          out.u8(kOk);
          wire::write(out, result);
          if (result.terminated || result.truncated) wire::write(out, final_obs);
          break;
        case kSave:
          out.u8(kOk);
          out.str(env->save());
          break;
        case kLoad:
          env->load(in.str());
          result = StepResult{};
          result.obs = env->observe();
          out.u8(kOk);
          wire::write(out, result.obs);
          break;
        default:
          throw std::runtime_error("unknown command");
      }
    });
    if (!send_frame(fd, out.bytes())) return 1;
  }
  return 0;  // the parent closed the socket: a normal end
}

[[noreturn]] void run_worker(int fd, const SubprocessWorkers::MakeEnv& make_env, int index, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // die with the parent, even in the middle of a long step
  // A Ctrl-C, or a SIGTERM from timeout or a batch scheduler, reaches the whole process group: the
  // parent decides (train checkpoints and stops, then closes the workers), so a worker must not die
  // under it mid-step. It still dies with the parent (PR_SET_PDEATHSIG).
  std::signal(SIGINT, SIG_IGN);
  std::signal(SIGTERM, SIG_IGN);
  if (::getppid() != parent) ::_exit(1);  // the parent died before prctl
  int code = 1;
  try {
    // Serve on a fresh thread: libgomp's thread pool does not survive fork, and a parallel region
    // opened on the forking thread would wait forever for the parent's pool threads; a new thread
    // starts a new pool.
    std::thread thread([&] { code = serve(fd, make_env, index); });
    thread.join();
  } catch (...) {
  }
  std::fflush(nullptr);
  ::_exit(code);  // no atexit handlers or static destructors of the parent's copy
}

std::string describe_status(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    return "was killed by signal " + std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  }
  return "ended with wait status " + std::to_string(status);
}

}  // namespace

struct SubprocessWorkers::Worker {
  pid_t pid = -1;
  int fd = -1;           // the parent's end of the socket; -1 once closed
  bool reaped = false;
  std::string end;       // how the process ended, once reaped

  ~Worker() {
    close_socket();
    reap(std::chrono::steady_clock::now() + kExitGrace);
  }

  void close_socket() {
    if (fd < 0) return;
    {
      std::lock_guard<std::mutex> lock(parent_fds_mutex);
      parent_fds().erase(fd);
    }
    ::close(fd);
    fd = -1;
  }

  /// Waits for the worker to exit until `deadline`, then kills it.
  void reap(std::chrono::steady_clock::time_point deadline) {
    if (reaped) return;
    reaped = true;
    int status = 0;
    while (true) {
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid) break;
      if (r < 0 && errno != EINTR) {  // not our child any more (someone else reaped it)
        end = "is gone";
        return;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ::kill(pid, SIGKILL);
        while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    end = describe_status(status);
  }
};

SubprocessWorkers::SubprocessWorkers(const MakeEnv& make_env, int num_envs) {
  // Output still buffered here would be written again by every worker.
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  const pid_t parent = ::getpid();
  for (int i = 0; i < num_envs; ++i) {
    int sockets[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0) {
      throw std::runtime_error(errno_text("VectorEnv: socketpair"));
    }
    std::set<int> inherited;
    {
      std::lock_guard<std::mutex> lock(parent_fds_mutex);
      inherited = parent_fds();
    }
    const pid_t pid = ::fork();
    if (pid < 0) {
      const std::string message = errno_text("VectorEnv: fork of worker " + std::to_string(i));
      ::close(sockets[0]);
      ::close(sockets[1]);
      throw std::runtime_error(message);
    }
    if (pid == 0) {
      ::close(sockets[0]);
      for (const int fd : inherited) ::close(fd);
      run_worker(sockets[1], make_env, i, parent);
    }
    ::close(sockets[1]);
    auto worker = std::make_unique<Worker>();
    worker->pid = pid;
    worker->fd = sockets[0];
    {
      std::lock_guard<std::mutex> lock(parent_fds_mutex);
      parent_fds().insert(sockets[0]);
    }
    workers_.push_back(std::move(worker));
  }
  // Each worker's first message: its spaces, or why make_env failed.
  exchange({}, [this](std::size_t i, wire::Reader& in) {
    Space observation, action;
    wire::read(in, observation);
    wire::read(in, action);
    if (i == 0) {
      observation_space_ = std::move(observation);
      action_space_ = std::move(action);
    }
  });
}

SubprocessWorkers::~SubprocessWorkers() {
  for (auto& worker : workers_) worker->close_socket();  // all workers start exiting together
  const auto deadline = std::chrono::steady_clock::now() + kExitGrace;
  for (auto& worker : workers_) worker->reap(deadline);
}

std::vector<pid_t> SubprocessWorkers::pids() const {
  std::vector<pid_t> pids;
  for (const auto& worker : workers_) pids.push_back(worker->pid);
  return pids;
}

void SubprocessWorkers::exchange(const std::vector<std::string>& requests,
                                 const std::function<void(std::size_t, wire::Reader&)>& on_reply) {
  std::string error;  // the first failure, thrown after every worker has answered
  bool invalid_argument = false;
  const auto record = [&](std::size_t i, pid_t pid, const std::string& message, bool invalid) {
    if (!error.empty()) return;
    error = "VectorEnv worker " + std::to_string(i) + " (pid " + std::to_string(pid) + ") " + message;
    invalid_argument = invalid;
  };
  std::vector<bool> sent(workers_.size(), true);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    sent[i] = workers_[i]->fd >= 0 && send_frame(workers_[i]->fd, requests[i]);
  }
  std::string reply;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    Worker& worker = *workers_[i];
    const pid_t pid = worker.pid;
    if (worker.fd < 0) {
      record(i, pid, "is not running: it " + worker.end + " earlier", false);
      continue;
    }
    if (!sent[i] || !receive_frame(worker.fd, reply)) {  // the worker closed its socket: it died
      worker.close_socket();
      worker.reap(std::chrono::steady_clock::now() + kExitGrace);
      record(i, pid, "died: it " + worker.end, false);
      continue;
    }
    try {
      wire::Reader in(reply);
      const std::uint8_t status = in.u8();
      if (status == kOk) {
        on_reply(i, in);
      } else {
        record(i, pid, "failed: " + in.str(), status == kInvalidArgument);
      }
    } catch (const std::exception& e) {  // a garbled reply: keep reading the others' replies
      record(i, pid, std::string("sent a bad reply: ") + e.what(), false);
    }
  }
  if (error.empty()) return;
  if (invalid_argument) throw std::invalid_argument(error);
  throw std::runtime_error(error);
}

void SubprocessWorkers::reset(std::uint64_t seed, std::vector<StepResult>& results) {
  std::vector<std::string> requests;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    wire::Writer request;
    request.u8(kReset);
    request.i64(static_cast<std::int64_t>(seed + i));
    requests.push_back(request.bytes());
  }
  exchange(requests, [&](std::size_t i, wire::Reader& in) {
    wire::read(in, results[i].obs);
    wire::read(in, results[i].info);
  });
}

void SubprocessWorkers::step(const std::vector<Action>& actions, std::vector<StepResult>& results,
                             std::vector<Observation>& final_obs) {
  std::vector<std::string> requests;
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    wire::Writer request;
    request.u8(kStep);
    wire::write(request, actions[i]);
    requests.push_back(request.bytes());
  }
  exchange(requests, [&](std::size_t i, wire::Reader& in) {
    wire::read(in, results[i]);
    if (results[i].terminated || results[i].truncated) wire::read(in, final_obs[i]);
  });
}

std::vector<std::string> SubprocessWorkers::save() {
  wire::Writer request;
  request.u8(kSave);
  std::vector<std::string> snapshots(workers_.size());
  exchange(std::vector<std::string>(workers_.size(), request.bytes()),
           [&](std::size_t i, wire::Reader& in) { snapshots[i] = in.str(); });
  return snapshots;
}

void SubprocessWorkers::load(const std::vector<std::string>& snapshots, std::vector<StepResult>& results) {
  std::vector<std::string> requests;
  for (const std::string& snapshot : snapshots) {
    wire::Writer request;
    request.u8(kLoad);
    request.str(snapshot);
    requests.push_back(request.bytes());
  }
  exchange(requests, [&](std::size_t i, wire::Reader& in) {
    results[i] = StepResult{};
    wire::read(in, results[i].obs);
  });
}

}  // namespace equimol::envs
