#include "fusefs/detach.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace tsfs::fusefs {

Detacher::~Detacher() {
  if (ready_fd_ >= 0) close(ready_fd_);
}

Status Detacher::Detach() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    return Status::Error(ErrorCode::kIo, std::string("pipe: ") + std::strerror(errno));
  }
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return Status::Error(ErrorCode::kIo, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    close(fds[0]);
    ready_fd_ = fds[1];
    setsid();
    return Status::Ok();
  }
  // Parent: wait for "ready" or for the child to give up.
  close(fds[1]);
  char byte = 0;
  ssize_t n;
  do {
    n = read(fds[0], &byte, 1);
  } while (n < 0 && errno == EINTR);
  // exit, not _exit: nothing is buffered (flushed before the fork) and no
  // thread runs, so the exit handlers are harmless here (a --coverage
  // build writes the parent's counts in them).
  if (n == 1) std::exit(0);
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) != 0) std::exit(WEXITSTATUS(wstatus));
  std::exit(1);
}

bool Detacher::StderrIsLogFile() {
  struct stat st {};
  return fstat(STDERR_FILENO, &st) == 0 && S_ISREG(st.st_mode);
}

void Detacher::ReportReady() {
  if (ready_fd_ < 0) return;
  if (chdir("/") != 0) {
    // Nothing depends on the cwd after the mount; carry on.
  }
  const int null_fd = open("/dev/null", O_RDWR);
  if (null_fd >= 0) {
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    if (!StderrIsLogFile()) dup2(null_fd, STDERR_FILENO);
    if (null_fd > STDERR_FILENO) close(null_fd);
  }
  const char byte = 1;
  ssize_t n;
  do {
    n = write(ready_fd_, &byte, 1);
  } while (n < 0 && errno == EINTR);
  close(ready_fd_);
  ready_fd_ = -1;
}

}  // namespace tsfs::fusefs
