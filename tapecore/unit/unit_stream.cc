// TapeUnit::Impl: the read and write streams and ts close.
#include <string>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

namespace {

Status Busy() {
  return Status::Error(ErrorCode::kBusy, "one data stream per drive: a file is already open");
}

}  // namespace

Status TapeUnit::Impl::AllocateBuffers() {
  const size_t bytes = config_.buffer_kb * 1024;
  Result<std::unique_ptr<StreamBuffers>> b = StreamBuffers::Allocate(
      bytes, config_.openfail,
      [this] { diag_.Line(LogLevel::kWarning, "waiting for memory for the streaming buffers"); });
  if (!b.ok()) return b.status();
  buffers_ = std::move(b).value();
  return Status::Ok();
}

// ---------------------------------------------------------------- writing

Status TapeUnit::Impl::CheckWritable() {
  if (stream_ != StreamKind::kNone) return Busy();
  TSFS_RETURN_IF_ERROR(CheckMedium());
  TSFS_RETURN_IF_ERROR(RefreshWriteProtect());
  if (write_protect_) {
    return Status::Error(ErrorCode::kReadOnly, "Media is protected").WithContext("open for write");
  }
  return EnsureCatalog();
}

Result<int> TapeUnit::Impl::OpenAppend() {
  UnitLock lock(*this);
  TSFS_RETURN_IF_ERROR(CheckWritable());
  TSFS_RETURN_IF_ERROR(SeekEndOfData());
  if (catalog_.last_incomplete()) {
    // A file whose filemark never reached the tape: end it, then append.
    Status s = ssc_.WriteFilemarks(1);
    if (!s.ok()) return Fail(s);
    catalog_.at(catalog_.count() - 1).complete = true;
    pos_.Set(catalog_.count(), 0, true);
  }
  const int index = catalog_.count();
  TSFS_RETURN_IF_ERROR(BeginWrite(index));
  return index;
}

Status TapeUnit::Impl::OpenOverwrite(int index) {
  UnitLock lock(*this);
  TSFS_RETURN_IF_ERROR(CheckWritable());
  if (index < 0 || index > catalog_.count()) {
    return Status::Error(ErrorCode::kNotFound,
                         "tape file " + std::to_string(index) + " does not exist")
        .WithContext("overwrite");
  }
  if (index == catalog_.count()) {
    TSFS_RETURN_IF_ERROR(SeekEndOfData());
  } else {
    TSFS_RETURN_IF_ERROR(SeekFileStart(index));
  }
  return BeginWrite(index);
}

Status TapeUnit::Impl::BeginWrite(int index) {
  if (index == 0 && config_.erase_on_write) {
    // ts: a write from the beginning of the tape erases it first.
    TSFS_RETURN_IF_ERROR(EraseWholeTape(/*for_write=*/true));
  }
  TSFS_RETURN_IF_ERROR(AllocateBuffers());
  stream_start_ = CurrentObject();
  catalog_.TruncateAt(index);
  first_block_.clear();
  deferred_ = std::make_unique<DeferredError>();
  writer_ = std::make_unique<WriterThread>(
      ssc_, *buffers_, config_.block_size, diag_, *deferred_, config_.write_watermark,
      uint64_t{config_.write_watermark_max_kb} * 1024, &drive_timing_);
  stream_ = StreamKind::kWrite;
  stream_index_ = index;
  offset_ = 0;
  eom_reported_ = false;
  released_ = false;
  return Status::Ok();
}

Status TapeUnit::Impl::ReportDeferred() {
  Status s = deferred_->Take();
  if (s.ok()) return s;
  // Volume overflow: say what the caller will not find on the tape.
  if (s.code() == ErrorCode::kNoSpace) {
    const std::string lost =
        std::to_string(writer_->bytes_lost()) + " bytes written earlier did not reach the tape";
    if (s.sense() != nullptr) {
      return Status::Scsi(s.context(), s.message() + ": " + lost, s.scsi_status(), *s.sense(),
                          s.cdb())
          .WithCode(ErrorCode::kNoSpace);
    }
    return Status::Error(ErrorCode::kNoSpace, s.message() + ": " + lost).WithContext("write");
  }
  return s;
}

