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
    if (OpenFile* file = FileOf(fi); file != nullptr && file->writing()) {
      *st = FileAttributes(file->mount(), FileEntry{file->index(), file->position(), true});
      return 0;
    }
    if (path == nullptr) return -ENOENT;
    FileSystem& fs = CurrentFileSystem();
    auto target = fs.Resolve(path);
    if (!target.ok()) return Reply(target.status());
    if (target->mount == nullptr) {
      *st = LibraryRootAttributes(fs);
      return 0;
    }
    Mount& mount = *target->mount;
    if (target->path == "/") {
      *st = RootAttributes(mount);
      return 0;
    }
    const auto index = ParseTapeFileName(target->path);
    if (!index) return -ENOENT;
    auto entry = mount.FindFile(*index);
    if (!entry.ok()) return Reply(entry.status());
    *st = FileAttributes(mount, *entry);
    return 0;
  });
}

}  // namespace tsfs::fusefs
