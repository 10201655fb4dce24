// read: sequential; ahead skips, behind is ESPIPE, 0 at the filemark.
#include <span>

#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpRead(const char* /*path*/, char* buf, size_t size, off_t offset, struct fuse_file_info* fi) {
  return Guarded([&] {
    OpenFile* file = FileOf(fi);
    if (file == nullptr) return -EBADF;
    if (offset < 0) return -EINVAL;
    auto n = file->Read(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buf), size),
                        static_cast<uint64_t>(offset));
    // At the end of a file its exact size is known; a failure may have
    // found another tape.
    if (!n.ok() || *n == 0) file->mount().NoticeChanges();
    if (!n.ok()) return Reply(n.status());
    return static_cast<int>(*n);
  });
}

}  // namespace tsfs::fusefs
