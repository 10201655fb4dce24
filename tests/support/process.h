// Child processes for the test fixtures: daemons that must never outlive the
// test, and short commands whose output we want.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::testing {

// Full path of an installed program (PATH, then /usr/sbin and /sbin), or
// kNotFound naming the program and the package to install.
Result<std::string> FindProgram(const std::string& name, const std::string& package);

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal or timed out
  std::string output;  // stdout and stderr together
};

// Runs argv[0] (a full path) to completion, killing it after `timeout`.
// Fails only when it cannot be started; a non-zero exit is in the result.
Result<CommandResult> RunCommand(const std::vector<std::string>& argv,
                                 std::chrono::milliseconds timeout = std::chrono::seconds(10));

// Like RunCommand, but a non-zero exit becomes kIo with the command and its output.
Status RunOk(const std::vector<std::string>& argv,
             std::chrono::milliseconds timeout = std::chrono::seconds(10));

// A daemon started in the foreground with stdout/stderr going to a log file.
// The child gets PR_SET_PDEATHSIG=SIGKILL: if the test process dies (or the
// thread that started it exits), the kernel kills the daemon. The destructor
// sends SIGKILL and reaps it. Not copyable. One thread at a time.
class Daemon final {
 public:
  static Result<Daemon> Start(const std::vector<std::string>& argv, const std::string& log_path);
  Daemon() = default;
  Daemon(Daemon&& other) noexcept;
  Daemon& operator=(Daemon&& other) noexcept;
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;
  ~Daemon();

  pid_t pid() const { return pid_; }
  // True while the process has not exited (reaps it when it has).
  bool Running();
  // Waits up to `grace` for the process to exit on its own; true if it did.
  bool WaitExit(std::chrono::milliseconds grace);
  // SIGSTOP / SIGCONT; no-op when gone.
  void Freeze(bool frozen);
  // SIGKILL and reap; no-op when already gone.
  void Kill();
  // The last `max_bytes` of the log, for error messages.
  std::string LogTail(size_t max_bytes = 2000) const;

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

}  // namespace tsfs::testing
