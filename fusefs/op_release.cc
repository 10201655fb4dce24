// release: the last close of an open file description. Its result reaches
// nobody, so it only finishes what no flush could (see OpenFile::Release).
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpRelease(const char* /*path*/, struct fuse_file_info* fi) {
  return Guarded([&] {
    CurrentMount().Release(FileOf(fi));
    return 0;
  });
}

}  // namespace tsfs::fusefs
