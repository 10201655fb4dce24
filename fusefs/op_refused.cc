// The namespace and metadata changes a tape cannot make: each refused with
// the errno listed in tsfs(8). Tape files are only appended (create the
// next name), overwritten (-o overwrite) or erased (mt erase).
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

int OpMkdir(const char* /*path*/, mode_t /*mode*/) { return -EPERM; }
int OpRmdir(const char* /*path*/) { return -EPERM; }
int OpUnlink(const char* /*path*/) { return -EPERM; }
int OpRename(const char* /*from*/, const char* /*to*/, unsigned int /*flags*/) { return -EPERM; }
int OpSymlink(const char* /*target*/, const char* /*path*/) { return -EPERM; }
int OpLink(const char* /*from*/, const char* /*to*/) { return -EPERM; }
int OpMknod(const char* /*path*/, mode_t /*mode*/, dev_t /*dev*/) { return -EPERM; }
int OpChmod(const char* /*path*/, mode_t /*mode*/, struct fuse_file_info* /*fi*/) { return -EPERM; }
int OpChown(const char* /*path*/, uid_t /*uid*/, gid_t /*gid*/, struct fuse_file_info* /*fi*/) {
  return -EPERM;
}

}  // namespace tsfs::fusefs
