#include "fusefs/operations.h"

namespace tsfs::fusefs {

struct fuse_operations MakeOperations() {
  struct fuse_operations ops {};
  ops.init = OpInit;
  ops.destroy = OpDestroy;
  ops.getattr = OpGetattr;
  ops.opendir = OpOpendir;
  ops.readdir = OpReaddir;
  ops.releasedir = OpReleasedir;
  ops.open = OpOpen;
  ops.create = OpCreate;
  ops.read = OpRead;
  ops.write = OpWrite;
  ops.flush = OpFlush;
  ops.fsync = OpFsync;
  ops.release = OpRelease;
  ops.ioctl = OpIoctl;
  ops.statfs = OpStatfs;
  ops.truncate = OpTruncate;
  ops.utimens = OpUtimens;
  ops.mkdir = OpMkdir;
  ops.rmdir = OpRmdir;
  ops.unlink = OpUnlink;
  ops.rename = OpRename;
  ops.symlink = OpSymlink;
  ops.link = OpLink;
  ops.mknod = OpMknod;
  ops.chmod = OpChmod;
  ops.chown = OpChown;
  return ops;
}

}  // namespace tsfs::fusefs
