// fsync: drain the buffers and make the drive flush its own.
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpFsync(const char* /*path*/, int /*datasync*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    OpenFile* file = FileOf(fi);
    if (file == nullptr) return 0;
    const Status synced = file->Fsync();
    file->mount().NoticeChanges();
    return Reply(synced);
  });
}

}  // namespace tsfs::fusefs
