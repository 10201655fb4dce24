#include <cstdlib>
#include <cstring>

#include "tests/support/targets.h"

namespace tsfs::testing {

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::strcmp(ci, "true") == 0;
}

}  // namespace tsfs::testing
