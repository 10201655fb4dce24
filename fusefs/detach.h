// Detaching from the terminal once the mount is ready, so that a script can
// use the mount as soon as `tsfs` returns (and mount(8) reports errors).
//
// Detach() forks. The parent waits on a pipe: the child writes one byte
// when the mount is up (parent exits 0) or exits without writing (parent
// exits with the child's status). The unit is opened in the child, after
// the fork, so its threads belong to the daemon.
//
// Not thread-safe: call from main() before any thread starts.
#pragma once

#include "tapecore/status.h"

namespace tsfs::fusefs {

class Detacher final {
 public:
  Detacher() = default;
  Detacher(const Detacher&) = delete;
  Detacher& operator=(const Detacher&) = delete;
  ~Detacher();

  // Forks. Returns in the child only; the parent exits inside.
  Status Detach();
  // In the child: tells the parent the mount is ready, then leaves the
  // terminal (new session, stdio on /dev/null, cwd /). Standard error is
  // kept when it is a regular file (`tsfs ... 2>>/var/log/tsfs.log`): the
  // log then goes on there. No-op unless Detach() ran.
  void ReportReady();

  // True when standard error is a regular file (the log ReportReady keeps).
  static bool StderrIsLogFile();

 private:
  int ready_fd_ = -1;
};

}  // namespace tsfs::fusefs