void TapeUnit::Impl::NoteLostPosition() {
  // A UNIT ATTENTION since the stream began (a reset, a new iSCSI session)
  // answered one of this stream's commands in place of doing it: the drive
  // is no longer at the end of this file (tgtd and istgt: back at BOT), and
  // the next command would write there. The stream fails instead.
  if (transport_->AttentionPending()) {
    deferred_->Set(Status::Error(ErrorCode::kTransport,
                                 "the drive was reset while the file was written (UNIT "
                                 "ATTENTION): nothing more is written to it")
                       .WithContext("write"));
  }
}

Status TapeUnit::Impl::Write(std::span<const uint8_t> data) {
  UnitLock lock(*this);
  if (stream_ != StreamKind::kWrite) {
    return Status::Error(ErrorCode::kBadSequence, "no file open for writing").WithContext("write");
  }
  NoteLostPosition();
  if (deferred_->pending()) return ReportDeferred();
  if (deferred_->failed()) {
    // Reported already: refuse more data with an error of this call's own.
    const ErrorCode code =
        deferred_->code() == ErrorCode::kNoSpace ? ErrorCode::kNoSpace : ErrorCode::kIo;
    return Status::Error(code, "an earlier write to this file failed; no more data is taken")
        .WithContext("write");
  }
  if (writer_->early_warning()) {
    const bool first = !eom_reported_;
    eom_reported_ = true;
    return Status::Error(ErrorCode::kNoSpace,
                         first ? "end of medium (early warning): the data before this write is "
                                 "kept and the file can still be closed"
                               : "end of medium")
        .WithContext("write");
  }
  if (writer_->padded_tail()) {
    // A flush (close of a dup, fsync) padded the last block: back over it
    // so its bytes and these continue one file with no zeros between.
    Result<SpaceResult> back = ssc_.Space(SpaceCode::kBlocks, -1);
    if (!back.ok()) {
      (void)Fail(back.status());
      return Status::Error(ErrorCode::kIo,
                           "cannot go back over the padded last block to continue the file")
          .WithContext("write");
    }
    writer_->Unpad();
  }
  if (!writer_->Put(data)) return ReportDeferred();
  NoteWrittenBytes(data);
  offset_ += data.size();
  return Status::Ok();
}

Status TapeUnit::Impl::Sync() {
  UnitLock lock(*this);
  if (stream_ != StreamKind::kWrite) {
    if (!after_write_) return Status::Ok();
    Status s = ssc_.WriteFilemarks(0);
    return s.ok() ? s : Fail(s);
  }
  // Every byte accepted goes to the tape, the last block zero-padded (a
  // later Write backs over it); then the drive empties its own buffer. When
  // this returns OK the file's bytes are on the medium (close and fsync).
  NoteLostPosition();
  writer_->Flush();
  if (deferred_->pending()) return ReportDeferred();
  if (deferred_->failed()) return Status::Ok();  // reported before; close says the rest
  Status s = ssc_.WriteFilemarks(0);             // count 0: the drive writes out its buffer
  return s.ok() ? s : Fail(s);
}

