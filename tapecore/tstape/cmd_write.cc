// PLACEHOLDER until the owning issue lands: replace with the real command.
#include <cstdio>

#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

int RunWrite(const Args&) {
  std::fprintf(stderr, "tstape write: not built yet\n");
  return 2;
}

}  // namespace tsfs::tstape
