// Shared pieces of the FUSE handlers (op_*.cc): the file system from the
// fuse context, the open file from fi->fh, and Guarded(), which keeps every
// exception inside the callback (bad_alloc -> ENOMEM, anything else -> EIO).
#pragma once

#include <cerrno>
#include <exception>
#include <new>

#include "fusefs/errno_map.h"
#include "fusefs/file_system.h"
#include "fusefs/fuse_api.h"
#include "fusefs/mount.h"
#include "fusefs/open_file.h"

namespace tsfs::fusefs {

// The FileSystem given to fuse_new() as private_data.
inline FileSystem& CurrentFileSystem() {
  return *static_cast<FileSystem*>(fuse_get_context()->private_data);
}

// The open file of a regular file's fi. An open directory's fh is its
// DirListing (op_readdir.cc); the kernel passes a handle with GETATTR,
// SETATTR and IOCTL only for regular files (FUSE_IOCTL_DIR marks the
// others), so no file handler sees one.
inline OpenFile* FileOf(const struct fuse_file_info* fi) {
  return fi == nullptr ? nullptr : reinterpret_cast<OpenFile*>(fi->fh);
}

// -errno for a Status (0 for OK), the value a handler returns.
inline int Reply(const Status& status, OpKind kind = OpKind::kFileSystem) {
  return -ErrnoFromStatus(status, kind);
}

// Runs a handler body; no exception crosses into libfuse.
template <typename Body>
int Guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return -ENOMEM;
  } catch (...) {
    return -EIO;
  }
}

}  // namespace tsfs::fusefs
