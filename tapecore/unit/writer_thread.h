// WriterThread: the write half of ts streaming. The caller fills one buffer
// while a background thread sends the other to the drive in one large fixed
// WRITE, so the drive sees back-to-back commands while the caller keeps up.
// User bytes are packed into blocks of block_size; Flush(pad) zero-pads the
// last block of a file.
//
// A failed WRITE is recorded in the DeferredError (and logged as ts did); from
// then on nothing more is sent and queued data is counted as lost.
//
// Ownership: uses (does not own) the Ssc, the buffers and the error slot,
// which must outlive it. While the thread runs, nobody else may use the Ssc;
// after Flush() returns the thread is idle and the Ssc is free again.
// Thread-safety: Put/Flush/Stop from one caller thread at a time.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/deferred_error.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/stream_buffers.h"

namespace tsfs {

class WriterThread final {
 public:
  WriterThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size, const Diagnostics& diag,
               DeferredError& error);
  ~WriterThread();
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Copies `data` into the buffers; a full buffer goes to the thread. Blocks
  // while both buffers are queued. False when the stream has failed (the data
  // is not taken).
  bool Put(std::span<const uint8_t> data);
  // Sends what is buffered and waits until the drive has it. pad: the last
  // partial block is zero-padded and sent (close, fsync: every byte accepted
  // is then on tape); !pad: a tail shorter than a block stays buffered.
  void Flush(bool pad);
  // After Flush(true) sent a padded partial block: its real bytes. Before
  // more data, the caller backs the tape over that block (SPACE -1) and
  // calls Unpad, which queues those bytes again, so the file comes out as if
  // no flush had happened.
  bool padded_tail() const;
  void Unpad();
  // Ends the thread (after sending what is queued).
  void Stop();

  bool early_warning() const;
  uint64_t bytes_accepted() const;
  uint64_t blocks_on_tape() const;
  // User bytes accepted that did not reach the tape (after a failure).
  uint64_t bytes_lost() const;

 private:
  struct Slot {
    size_t len = 0;
    bool full = false;
  };
  void Run();
  // Sends `len` bytes of buffer `i`; returns the bytes that reached the tape
  // and sets `*error` when a WRITE failed.
  uint64_t Send(int i, size_t len, Status* error);
  void WaitIdleLocked(std::unique_lock<std::mutex>& lock);

  Ssc& ssc_;
  StreamBuffers& buffers_;
  const uint32_t block_size_;
  const size_t capacity_;  // bytes per buffer, whole blocks
  const Diagnostics& diag_;
  DeferredError& error_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  Slot slots_[2];
  int fill_ = 0;  // the slot the caller fills
  int send_ = 0;  // the next slot the thread sends
  bool stop_ = false;
  bool early_warning_ = false;
  uint64_t accepted_ = 0;
  uint64_t on_tape_bytes_ = 0;        // including padding
  std::vector<uint8_t> padded_tail_;  // real bytes of the padded block last sent
  std::thread thread_;
};

}  // namespace tsfs
