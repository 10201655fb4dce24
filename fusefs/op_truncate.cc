// truncate: a tape file cannot change length in place. The one truncation
// accepted is to 0 on a file just opened to be written from its start (what
// O_TRUNC turns into when the kernel does not pass it with the open).
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpTruncate(const char* /*path*/, off_t size, struct fuse_file_info* fi) {
  return Guarded([&] {
    OpenFile* file = FileOf(fi);
    if (file != nullptr && size == 0 && file->writing() && file->position() == 0) return 0;
    return -EPERM;
  });
}

}  // namespace tsfs::fusefs
