// The errno table of tsfs(8): one row per ErrorCode and per sense key.
#include "fusefs/errno_map.h"

#include <gtest/gtest.h>

#include <cerrno>

namespace tsfs::fusefs {
namespace {

Status ScsiError(SenseKey key, uint8_t asc = 0, uint8_t ascq = 0) {
  SenseData sense;
  sense.response_code = 0x70;
  sense.key = key;
  sense.asc = asc;
  sense.ascq = ascq;
  return Status::Scsi("write", "test", 0x02, sense, {0x0A, 0, 0, 0, 1, 0});
}

TEST(ErrnoMapTest, OkIsZero) { EXPECT_EQ(ErrnoFromStatus(Status::Ok()), 0); }

TEST(ErrnoMapTest, EveryCodeHasItsErrno) {
  struct Row {
    ErrorCode code;
    int fs_errno;
    int mt_errno;
  };
  const Row rows[] = {
      {ErrorCode::kNoSpace, ENOSPC, ENOSPC},
      {ErrorCode::kReadOnly, EROFS, EROFS},
      {ErrorCode::kBusy, EBUSY, EBUSY},
      {ErrorCode::kIllegalSeek, ESPIPE, ESPIPE},
      {ErrorCode::kPermission, EPERM, EPERM},
      {ErrorCode::kUnsupported, ENOTSUP, EINVAL},
      {ErrorCode::kBadSequence, EIO, EIO},
      {ErrorCode::kNoMemory, ENOMEM, ENOMEM},
      {ErrorCode::kNotFound, ENOENT, ENOENT},
      {ErrorCode::kTransport, EIO, EIO},
      {ErrorCode::kInvalidArgument, EINVAL, EINVAL},
      {ErrorCode::kIo, EIO, EIO},
      {ErrorCode::kCorrupt, EIO, EIO},
      {ErrorCode::kConfig, EINVAL, EINVAL},
      {ErrorCode::kNotTape, ENOTTY, ENOTTY},
      {ErrorCode::kNotChanger, ENOTTY, ENOTTY},
  };
  for (const Row& r : rows) {
    const Status st = Status::Error(r.code, "x");
    EXPECT_EQ(ErrnoFromStatus(st, OpKind::kFileSystem), r.fs_errno) << ErrorCodeName(r.code);
    EXPECT_EQ(ErrnoFromStatus(st, OpKind::kMtOp), r.mt_errno) << ErrorCodeName(r.code);
  }
}

TEST(ErrnoMapTest, ScsiBySenseKey) {
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kDataProtect, 0x27, 0)), EROFS);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kVolumeOverflow, 0x00, 0x02)), ENOSPC);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kNotReady, 0x3A, 0x00)), ENOMEDIUM);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kNotReady, 0x04, 0x00)), EIO);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kMediumError, 0x0C, 0x00)), EIO);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kHardwareError, 0x44, 0x00)), EIO);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kIllegalRequest, 0x20, 0x00)), EIO);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kAbortedCommand, 0x4B, 0x00)), EIO);
  EXPECT_EQ(ErrnoFromStatus(ScsiError(SenseKey::kUnitAttention, 0x28, 0x00)), EIO);
}

TEST(ErrnoMapTest, ScsiWithoutSenseIsEio) {
  EXPECT_EQ(ErrnoFromStatus(Status::Error(ErrorCode::kScsi, "no sense")), EIO);
}

TEST(ErrnoMapTest, CodeWinsOverSenseWhenTheLayerBelowClassified) {
  // ssc marks DATA PROTECT as kReadOnly already; the code decides.
  const Status st = ScsiError(SenseKey::kMediumError).WithCode(ErrorCode::kReadOnly);
  EXPECT_EQ(ErrnoFromStatus(st), EROFS);
}

}  // namespace
}  // namespace tsfs::fusefs
