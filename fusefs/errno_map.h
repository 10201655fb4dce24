// The one place where a tape Status becomes an errno (DESIGN.md: errno is
// made only in fusefs/). Every FUSE handler returns -ErrnoFromStatus(...).
//
// Stateless functions; thread-safe.
#pragma once

#include "tapecore/status.h"

namespace tsfs::fusefs {

// Which kind of request failed: the same Status can deserve a different
// errno for a file-system call and for an mt operation (kUnsupported is
// EINVAL for `mt`, as on a tape device, and ENOTSUP for a file operation).
enum class OpKind { kFileSystem, kMtOp };

// A positive errno for a failed Status; 0 for OK.
int ErrnoFromStatus(const Status& status, OpKind kind = OpKind::kFileSystem);

// errno for a SCSI failure, chosen by sense key (and ASC for NOT READY).
int ErrnoFromSense(const SenseData& sense);

}  // namespace tsfs::fusefs
