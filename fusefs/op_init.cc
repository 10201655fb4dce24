// init and destroy: request sizes and kernel capabilities; unmount.
#include "fusefs/mount_options.h"
#include "fusefs/op_common.h"
#include "fusefs/operations.h"

namespace tsfs::fusefs {

void* OpInit(struct fuse_conn_info* conn, struct fuse_config* cfg) {
  // 1 MiB requests (libfuse raises max_pages to match); the kernel may
  // lower it.
  conn->max_write = kMaxRequestBytes;
  conn->max_read = kMaxRequestBytes;
  conn->max_readahead = 0;
  // A tape is sequential: no parallel or reordered reads and writes.
  conn->want &= ~(FUSE_CAP_ASYNC_READ | FUSE_CAP_ASYNC_DIO | FUSE_CAP_WRITEBACK_CACHE);
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  if (conn->capable & FUSE_CAP_IOCTL_DIR) conn->want |= FUSE_CAP_IOCTL_DIR;
  cfg->use_ino = 1;
  // A library's handlers find the cartridge by the path: always give it.
  cfg->nullpath_ok =
      static_cast<FileSystem*>(fuse_get_context()->private_data)->library() == nullptr ? 1 : 0;
  cfg->direct_io = 1;  // no page cache, no mmap sharing
  cfg->kernel_cache = 0;
  // Sizes change as files are written and the catalog follows mt
  // operations: never cache names or attributes.
  cfg->attr_timeout = 0;
  cfg->entry_timeout = 0;
  cfg->negative_timeout = 0;
  return fuse_get_context()->private_data;
}

void OpDestroy(void* private_data) {
  Guarded([&] {
    static_cast<FileSystem*>(private_data)->Shutdown();
    return 0;
  });
}

}  // namespace tsfs::fusefs
