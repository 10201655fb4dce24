// statfs: capacity and free space where the drive tells them.
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpStatfs(const char* /*path*/, struct statvfs* sv) {
  return Guarded([&] {
    auto stats = CurrentMount().FileSystemStats();
    if (!stats.ok()) return Reply(stats.status());
    *sv = *stats;
    return 0;
  });
}

}  // namespace tsfs::fusefs
