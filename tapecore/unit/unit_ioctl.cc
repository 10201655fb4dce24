// TapeUnit::Impl: the mt operations of ts(4): fsf, weof, eod, rewind,
// erase, retension. fsr, bsr, bsf, offline and the rest are refused.
#include <string>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

namespace {

bool Supported(MtOp op) {
  switch (op) {
    case MtOp::kFsf:
    case MtOp::kWeof:
    case MtOp::kEod:
    case MtOp::kRewind:
    case MtOp::kErase:
    case MtOp::kRetension:
      return true;
    default:
      return false;
  }
}

bool ValidAfterWrite(MtOp op) { return op == MtOp::kRewind || op == MtOp::kRetension; }

}  // namespace

Status TapeUnit::Impl::Ioctl(MtOp op, int32_t count) {
  UnitLock lock(*this);
  const std::string context = std::string("mt ") + MtOpName(op);
  if (!Supported(op)) {
    return Status::Error(ErrorCode::kUnsupported,
                         std::string("mt ") + MtOpName(op) + " is not supported by the ts driver")
        .WithContext(context);
  }
  if (count < 0) {
    return Status::Error(ErrorCode::kInvalidArgument, "negative count").WithContext(context);
  }
  if (stream_ == StreamKind::kWrite || after_write_) {
    if (!ValidAfterWrite(op)) {
      diag_.Line(LogLevel::kError, kMsgBadIoctlAfterWrite);
      return Status::Error(ErrorCode::kBadSequence, kMsgBadIoctlAfterWrite).WithContext(context);
    }
  }
  Status closed;
  if (stream_ == StreamKind::kWrite) {
    closed = CloseLocked();  // drain + filemark first; its error is returned below
  } else if (stream_ == StreamKind::kRead) {
    const bool moved = read_started_;
    closed = CloseLocked();  // spaces forward to the next file
    if (op == MtOp::kFsf && moved && count > 0) --count;
  }
  Status s = DoIoctl(op, count);
  if (!closed.ok()) return closed;
  return s.context().empty() ? s.WithContext(context) : s;
}

Status TapeUnit::Impl::DoIoctl(MtOp op, int32_t count) {
  TSFS_RETURN_IF_ERROR(CheckMedium());
  // autoret: the first read or ioctl after a tape change retensions; when
  // that ioctl is itself a retension it is done once, not twice.
  if (retension_pending_ && op != MtOp::kRetension) TSFS_RETURN_IF_ERROR(Retension());
  switch (op) {
    case MtOp::kRewind: {
      Status s = ssc_.Rewind();
      if (!s.ok()) {
        pos_.SetUnknown();
        return Fail(s);
      }
      pos_.SetBot();
      after_write_ = false;
      return Status::Ok();
    }
    case MtOp::kRetension:
      return Retension();
    case MtOp::kErase: {
      TSFS_RETURN_IF_ERROR(EraseWholeTape(/*for_write=*/false));
      after_write_ = false;
      return Status::Ok();
    }
    case MtOp::kEod:
      TSFS_RETURN_IF_ERROR(EnsureCatalog());
      return SeekEndOfData();
    case MtOp::kFsf: {
      if (count == 0) return Status::Ok();
      Result<SpaceResult> sp = ssc_.Space(SpaceCode::kFilemarks, count);
      if (!sp.ok()) {
        pos_.SetUnknown();
        return Fail(sp.status());
      }
      if (sp->end_of_data) {
        std::string what;
        if (sp->residue > 0 && sp->residue <= count) {
          what = "end of data after " + std::to_string(count - sp->residue) + " of " +
                 std::to_string(count) + " files";
          pos_.PassFilemarks(count - sp->residue);
          pos_.MarkEod();
        } else {
          // tgtd: NO SENSE 00/05 without a residue: how far is unknown.
          what = "end of data before " + std::to_string(count) + " files were spaced";
          pos_.SetUnknown();
        }
        return Status::Error(ErrorCode::kIo, what).WithContext("fsf");
      }
      pos_.PassFilemarks(count);
      return Status::Ok();
    }
    case MtOp::kWeof: {
      if (count == 0) return Status::Ok();
      Status s = ssc_.WriteFilemarks(static_cast<uint32_t>(count));
      if (!s.ok()) {
        pos_.SetUnknown();
        catalog_.Invalidate();
        return Fail(s);
      }
      // Filemarks at the start of file f: f and the next ones are empty
      // files and end of data follows them.
      if (pos_.known() && *pos_.block() == 0 && catalog_.known() &&
          *pos_.file() <= catalog_.count()) {
        const int f = static_cast<int>(*pos_.file());
        catalog_.TruncateAt(f);
        for (int i = 0; i < count; ++i) {
          CatalogEntry e;
          e.blocks = 0;
          catalog_.Put(f + i, e);
        }
        pos_.Set(f + count, 0, true);
      } else {
        catalog_.Invalidate();
        pos_.SetUnknown();
      }
      return Status::Ok();
    }
    default:
      return Status::Error(ErrorCode::kUnsupported, "not supported by the ts driver");
  }
}

}  // namespace tsfs
