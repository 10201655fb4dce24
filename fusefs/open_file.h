// OpenFile: one open(2) of a tape file in the mount (what fi->fh points to).
//
// It owns the drive's one data stream while it reads or writes (see
// Mount::AcquireStream) and applies the file-system rules on top of the
// unit: reads at the current offset or ahead (ahead = read and discard),
// ESPIPE behind; writes only at the current offset; flush (every close)
// drains the buffers and returns deferred errors; release (the last close)
// writes the filemark of a written file, or spaces a read one forward.
//
// Thread-safety: every method may be called from any FUSE thread; calls on
// one OpenFile are serialised by mu_. Lock order: OpenFile::mu_, then
// Mount::mu_.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <span>

#include "tapecore/status.h"
#include "tapecore/unit/tape_unit.h"

namespace tsfs::fusefs {

class Mount;

// How the file was opened, decided by Mount::Open/Create from the flags.
enum class Access {
  kRead,       // O_RDONLY: read the tape file
  kControl,    // O_RDWR of an existing file without O_TRUNC: a descriptor for
               // `mt` (weof, erase open the device read-write); reads work,
               // a write needs -o overwrite and then truncates the tape here
  kAppend,     // created as the next name: a new tape file at end of data
  kOverwrite,  // an existing file opened for writing under -o overwrite
};

class OpenFile final {
 public:
  // `opener`: the process that opened it (see the busy rule in mount.h).
  OpenFile(Mount& mount, int index, Access access, pid_t opener);
  OpenFile(const OpenFile&) = delete;
  OpenFile& operator=(const OpenFile&) = delete;

  int index() const { return index_; }
  Mount& mount() const { return mount_; }
  Access access() const { return access_; }
  // True while this file holds the drive's write stream.
  bool writing() const { return state_.load() == State::kWriting; }
  // Bytes read from or written to the current stream.
  uint64_t position() const { return pos_.load(); }
  // A flush drained what was written and nothing came since: the file
  // only waits for its last close (release) to get its filemark.
  bool flushed() const { return flushed_.load(); }

  // Starts the write stream at open (append or overwrite); called once by
  // Mount before the file is handed out.
  Status StartWrite();

  Result<size_t> Read(std::span<uint8_t> buf, uint64_t offset);
  Result<size_t> Write(std::span<const uint8_t> data, uint64_t offset);
  // `closer`: the process whose close(2) this is.
  Status Flush(pid_t closer);
  Status Fsync();
  // Last close of the description. Errors are logged, nobody can see them.
  void Release();
  // An mt operation through this descriptor.
  Status Ioctl(MtOp op, int32_t count);

 private:
  enum class State { kIdle, kReading, kWriting, kFinished };

  Status OpenReadStream();         // mu_ held
  Status CloseStream();            // mu_ held; ends the stream this file owns
  Status SkipTo(uint64_t offset);  // mu_ held; read and discard up to offset
  void MarkActive();               // mu_ held; I/O after a flush

  Mount& mount_;
  const int index_;
  const Access access_;
  const pid_t opener_;
  std::mutex mu_;  // serialises this file's requests (see lock order above)
  std::atomic<State> state_{State::kIdle};
  std::atomic<uint64_t> pos_{0};
  bool eof_ = false;    // the read stream met the filemark
  bool wrote_ = false;  // data went through the write stream
  std::atomic<bool> flushed_{false};
  bool closed_ = false;  // the opener closed it, no I/O since (see Mount::kClosingWait)
};

}  // namespace tsfs::fusefs
