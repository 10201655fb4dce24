// release: the last close of an open file description: the filemark of a
// written file, the space forward of a read one. Its result reaches nobody
// (it is logged); every data error was already returned by flush.
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpRelease(const char* /*path*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    if (OpenFile* file = FileOf(fi); file != nullptr) {
      Mount& mount = file->mount();
      mount.Release(file);  // destroys `file`
      mount.NoticeChanges();
    }
    return 0;
  });
}

}  // namespace tsfs::fusefs