Status TapeUnit::Impl::CloseWrite() {
  writer_->Flush();
  writer_->Stop();
  Status result = ReportDeferred();
  const uint64_t blocks = writer_->blocks_on_tape();
  // ts: the filemark is tried even after a write error, but not where the
  // drive lost its position: after a WRITE that got no answer or a reset
  // (a new iSCSI session: tgtd and istgt are back at BOT) a filemark would
  // land elsewhere and cut the tape there.
  bool lost = deferred_->code() == ErrorCode::kTransport || transport_->AttentionPending();
  Status fm;
  if (lost) {
    fm = Status::Error(ErrorCode::kTransport, "the drive lost its position while file " +
                                                  std::to_string(stream_index_) +
                                                  " was written; it stays without filemark")
             .WithContext("write file marks");
    diag_.Line(LogLevel::kError, std::string(kMsgCloseFilemark) + ": file " +
                                     std::to_string(stream_index_) + ": " + fm.message());
  } else {
    fm = ssc_.WriteFilemarks(1);
    if (!fm.ok()) {
      diag_.CommandFailed(fm);
      diag_.Line(LogLevel::kError,
                 std::string(kMsgCloseFilemark) + ": file " + std::to_string(stream_index_));
      lost = fm.code() == ErrorCode::kTransport || transport_->AttentionPending();
    }
  }
  if (!fm.ok() && result.ok()) result = fm;
  CatalogEntry e;
  e.blocks = blocks;
  e.size_known = true;
  e.bytes = blocks * config_.block_size;  // ts: the last block zero-padded
  e.size = SizeKind::kExact;
  e.first_record = blocks > 0 ? config_.block_size : 0;
  e.complete = fm.ok();
  e.start = stream_start_;
  if (lost) {
    // A WRITE without an answer may have reached the tape: the size is
    // learned by reading the file (at its next open).
    e.size_known = false;
    e.size = SizeKind::kUnknown;
    e.first_record = config_.block_size;
  }
  catalog_.Put(stream_index_, e);
  if (stream_index_ == 0 && blocks > 0) {
    // A new file 0 is a new medium for the catalog store.
    first_block_.resize(config_.block_size, 0);
    const uint64_t fp = MediumFingerprint(first_block_, config_.block_size);
    if (fingerprint_ != 0 && fingerprint_ != fp) (void)store_.Forget(fingerprint_);
    fingerprint_ = fp;
  }
  if (stream_start_ && !lost) catalog_.SetEod(*stream_start_ + blocks + (fm.ok() ? 1 : 0));
  if (lost) {
    pos_.SetUnknown();
  } else if (fm.ok()) {
    pos_.Set(stream_index_ + 1, 0, true);
  } else {
    pos_.Set(stream_index_, static_cast<int64_t>(blocks), true);
  }
  after_write_ = true;
  writer_.reset();
  deferred_.reset();
  PersistCatalog();
  return result;
}

// ---------------------------------------------------------------- reading

Status TapeUnit::Impl::OpenRead(int index) {
  UnitLock lock(*this);
  if (stream_ != StreamKind::kNone) return Busy();
  if (after_write_) {
    diag_.Line(LogLevel::kError, kMsgReadAfterWrite);
    return Status::Error(ErrorCode::kBadSequence, kMsgReadAfterWrite).WithContext("read");
  }
  if (index < 0 || (catalog_.known() && index >= catalog_.count())) {
    return Status::Error(ErrorCode::kNotFound,
                         "tape file " + std::to_string(index) + " does not exist")
        .WithContext("open");
  }
  TSFS_RETURN_IF_ERROR(AllocateBuffers());
  stream_ = StreamKind::kRead;
  stream_index_ = index;
  offset_ = 0;
  read_started_ = false;
  read_done_ = false;
  read_error_ = Status::Ok();
  released_ = false;
  return Status::Ok();
}

Status TapeUnit::Impl::StartReading() {
  TSFS_RETURN_IF_ERROR(CheckMedium());
  if (retension_pending_) TSFS_RETURN_IF_ERROR(Retension());
  TSFS_RETURN_IF_ERROR(EnsureCatalog());
  if (stream_index_ >= catalog_.count()) {
    return Status::Error(ErrorCode::kNotFound,
                         "tape file " + std::to_string(stream_index_) + " does not exist")
        .WithContext("read");
  }
  TSFS_RETURN_IF_ERROR(SeekFileStart(stream_index_));
  ReaderOptions options;
  options.medium_error_at_end_of_data = caps_.fixed_read_eod_medium_error;
  options.reread_mismatched = caps_.variable_read_exact_length_only;
  const int index = stream_index_;
  // Runs on the reader thread, which owns the Ssc while it reads.
  options.seek_to_block = [this, index](uint64_t n) -> Status {
    TSFS_RETURN_IF_ERROR(ssc_.Rewind());
    if (index > 0) {
      TSFS_ASSIGN_OR_RETURN(SpaceResult f, ssc_.Space(SpaceCode::kFilemarks, index));
      if (f.end_of_data) return Status::Error(ErrorCode::kIo, "file vanished").WithContext("space");
    }
    if (n > 0) {
      TSFS_ASSIGN_OR_RETURN(SpaceResult b, ssc_.Space(SpaceCode::kBlocks, static_cast<int32_t>(n)));
      (void)b;
    }
    return Status::Ok();
  };
  reader_ =
      std::make_unique<ReaderThread>(ssc_, *buffers_, config_.block_size, diag_, std::move(options),
                                     config_.read_watermark, &drive_timing_);
  read_started_ = true;
  return Status::Ok();
}

