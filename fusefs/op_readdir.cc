// readdir: ".", ".." and one name per tape file, from the unit's catalog.
#include <cstring>

#include "fusefs/attributes.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

int OpReaddir(const char* path, void* buf, fuse_fill_dir_t filler, off_t /*offset*/,
              struct fuse_file_info* /*fi*/, enum fuse_readdir_flags /*flags*/) {
  return Guarded([&] {
    if (path != nullptr && std::strcmp(path, "/") != 0) return -ENOTDIR;
    Mount& mount = CurrentMount();
    auto entries = mount.ListFiles();
    if (!entries.ok()) return Reply(entries.status());
    struct stat root = RootAttributes(mount);
    filler(buf, ".", &root, 0, static_cast<fuse_fill_dir_flags>(0));
    filler(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
    for (const FileEntry& e : *entries) {
      struct stat st = FileAttributes(mount, e);
      if (filler(buf, TapeFileName(e.index).c_str(), &st, 0, static_cast<fuse_fill_dir_flags>(0)) !=
          0) {
        break;
      }
    }
    return 0;
  });
}

}  // namespace tsfs::fusefs
