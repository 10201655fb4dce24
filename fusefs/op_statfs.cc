// statfs: capacity and free space where the drive tells them.
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpStatfs(const char* path, struct statvfs* sv) {
  return Guarded([&] {
    auto target = CurrentFileSystem().Resolve(path != nullptr ? path : "/");
    if (!target.ok()) return Reply(target.status());
    if (target->mount == nullptr) {
      // A library's root: the cartridges, no capacity of its own.
      *sv = {};
      sv->f_bsize = 512;
      sv->f_frsize = 512;
      sv->f_files = CurrentFileSystem().library()->Names().size();
      sv->f_namemax = 255;
      return 0;
    }
    auto stats = target->mount->FileSystemStats();
    if (!stats.ok()) return Reply(stats.status());
    *sv = *stats;
    return 0;
  });
}

}  // namespace tsfs::fusefs
