// create: a new name; only the next one (fileN, N = file count) appends.
#include "fusefs/caller_process.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

int OpCreate(const char* path, mode_t mode, struct fuse_file_info* fi) {
  return Guarded([&] {
    if (!S_ISREG(mode)) return -EPERM;
    auto target = CurrentFileSystem().Resolve(path);
    // A new name in a library's root would be a new cartridge.
    if (!target.ok() || target->mount == nullptr) return -EPERM;
    const auto index = ParseTapeFileName(target->path);
    if (!index) return -EPERM;  // only tape file names exist here
    auto file = target->mount->Create(*index, fi->flags, CallerProcess());
    if (!file.ok()) return Reply(file.status());
    fi->fh = reinterpret_cast<uint64_t>(*file);
    fi->direct_io = 1;
    fi->keep_cache = 0;
    return 0;
  });
}

}  // namespace tsfs::fusefs
