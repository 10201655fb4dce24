#include "fusefs/open_file.h"

#include <algorithm>
#include <vector>

#include "fusefs/mount.h"
#include "fusefs/mount_options.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

OpenFile::OpenFile(Mount& mount, int index, Access access, pid_t opener)
    : mount_(mount), index_(index), access_(access), opener_(opener) {}

Status OpenFile::StartWrite() {
  std::lock_guard<std::mutex> lock(mu_);
  TSFS_RETURN_IF_ERROR(mount_.AcquireStream(this));
  Status st;
  if (access_ == Access::kAppend) {
    // Two creates of the same next name: the second one got the drive
    // after the first finished, and its name is no longer the next one.
    auto entries = mount_.ListFiles();
    const int next = !entries.ok() || entries->empty() ? 0 : entries->back().index + 1;
    if (entries.ok() && next != index_) {
      mount_.ReleaseStream(this);
      return Status::Error(
          ErrorCode::kPermission,
          "a new tape file must be named " + TapeFileName(next) + ", not " + TapeFileName(index_));
    }
    auto index = mount_.unit().OpenAppend();
    if (index.ok() && *index != index_) {
      mount_.logger().Log(
          LogLevel::kWarning, mount_.unit_name(),
          "created " + TapeFileName(index_) + " but the tape appends " + TapeFileName(*index));
    }
    st = index.status();
  } else {
    st = mount_.unit().OpenOverwrite(index_);
  }
  if (!st.ok()) {
    mount_.ReleaseStream(this);
    return st;
  }
  pos_ = 0;
  wrote_ = false;
  state_ = State::kWriting;
  return Status::Ok();
}

Status OpenFile::OpenReadStream() {
  TSFS_RETURN_IF_ERROR(mount_.AcquireStream(this));
  Status st = mount_.PrepareRead();
  if (st.ok()) st = mount_.unit().OpenRead(index_);
  if (!st.ok()) {
    mount_.ReleaseStream(this);
    return st;
  }
  state_ = State::kReading;
  pos_ = 0;
  eof_ = false;
  return Status::Ok();
}

Status OpenFile::CloseStream() {
  const State s = state_.load();
  if (s != State::kReading && s != State::kWriting) return Status::Ok();
  Status st = mount_.unit().Close();
  if (s == State::kWriting) mount_.NoteWriteEnded();
  state_ = s == State::kWriting ? State::kFinished : State::kIdle;
  mount_.ReleaseStream(this);
  return st;
}

void OpenFile::MarkActive() {
  if (!closed_) return;
  closed_ = false;
  mount_.StreamClosed(this, false);
}

Status OpenFile::SkipTo(uint64_t offset) {
  std::vector<uint8_t> scratch;
  while (pos_ < offset && !eof_) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(offset - pos_, kMaxRequestBytes));
    scratch.resize(want);
    TSFS_ASSIGN_OR_RETURN(size_t n, mount_.unit().Read(scratch));
    if (n == 0) eof_ = true;
    pos_ += n;
  }
  return Status::Ok();
}

Result<size_t> OpenFile::Read(std::span<uint8_t> buf, uint64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  MarkActive();
  const State s = state_.load();
  if (s == State::kWriting || (s == State::kFinished && wrote_)) {
    return Status::Error(ErrorCode::kBadSequence, "illegal read after write");
  }
  if (s != State::kReading) {
    // First read, or a read after an mt operation on this descriptor ended
    // the stream: (re)open and skip to the offset.
    TSFS_RETURN_IF_ERROR(OpenReadStream());
  }
  if (offset < pos_) {
    return Status::Error(ErrorCode::kIllegalSeek,
                         TapeFileName(index_) + ": read at " + std::to_string(offset) +
                             " is behind the tape position " + std::to_string(pos_.load()));
  }
  TSFS_RETURN_IF_ERROR(SkipTo(offset));
  if (eof_ || buf.empty()) return size_t{0};
  TSFS_ASSIGN_OR_RETURN(size_t n, mount_.unit().Read(buf));
  if (n == 0) eof_ = true;
  pos_ += n;
  return n;
}

