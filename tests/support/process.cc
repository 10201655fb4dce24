#include "tests/support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace tsfs::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> ArgvPointers(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  out.reserve(argv.size() + 1);
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string Join(const std::vector<std::string>& argv) {
  std::string s;
  for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
  return s;
}

// Between fork and exec only async-signal-safe calls.
[[noreturn]] void ExecChild(char* const* argv, int out_fd, pid_t parent) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // the parent died before prctl
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(out_fd, STDERR_FILENO);
  int devnull = ::open("/dev/null", O_RDONLY);
  if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
  // Do not hand our sockets, locks and pipes to the daemon.
  ::syscall(SYS_close_range, 3U, ~0U, 0U);
  sigset_t none;
  sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  ::execv(argv[0], argv);
  ::_exit(127);
}

Result<pid_t> Spawn(const std::vector<std::string>& argv, int out_fd) {
  if (argv.empty()) return Status::Error(ErrorCode::kInvalidArgument, "empty command");
  std::vector<char*> args = ArgvPointers(argv);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    return Status::Error(ErrorCode::kIo, "fork for " + argv[0] + ": " + std::strerror(errno));
  }
  if (pid == 0) ExecChild(args.data(), out_fd, parent);
  return pid;
}

}  // namespace

Result<std::string> FindProgram(const std::string& name, const std::string& package) {
  std::string dirs;
  if (const char* path = std::getenv("PATH")) dirs = path;
  dirs += ":/usr/sbin:/sbin:/usr/bin:/bin";
  std::stringstream ss(dirs);
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::string full = dir + "/" + name;
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return Status::Error(ErrorCode::kNotFound,
                       name + " is not installed (install the Debian package " + package + ")");
}

Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return Status::Error(ErrorCode::kIo, std::string("pipe: ") + std::strerror(errno));
  }
  auto pid = Spawn(argv, fds[1]);
  ::close(fds[1]);
  if (!pid.ok()) {
    ::close(fds[0]);
    return pid.status();
  }
  CommandResult result;
  const auto deadline = Clock::now() + timeout;
  bool timed_out = false;
  char buf[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int n = ::poll(&pfd, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) continue;
    ssize_t got = ::read(fds[0], buf, sizeof(buf));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    result.output.append(buf, static_cast<size_t>(got));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(*pid, SIGKILL);
  int status = 0;
  while (::waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (timed_out) result.output += "\n(killed after the timeout)";
  if (result.exit_code == 127 && result.output.empty()) {
    return Status::Error(ErrorCode::kNotFound, "cannot run " + argv[0]);
  }
  return result;
}

Status RunOk(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  TSFS_ASSIGN_OR_RETURN(CommandResult r, RunCommand(argv, timeout));
  if (r.exit_code != 0) {
    // Appended piece by piece: GCC 12 at -O3 gives a false -Wrestrict on a
    // literal put in front of a string.
    std::string what = "'";
    what += Join(argv);
    what += "' failed (exit ";
    what += std::to_string(r.exit_code);
    what += "): ";
    what += r.output;
    return Status::Error(ErrorCode::kIo, what);
  }
  return Status::Ok();
}

Result<Daemon> Daemon::Start(const std::vector<std::string>& argv, const std::string& log_path) {
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) {
    return Status::Error(ErrorCode::kIo, "cannot create " + log_path + ": " + std::strerror(errno));
  }
  auto pid = Spawn(argv, log);
  ::close(log);
  if (!pid.ok()) return pid.status();
  Daemon d;
  d.pid_ = *pid;
  d.log_path_ = log_path;
  return d;
}

Daemon::Daemon(Daemon&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), log_path_(std::move(other.log_path_)) {}

Daemon& Daemon::operator=(Daemon&& other) noexcept {
  if (this != &other) {
    Kill();
    pid_ = std::exchange(other.pid_, -1);
    log_path_ = std::move(other.log_path_);
  }
  return *this;
}

Daemon::~Daemon() { Kill(); }

bool Daemon::Running() {
  if (pid_ < 0) return false;
  int status = 0;
  pid_t r = ::waitpid(pid_, &status, WNOHANG);
  if (r == pid_ || (r < 0 && errno == ECHILD)) {
    pid_ = -1;
    return false;
  }
  return true;
}

bool Daemon::WaitExit(std::chrono::milliseconds grace) {
  const auto deadline = Clock::now() + grace;
  while (Running()) {
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return true;
}

namespace {

// True when every thread of `pid` is stopped (state T in /proc/PID/task/*/stat).
bool AllThreadsStopped(pid_t pid) {
  std::error_code ec;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    size_t paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size()) return false;
    char state = stat[paren + 2];
    if (state != 'T' && state != 't') return false;
  }
  return !ec;
}

}  // namespace

void Daemon::Freeze(bool frozen) {
  if (pid_ < 0) return;
  ::kill(pid_, frozen ? SIGSTOP : SIGCONT);
  if (!frozen) return;
  // kill() returns before the stop takes effect: wait until it has.
  const auto deadline = Clock::now() + std::chrono::seconds(2);
  while (!AllThreadsStopped(pid_) && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void Daemon::Kill() {
  if (pid_ < 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

std::string Daemon::LogTail(size_t max_bytes) const {
  std::ifstream in(log_path_, std::ios::binary);
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (all.size() > max_bytes) all = "..." + all.substr(all.size() - max_bytes);
  return all;
}

}  // namespace tsfs::testing
