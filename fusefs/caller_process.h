// The process behind a FUSE request. The kernel puts the id of the calling
// thread into each request; the busy-wait rule of Mount compares processes
// (the one that opened a file with the one closing it), so a thread id is
// turned into its thread group id here.
#pragma once

#include <sys/types.h>

namespace tsfs::fusefs {

// Thread group id of thread `tid` from /proc/TID/status; `tid` itself when
// that cannot be read (the thread is gone, or /proc is not there).
pid_t ProcessOfThread(pid_t tid);

// The process of the thread whose request the current FUSE callback serves.
pid_t CallerProcess();

}  // namespace tsfs::fusefs
