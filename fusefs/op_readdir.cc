// readdir: ".", ".." and one name per tape file, from the unit's catalog;
// in a library's root one directory per cartridge. opendir and releasedir
// keep the listing of one open directory.
#include <cstring>
#include <vector>

#include "fusefs/attributes.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

namespace {

// One open directory: the listing its reads are served from.
struct DirListing {
  std::vector<FileEntry> entries;
  bool taken = false;
};

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

int OpOpendir(const char* /*path*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    fi->fh = reinterpret_cast<uint64_t>(new DirListing());
    return 0;
  });
}

int OpReleasedir(const char* /*path*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    delete reinterpret_cast<DirListing*>(fi->fh);
    fi->fh = 0;
    return 0;
  });
}

int OpReaddir(const char* path, void* buf, fuse_fill_dir_t filler, off_t offset,
              struct fuse_file_info* fi, enum fuse_readdir_flags flags) {
  return Guarded([&] {
    FileSystem& fs = CurrentFileSystem();
    auto target = fs.Resolve(path != nullptr ? path : "/");
    if (!target.ok()) return Reply(target.status());
    if (target->mount == nullptr) return ListLibrary(fs, buf, filler);
    if (target->path != "/") return -ENOTDIR;
    Mount& mount = *target->mount;
    // The names as they were at the start of the listing (offset 0, a
    // rewinddir), served in pieces at the offsets given out: "." 1, ".." 2,
    // the k-th file k + 3. Offsets, not one whole listing, because only
    // then does libfuse hand READDIRPLUS the attributes (kernel_cache.h).
    DirListing local;
    DirListing& listing =
        fi != nullptr && fi->fh != 0 ? *reinterpret_cast<DirListing*>(fi->fh) : local;
    if (offset <= 0 || !listing.taken) {
      auto entries = mount.ListFiles();
      if (!entries.ok()) return Reply(entries.status());
      listing.entries = std::move(entries).value();
      listing.taken = true;
    }
    const auto none = static_cast<fuse_fill_dir_flags>(0);
    if (offset < 1) {
      struct stat root = RootAttributes(mount);
      if (filler(buf, ".", &root, 1, none) != 0) return 0;
    }
    if (offset < 2 && filler(buf, "..", nullptr, 2, none) != 0) return 0;
    const auto plus = (flags & FUSE_READDIR_PLUS) != 0 ? FUSE_FILL_DIR_PLUS : none;
    for (size_t k = offset > 2 ? static_cast<size_t>(offset - 2) : 0; k < listing.entries.size();
         ++k) {
      const FileEntry& e = listing.entries[k];
      struct stat st = FileAttributes(mount, e);
      if (filler(buf, TapeFileName(e.index).c_str(), &st, static_cast<off_t>(k + 3), plus) != 0) {
        break;
      }
    }
    return 0;
  });
}

}  // namespace tsfs::fusefs
