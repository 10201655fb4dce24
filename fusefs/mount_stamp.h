// When and by whom a mount was made: the times and the owner every struct
// stat of it carries. Taken once, when the mount is made: asking getuid()
// and getgid() for each attribute cost two system calls per name of an
// `ls -l` (400,000 for 100,000 files with READDIRPLUS and getattr;
// tests/bench/metadata.sh).
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <ctime>

namespace tsfs::fusefs {

struct MountStamp {
  time_t time = 0;
  uid_t uid = 0;
  gid_t gid = 0;

  static MountStamp Now() { return MountStamp{std::time(nullptr), ::getuid(), ::getgid()}; }
};

}  // namespace tsfs::fusefs
