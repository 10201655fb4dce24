// A tsfs started with -f as a child of the test: its log (stderr) goes to a
// file the test reads, its pid is known (kill -9, exit time), and it is
// waited for. Header-only (see mount_harness.h). Not thread-safe.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "tests/fusefs/mount_harness.h"

namespace tsfs::fusefs_test {

class ForegroundTsfs {
 public:
  // Starts `tsfs -f SOURCE MOUNTPOINT [-o OPTIONS]` with stderr appended to
  // `log`; waits up to `timeout` for the mount to appear. started() tells.
  ForegroundTsfs(const std::string& source, const std::string& mountpoint,
                 const std::string& options, const std::string& log,
                 std::chrono::seconds timeout = std::chrono::seconds(60))
      : mountpoint_(mountpoint), log_(log) {
    mkdir(mountpoint.c_str(), 0755);
    std::vector<std::string> args = {TsfsBinary(), "-f", source, mountpoint};
    if (!options.empty()) {
      args.push_back("-o");
      args.push_back(options);
    }
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      dup2(fd, STDERR_FILENO);
      dup2(fd, STDOUT_FILENO);
      const int null_fd = open("/dev/null", O_RDONLY);
      dup2(null_fd, STDIN_FILENO);
      std::vector<char*> argv;
      for (std::string& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(argv[0], argv.data());
      _exit(127);
    }
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (IsTsfsMounted(mountpoint_)) {
        started_ = true;
        return;
      }
      if (Exited(std::chrono::milliseconds(20))) return;
    }
  }
  ~ForegroundTsfs() {
    if (IsTsfsMounted(mountpoint_)) Sh("fusermount3 -u -z " + Quote(mountpoint_));
    if (!Exited(std::chrono::seconds(30)) && pid_ > 0) {
      kill(pid_, SIGKILL);
      Exited(std::chrono::seconds(5));
    }
  }
  ForegroundTsfs(const ForegroundTsfs&) = delete;
  ForegroundTsfs& operator=(const ForegroundTsfs&) = delete;

  bool started() const { return started_; }
  pid_t pid() const { return pid_; }
  std::string Log() const { return ReadWholeFile(log_); }

  // True once the process has exited (reaped) within `wait`.
  bool Exited(std::chrono::milliseconds wait) {
    if (exit_status_) return true;
    const auto deadline = std::chrono::steady_clock::now() + wait;
    do {
      int status = 0;
      const pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || r < 0) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < deadline);
    return false;
  }
  std::optional<int> exit_status() const { return exit_status_; }

  // SIGKILL now; the mount is left dead (ENOTCONN) until it is unmounted.
  void Kill() {
    kill(pid_, SIGKILL);
    Exited(std::chrono::seconds(10));
    Sh("fusermount3 -u -z " + Quote(mountpoint_));
  }

 private:
  std::string mountpoint_;
  std::string log_;
  pid_t pid_ = -1;
  bool started_ = false;
  std::optional<int> exit_status_;
};

}  // namespace tsfs::fusefs_test
