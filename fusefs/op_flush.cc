// flush (every close(2)): drains the buffers and returns deferred errors.
#include "fusefs/caller_process.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpFlush(const char* /*path*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    OpenFile* file = FileOf(fi);
    if (file == nullptr) return 0;
    const Status flushed = file->Flush(CallerProcess());
    file->mount().NoticeChanges();  // the last block padded, or the file cut short
    return Reply(flushed);
  });
}

}  // namespace tsfs::fusefs
