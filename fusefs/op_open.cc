// open: an existing tape file (read, mt descriptor, or overwrite).
#include "fusefs/caller_process.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

int OpOpen(const char* path, struct fuse_file_info* fi) {
  return Guarded([&] {
    auto target = CurrentFileSystem().Resolve(path);
    if (!target.ok()) return Reply(target.status());
    if (target->mount == nullptr || target->path == "/") return -EISDIR;
    const auto index = ParseTapeFileName(target->path);
    if (!index) return -ENOENT;
    auto file = target->mount->Open(*index, fi->flags, CallerProcess());
    // An open may learn a file's exact size, or notice another tape.
    target->mount->NoticeChanges();
    if (!file.ok()) return Reply(file.status());
    fi->fh = reinterpret_cast<uint64_t>(*file);
    fi->direct_io = 1;
    fi->keep_cache = 0;
    fi->nonseekable = 0;  // lseek forward works (read ahead = skip)
    return 0;
  });
}

}  // namespace tsfs::fusefs
