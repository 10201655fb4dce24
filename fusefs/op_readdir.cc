// readdir: ".", ".." and one name per tape file, from the unit's catalog;
// in a library's root one directory per cartridge.
#include <cstring>

#include "fusefs/attributes.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

namespace {

// A library's root: one directory per cartridge, from the last element
// status (no command).
int ListLibrary(FileSystem& fs, void* buf, fuse_fill_dir_t filler) {
  struct stat root = LibraryRootAttributes(fs);
  filler(buf, ".", &root, 0, static_cast<fuse_fill_dir_flags>(0));
  filler(buf, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  for (const std::string& name : fs.library()->Names()) {
    Mount* mount = fs.library()->Find(name);
    if (mount == nullptr) continue;
    struct stat st = RootAttributes(*mount);
    if (filler(buf, name.c_str(), &st, 0, static_cast<fuse_fill_dir_flags>(0)) != 0) break;
  }
  return 0;
}

}  // namespace

int OpReaddir(const char* path, void* buf, fuse_fill_dir_t filler, off_t /*offset*/,
              struct fuse_file_info* /*fi*/, enum fuse_readdir_flags /*flags*/) {
  return Guarded([&] {
    FileSystem& fs = CurrentFileSystem();
    auto target = fs.Resolve(path != nullptr ? path : "/");
    if (!target.ok()) return Reply(target.status());
    if (target->mount == nullptr) return ListLibrary(fs, buf, filler);
    if (target->path != "/") return -ENOTDIR;
    Mount& mount = *target->mount;
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
