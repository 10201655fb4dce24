// ReaderThread: the read half of ts streaming. A background thread fills one
// buffer with one large fixed READ while the caller is served from the other,
// so the drive sees back-to-back commands. It stops at the filemark (or end
// of data) of the file being read and never reads past it.
//
// Tapes written elsewhere in variable mode (tar's 10240-byte records): when a
// fixed read reports an incorrect length (ILI), the thread spaces back over
// that record and goes on with variable reads of the exact record length,
// concatenated into one byte stream.
//
// Ownership: uses (does not own) the Ssc and the buffers. While the thread
// runs nobody else may use the Ssc; after Stop() it is free again.
// Thread-safety: Get/Stop from one caller thread at a time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <thread>

#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/stream_buffers.h"

namespace tsfs {

struct ReaderOptions {
  // tgtd: a fixed READ that meets end of data answers MEDIUM ERROR 31/00
  // without a count of the good blocks. With this set, that answer makes the
  // thread go back to where the READ started (seek_to_block) and read block
  // by block to the real end of data.
  bool medium_error_at_end_of_data = false;
  // Positions the tape at block `n` of the file being read (from its start).
  std::function<Status(uint64_t n)> seek_to_block;
};

class ReaderThread final {
 public:
  ReaderThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size, const Diagnostics& diag,
               ReaderOptions options = {});
  ~ReaderThread();
  ReaderThread(const ReaderThread&) = delete;
  ReaderThread& operator=(const ReaderThread&) = delete;

  // Copies up to out.size() bytes of the file; waits for data. 0 at the end
  // of the file. A read failure comes after all data before it, once; then 0.
  Result<size_t> Get(std::span<uint8_t> out);
  // Stops reading ahead; waits for the command in flight.
  void Stop();

  // Valid after Stop() (or once Get returned 0):
  bool passed_filemark() const;  // the tape is at the start of the next file
  bool hit_end_of_data() const;  // the file had no filemark
  bool failed() const;
  uint64_t objects_read() const;  // blocks or variable records passed
  uint64_t bytes_read() const;    // bytes the drive delivered (all of the file when ended)
  bool ended() const;

 private:
  struct Slot {
    size_t len = 0;
    size_t pos = 0;
    bool full = false;
  };
  void Run();
  // Fills buffer `i`; returns its length. Sets the end flags.
  size_t Fill(int i);
  size_t FillFixed(std::span<uint8_t> buf);
  // Block-by-block reads after tgtd's MEDIUM ERROR 31/00 at end of data.
  size_t FillBlockByBlock(std::span<uint8_t> buf);
  size_t FillVariable(std::span<uint8_t> buf);
  // Reads one variable record of unknown or mismatched length at exactly its
  // length into `buf`; returns bytes or 0 with end flags/error set.
  size_t ReadExactRecord(std::span<uint8_t> buf, size_t want);
  void SetError(const Status& s);
  bool stopping() const;

  Ssc& ssc_;
  StreamBuffers& buffers_;
  const uint32_t block_size_;
  const size_t capacity_;
  const Diagnostics& diag_;
  const ReaderOptions options_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  Slot slots_[2];
  int fill_ = 0;
  int get_ = 0;
  bool stop_ = false;
  bool ended_ = false;  // no more slots will come
  bool filemark_ = false;
  bool eod_ = false;
  Status error_;
  bool error_reported_ = false;
  uint64_t objects_ = 0;
  uint64_t bytes_ = 0;
  // Thread-only state: variable mode and the record length learned.
  bool variable_ = false;
  bool block_by_block_ = false;
  size_t record_length_ = 0;
  std::thread thread_;
};

}  // namespace tsfs
