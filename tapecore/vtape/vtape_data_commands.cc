// VtapeTarget: READ(6), WRITE(6), WRITE FILEMARKS(6): the commands that move data.
#include <algorithm>
#include <chrono>
#include <thread>

#include "tapecore/vtape/cdb_fields.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtape {

VtapeTarget::Reply VtapeTarget::Read(Cdb cdb, DataBuffer& data, double now) {
  const bool sili = cdb[1] & 0x02;
  const bool fixed = cdb[1] & 0x01;
  const uint32_t xfer = Be24(&cdb[2]);
  if (fixed && (sili || block_length_ == 0)) return InvalidField();
  if (xfer == 0) return Good(data.length);
  const uint64_t bytes = fixed ? uint64_t{xfer} * block_length_ : xfer;
  if (data.direction != DataDirection::kIn || data.length < bytes) {
    host_error_ =
        Status::Error(ErrorCode::kInvalidArgument, "vtape: READ of " + std::to_string(bytes) +
                                                       " bytes with a data-in buffer of " +
                                                       std::to_string(data.length) + " bytes");
    return Good();
  }
  uint64_t good = 0;
  const auto fault = faults_.Check(FaultCommand::kRead, pos_, fixed ? xfer : 1, &good);
  const uint64_t eod = image_->size();
  uint8_t* dst = data.data;

  if (!fixed) {
    if (fault) return Fault(*fault, xfer);
    if (pos_ >= eod) {
      return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true, xfer},
                   data.length);
    }
    const TapObject o = image_->Object(pos_);
    if (o.kind == ObjectKind::kTapeMark) {
      ++pos_;
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true, xfer}, data.length);
    }
    if (o.kind == ObjectKind::kBadRecord) {
      ++pos_;
      return Check({SenseKey::kMediumError, 0x11, 0x00, false, false, false, true, xfer},
                   data.length);
    }
    const size_t n = std::min<size_t>(o.length, xfer);
    if (Status st = image_->ReadRecord(pos_, {dst, n}); !st.ok()) return ImageError(st, false);
    ++pos_;
    ++stats_.records_read;
    stats_.bytes_read += n;
    DelayFor(drive_.Read(n, now));
    Pace(now);
    const size_t residual = data.length - n;
    if (o.length == xfer || (o.length < xfer && sili)) return Good(residual);
    // Incorrect length: INFORMATION = requested - actual (negative when the
    // record was longer than asked; its tail is lost, the tape is past it).
    return Check({SenseKey::kNoSense, 0x00, 0x00, false, false, true, true,
                  int64_t{xfer} - int64_t{o.length}},
                 residual);
  }

  const uint32_t length = block_length_;
  const uint64_t limit = fault ? std::min<uint64_t>(good, xfer) : xfer;
  uint64_t done = 0;
  std::optional<Reply> stop;
  while (done < limit) {
    if (pos_ >= eod) {
      stop = Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    const TapObject o = image_->Object(pos_);
    if (o.kind == ObjectKind::kTapeMark) {
      ++pos_;
      stop = Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    if (o.kind == ObjectKind::kBadRecord) {
      ++pos_;
      stop = Check({SenseKey::kMediumError, 0x11, 0x00, false, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    if (o.length != length) {
      // A block of another length in fixed mode: ILI, the tape is past it,
      // INFORMATION counts it as not read.
      ++pos_;
      stop = Check({SenseKey::kNoSense, 0x00, 0x00, false, false, true, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    const uint64_t k = image_->CountRecords(pos_, limit - done, length);
    if (Status st = image_->ReadRecords(pos_, k, length, dst + done * length); !st.ok()) {
      stop = ImageError(st, false);
      break;
    }
    pos_ += k;
    done += k;
  }
  stats_.records_read += done;
  stats_.bytes_read += done * length;
  DelayFor(drive_.Read(done * length, now));
  Pace(now);
  const size_t residual = data.length - done * length;
  if (stop) {
    stop->residual = residual;
    return *stop;
  }
  if (fault) {
    Reply r = Fault(*fault, static_cast<int64_t>(xfer - done));
    r.residual = residual;
    return r;
  }
  return Good(residual);
}

VtapeTarget::Reply VtapeTarget::Write(Cdb cdb, DataBuffer& data, double now) {
  const bool fixed = cdb[1] & 0x01;
  const uint32_t xfer = Be24(&cdb[2]);
  if (cdb[1] & 0x02) return InvalidField();
  if (fixed && block_length_ == 0) return InvalidField();
  if (write_protected_) return WriteProtected();
  if (xfer == 0) return Good();
  const uint32_t length = fixed ? block_length_ : xfer;
  const uint64_t count = fixed ? xfer : 1;
  const uint64_t bytes = count * length;
  if (data.direction != DataDirection::kOut || data.length < bytes) {
    host_error_ =
        Status::Error(ErrorCode::kInvalidArgument, "vtape: WRITE of " + std::to_string(bytes) +
                                                       " bytes with a data-out buffer of " +
                                                       std::to_string(data.length) + " bytes");
    return Good();
  }
  const int64_t requested = fixed ? int64_t{xfer} : int64_t{xfer};
  // End of partition: nothing of this command is written.
  const uint64_t used = image_->DataBytesBefore(pos_);
  if (used + bytes > options_.capacity) {
    return Check({SenseKey::kVolumeOverflow, 0x00, 0x02, false, true, false, true, requested});
  }
  uint64_t good = 0;
  const auto fault = faults_.Check(FaultCommand::kWrite, pos_, count, &good);
  const uint64_t n = fault ? std::min(good, count) : count;
  if (n > 0) {
    if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
    if (Status st = image_->AppendRecords(data.data, length, n); !st.ok()) {
      // The index still says what is on the tape; stay at its end.
      pos_ = image_->size();
      return ImageError(st, true);
    }
    pos_ += n;
    stats_.records_written += n;
    stats_.bytes_written += n * length;
    DelayFor(drive_.Write(n * length, now));
    Pace(now);
  }
  if (fault) return Fault(*fault, fixed ? static_cast<int64_t>(count - n) : requested);
  if (PastEarlyWarning(used + bytes)) {
    // Early warning: everything was written; the host should finish up.
    return Check({SenseKey::kNoSense, 0x00, 0x02, false, true, false, true, 0});
  }
  return Good();
}

void VtapeTarget::DelayFor(int repositions) {
  if (repositions > 0 && options_.delay_ms > 0) {
    std::this_thread::sleep_for(
        std::chrono::duration<double, std::milli>(options_.delay_ms * repositions));
  }
}

void VtapeTarget::Pace(double now) {
  const double wait = drive_.busy_until() - now;
  if (options_.pace && wait > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
}

VtapeTarget::Reply VtapeTarget::WriteFilemarks(Cdb cdb, double now) {
  const bool immediate = cdb[1] & 0x01;
  if (cdb[1] & 0x02) return InvalidField();  // no setmarks
  const uint32_t count = Be24(&cdb[2]);
  if (count > 0 && write_protected_) return WriteProtected();
  if (auto f = SimpleFault(FaultCommand::kWfm, pos_)) return *f;
  if (count > 0) {
    if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
    if (Status st = image_->AppendTapeMarks(count); !st.ok()) {
      pos_ = image_->size();
      return ImageError(st, true);
    }
    pos_ += count;
    stats_.filemarks_written += count;
  }
  if (!immediate || count == 0) {
    // The durability point of SSC: buffered data and filemarks are on the medium.
    ++stats_.syncs;
    if (Status st = image_->Sync(); !st.ok()) return ImageError(st, true);
    DelayFor(drive_.Flush(now));
    Pace(now);
  }
  if (count > 0 && PastEarlyWarning(Used())) {
    return Check({SenseKey::kNoSense, 0x00, 0x02, false, true, false, true, 0});
  }
  return Good();
}

}  // namespace tsfs::vtape
