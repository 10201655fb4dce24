// utimens: accepted and ignored; every time shown is the mount time (a tape
// keeps no times). `touch MOUNT/fileN` thus creates an empty tape file.
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpUtimens(const char* /*path*/, const struct timespec /*tv*/[2],
              struct fuse_file_info* /*fi*/) {
  return 0;
}

}  // namespace tsfs::fusefs
