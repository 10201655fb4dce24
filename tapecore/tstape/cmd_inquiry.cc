// PLACEHOLDER until the owning issue lands: replace with the real command.
#include <cstdio>

#include "tapecore/tstape/commands.h"

namespace tsfs::tstape {

int RunInquiry(const Args&) {
  std::fprintf(stderr, "tstape inquiry: not built yet\n");
  return 2;
}

}  // namespace tsfs::tstape
