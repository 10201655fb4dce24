// write: only at the current offset of a file being written.
#include <span>

#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpWrite(const char* /*path*/, const char* buf, size_t size, off_t offset,
            struct fuse_file_info* fi) {
  return Guarded([&] {
    OpenFile* file = FileOf(fi);
    if (file == nullptr) return -EBADF;
    if (offset < 0) return -EINVAL;
    auto n = file->Write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(buf), size),
                         static_cast<uint64_t>(offset));
    if (!n.ok()) {
      file->mount().NoticeChanges();
      return Reply(n.status());
    }
    return static_cast<int>(*n);
  });
}

}  // namespace tsfs::fusefs
