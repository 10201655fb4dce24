// getattr: the root directory and file000..fileNNN.
#include <unistd.h>

#include <cstring>

#include "fusefs/attributes.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

int OpGetattr(const char* path, struct stat* st, struct fuse_file_info* fi) {
  return Guarded([&] {
    Mount& mount = CurrentMount();
    if (OpenFile* file = FileOf(fi); file != nullptr && file->writing()) {
      *st = FileAttributes(mount, FileEntry{file->index(), file->position(), true});
      return 0;
    }
    if (path == nullptr) return -ENOENT;
    if (std::strcmp(path, "/") == 0) {
      *st = RootAttributes(mount);
      return 0;
    }
    const auto index = ParseTapeFileName(path);
    if (!index) return -ENOENT;
    auto entry = mount.FindFile(*index);
    if (!entry.ok()) return Reply(entry.status());
    *st = FileAttributes(mount, *entry);
    return 0;
  });
}

}  // namespace tsfs::fusefs
