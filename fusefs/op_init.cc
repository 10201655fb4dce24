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
  // Names and attributes are kept by the kernel for a few seconds, and
  // READDIRPLUS hands it every file's attributes with the names: `ls -l`
  // of a large tape needs no request per file. Every change of a shown
  // size or of a name is told to the kernel at once (kernel_cache.h), so
  // nothing stale is seen. A name that does not exist is never kept: the
  // next name must be creatable at any time.
  if (conn->capable & FUSE_CAP_READDIRPLUS) {
    conn->want |= FUSE_CAP_READDIRPLUS;
    conn->want &= ~FUSE_CAP_READDIRPLUS_AUTO;
  }
  cfg->attr_timeout = KernelCache::kCacheSeconds;
  cfg->entry_timeout = KernelCache::kCacheSeconds;
  cfg->negative_timeout = 0;
  FileSystem& fs = *static_cast<FileSystem*>(fuse_get_context()->private_data);
  fs.kernel_cache().Attach(fuse_get_context()->fuse);
  return &fs;
}

void OpDestroy(void* private_data) {
  Guarded([&] {
    auto* fs = static_cast<FileSystem*>(private_data);
    fs->kernel_cache().Detach();  // the kernel is unmounting: no more notifications
    fs->Shutdown();
    return 0;
  });
}

}  // namespace tsfs::fusefs
