#include "fusefs/errno_map.h"

#include <cerrno>

namespace tsfs::fusefs {

int ErrnoFromSense(const SenseData& sense) {
  switch (sense.key) {
    case SenseKey::kDataProtect:
      return EROFS;
    case SenseKey::kVolumeOverflow:
      return ENOSPC;
    case SenseKey::kNotReady:
      // 3A/xx: MEDIUM NOT PRESENT. Anything else (becoming ready, door open)
      // is a plain I/O error for the caller.
      return sense.asc == 0x3A ? ENOMEDIUM : EIO;
    default:
      return EIO;
  }
}

int ErrnoFromStatus(const Status& status, OpKind kind) {
  switch (status.code()) {
    case ErrorCode::kOk:
      return 0;
    case ErrorCode::kScsi:
      return status.sense() != nullptr ? ErrnoFromSense(*status.sense()) : EIO;
    case ErrorCode::kTransport:
      return EIO;
    case ErrorCode::kInvalidArgument:
      return EINVAL;
    case ErrorCode::kNotFound:
      return ENOENT;
    case ErrorCode::kNotTape:
    case ErrorCode::kNotChanger:
      return ENOTTY;
    case ErrorCode::kUnsupported:
      return kind == OpKind::kMtOp ? EINVAL : ENOTSUP;
    case ErrorCode::kBadSequence:
      return EIO;
    case ErrorCode::kIllegalSeek:
      return ESPIPE;
    case ErrorCode::kNoSpace:
      return ENOSPC;
    case ErrorCode::kReadOnly:
      return EROFS;
    case ErrorCode::kBusy:
      return EBUSY;
    case ErrorCode::kNoMemory:
      return ENOMEM;
    case ErrorCode::kPermission:
      return EPERM;
    case ErrorCode::kConfig:
      return EINVAL;
    case ErrorCode::kCorrupt:
      return EIO;
    case ErrorCode::kIo:
      return EIO;
  }
  return EIO;
}

}  // namespace tsfs::fusefs