Result<size_t> TapeUnit::Impl::Read(std::span<uint8_t> buf) {
  UnitLock lock(*this);
  if (stream_ != StreamKind::kRead) {
    return Status::Error(ErrorCode::kBadSequence, "no file open for reading").WithContext("read");
  }
  if (!read_error_.ok()) {
    Status e = read_error_;
    read_error_ = Status::Ok();
    return e;
  }
  if (!read_started_) TSFS_RETURN_IF_ERROR(StartReading());
  size_t total = 0;
  while (total < buf.size() && !read_done_) {
    Result<size_t> n = reader_->Get(buf.subspan(total));
    if (!n.ok()) {
      read_done_ = true;
      FinishReadKnowledge();
      if (total == 0) return n.status();
      read_error_ = n.status();  // after the data before it
      break;
    }
    if (*n == 0) {
      read_done_ = true;
      FinishReadKnowledge();
      break;
    }
    total += *n;
  }
  offset_ += total;
  return total;
}

void TapeUnit::Impl::FinishReadKnowledge() {
  // The reader thread has ended: the file's real size is known now.
  if (!reader_->ended() || reader_->failed()) return;
  if (catalog_.known() && stream_index_ < catalog_.count()) {
    CatalogEntry& e = catalog_.at(stream_index_);
    e.blocks = reader_->objects_read();
    e.size_known = true;
    e.bytes = reader_->bytes_read();
    e.size = SizeKind::kExact;
    e.first_record = static_cast<uint32_t>(reader_->first_record());
    PersistCatalog();
  }
}

Status TapeUnit::Impl::CloseRead() {
  if (!read_started_) return Status::Ok();  // lazy open: the tape never moved
  reader_->Stop();
  const bool passed_fm = reader_->passed_filemark();
  const bool eod = reader_->hit_end_of_data();
  const uint64_t objects = reader_->objects_read();
  reader_.reset();
  if (passed_fm) {
    pos_.Set(stream_index_ + 1, 0, false);
    return Status::Ok();
  }
  if (eod) {
    pos_.Set(stream_index_, static_cast<int64_t>(objects), true);
    return Status::Ok();
  }
  if (transport_->AttentionPending()) {
    // The drive was reset while the file was read (a new iSCSI session):
    // it is not in this file any more; the next use sets it up again.
    pos_.SetUnknown();
    return Status::Ok();
  }
  // ts: closing part-way spaces forward to the start of the next file.
  Result<SpaceResult> sp = ssc_.Space(SpaceCode::kFilemarks, 1);
  if (!sp.ok()) {
    pos_.SetUnknown();
    return Fail(sp.status());
  }
  if (sp->end_of_data) {
    pos_.SetUnknown();  // the file had no filemark: we are at end of data
    return Status::Ok();
  }
  pos_.Set(stream_index_ + 1, 0, false);
  return Status::Ok();
}

// ---------------------------------------------------------------- close

Status TapeUnit::Impl::CloseLocked() {
  Status s;
  if (stream_ == StreamKind::kWrite) {
    s = CloseWrite();
  } else if (stream_ == StreamKind::kRead) {
    s = CloseRead();
  }
  stream_ = StreamKind::kNone;
  stream_index_ = -1;
  buffers_.reset();  // ts: the buffers are released at close
  return s;
}

Status TapeUnit::Impl::Close() {
  UnitLock lock(*this);
  return CloseLocked();
}

}  // namespace tsfs