Result<size_t> OpenFile::Write(std::span<const uint8_t> data, uint64_t offset) {
  std::lock_guard<std::mutex> lock(mu_);
  MarkActive();
  State s = state_.load();
  // A descriptor opened for reading never gets here (the kernel refuses
  // write(2) on it with EBADF); were it to, it fails below for want of a
  // write stream.
  if (access_ == Access::kControl && s == State::kIdle && !wrote_) {
    if (!mount_.options().overwrite) {
      return Status::Error(
          ErrorCode::kPermission,
          TapeFileName(index_) + " exists; writing over it needs the mount option overwrite");
    }
    if (offset != 0) {
      return Status::Error(ErrorCode::kIllegalSeek, "overwriting starts at offset 0");
    }
    TSFS_RETURN_IF_ERROR(mount_.AcquireStream(this));
    Status st = mount_.unit().OpenOverwrite(index_);
    if (!st.ok()) {
      mount_.ReleaseStream(this);
      return st;
    }
    pos_ = 0;
    state_ = s = State::kWriting;
  }
  if (s == State::kReading) {
    return Status::Error(ErrorCode::kBadSequence, "write on a tape file being read");
  }
  if (s == State::kFinished) {
    mount_.logger().Log(
        LogLevel::kWarning, mount_.unit_name(),
        TapeFileName(index_) + ": write after the file was closed (its filemark is written)");
    return Status::Error(ErrorCode::kIo, "write after close: the filemark is already written");
  }
  if (s != State::kWriting) return Status::Error(ErrorCode::kIo, "no write stream");
  if (offset != pos_) {
    return Status::Error(ErrorCode::kIllegalSeek, TapeFileName(index_) + ": write at " +
                                                      std::to_string(offset) + ", the tape is at " +
                                                      std::to_string(pos_.load()));
  }
  TSFS_RETURN_IF_ERROR(mount_.unit().Write(data));
  pos_ += data.size();
  wrote_ = true;
  flushed_ = false;
  return data.size();
}

Status OpenFile::Flush(pid_t closer) {
  std::lock_guard<std::mutex> lock(mu_);
  // Only the opener's close may be the last one; a child that inherited
  // the descriptor closing its copy leaves the file open (busy rule).
  if (closer == opener_) {
    closed_ = true;
    mount_.StreamClosed(this, true);
  }
  // FUSE sends a flush for every close(2), also of a duplicate, and cannot
  // tell which close is the last one. So a flush drains the buffers to tape
  // and returns every error of the data written so far, and the filemark is
  // left to release (the last close), where a writer through another
  // duplicate (`{ cmd1; cmd2; } > file`, `exec 3>file`) can no longer come.
  if (state_.load() != State::kWriting || !wrote_ || flushed_) return Status::Ok();
  Status st = mount_.unit().Sync();
  flushed_ = true;
  return st;
}

Status OpenFile::Fsync() {
  std::lock_guard<std::mutex> lock(mu_);
  if (state_.load() != State::kWriting) return Status::Ok();
  return mount_.unit().Sync();
}

void OpenFile::Release() {
  mount_.StreamClosing(this);  // before mu_: an open waiting for us must see it now
  std::lock_guard<std::mutex> lock(mu_);
  Status st = CloseStream();
  if (!st.ok()) {
    mount_.logger().Log(LogLevel::kError, mount_.unit_name(),
                        TapeFileName(index_) + ": closing at release: " + st.ToString());
  }
}

Status OpenFile::Ioctl(MtOp op, int32_t count) {
  std::lock_guard<std::mutex> lock(mu_);
  const State s = state_.load();
  if (s == State::kWriting || s == State::kReading) {
    // This file holds the stream: the unit applies the ts rules itself
    // (after a write only rewind and retension, which write the filemark
    // first; a read in progress ends as a close would).
    Status st = mount_.unit().Ioctl(op, count);
    if (mount_.unit().stream() == StreamKind::kNone) {
      if (s == State::kWriting) mount_.NoteWriteEnded();
      state_ = s == State::kWriting ? State::kFinished : State::kIdle;
      pos_ = 0;
      eof_ = false;
      mount_.ReleaseStream(this);
    }
    mount_.NoteIoctlDone(op, st);
    return st;
  }
  TSFS_RETURN_IF_ERROR(mount_.AcquireStream(this));
  Status st = mount_.unit().Ioctl(op, count);
  mount_.ReleaseStream(this);
  mount_.NoteIoctlDone(op, st);
  return st;
}

}  // namespace tsfs::fusefs
