// WriterThread: the write half of ts streaming. The caller fills the
// streaming buffers (a ring of slots, stream_slots.h) while a background
// thread sends full slots to the drive, each in one large fixed WRITE.
// User bytes are packed into blocks of block_size; Flush(pad) zero-pads the
// last block of a file.
//
// Full slots are sent in the order they were filled; a slot the drive has
// taken is the next one filled (a stack of free slots), so a producer no
// faster than the drive keeps reusing the same few slots and the rest of a
// large buffer is never touched (its pages are never taken, see
// stream_buffers.h).
//
// Watermark: the thread does not start the drive for the first full slot.
// It waits until `high_water_slots` slots are full (by default all of them:
// both buffers, up to 256 MiB), then sends while full slots keep coming; once it finds
// none, the drive may stop, and the next start waits for the watermark
// again. A slow producer so gives the drive one long burst per start instead
// of a start and a stop per buffer. Once the timing of its WRITEs has shown
// the drive's buffer and rate, the thread keeps its buffers full while the
// tape stands and sends everything while it moves (write_pacer.h). Flush and
// Stop never wait for it.
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
#include <deque>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/deferred_error.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/stream_buffers.h"
#include "tapecore/unit/stream_slots.h"
#include "tapecore/unit/write_pacer.h"

namespace tsfs {

class WriterThread final {
 public:
  // high_water_percent: how full the buffers must be before the drive
  // starts (100: both buffers); high_water_max_bytes: but never more than
  // this (WriteWatermarkSlots). timing: what is known of the drive's buffer
  // and tape (the unit keeps it from file to file); null: the thread learns
  // on its own.
  WriterThread(Ssc& ssc, StreamBuffers& buffers, uint32_t block_size, const Diagnostics& diag,
               DeferredError& error, unsigned high_water_percent = 100,
               uint64_t high_water_max_bytes = UINT64_MAX, DriveTiming* timing = nullptr);
  ~WriterThread();
  WriterThread(const WriterThread&) = delete;
  WriterThread& operator=(const WriterThread&) = delete;

  // Copies `data` into the buffers; a full slot goes to the thread. Blocks
  // while every slot is queued. False when the stream has failed (the data
  // is not taken).
  bool Put(std::span<const uint8_t> data);
  // Sends what is buffered and waits until the drive has it; the last
  // partial block is zero-padded and sent (close, fsync: every byte accepted
  // is then on tape).
  void Flush();
  // After Flush() sent a padded partial block: its real bytes. Before
  // more data, the caller backs the tape over that block (SPACE -1) and
  // calls Unpad, which queues those bytes again, so the file comes out as if
  // no flush had happened.
  bool padded_tail() const;
  void Unpad();
  // Ends the thread (after sending what is queued).
  void Stop();

  bool early_warning() const;
  uint64_t blocks_on_tape() const;
  // User bytes accepted that did not reach the tape (after a failure).
  uint64_t bytes_lost() const;

 private:
  static constexpr size_t kNoSlot = static_cast<size_t>(-1);
  void Run();
  // Makes fill_ a free slot, waiting for one; false when the stream failed
  // first.
  bool AcquireFillLocked(std::unique_lock<std::mutex>& lock);
  // The caller's slot goes to the queue of full slots.
  void QueueFillLocked();
  // Sends `len` bytes of slot `i`; returns the bytes that reached the tape
  // and sets `*error` when a WRITE failed.
  uint64_t Send(size_t i, size_t len, Status* error);
  void WaitIdleLocked(std::unique_lock<std::mutex>& lock);

  Ssc& ssc_;
  const uint32_t block_size_;
  const std::vector<std::span<uint8_t>> spans_;  // the slots' memory
  const size_t high_water_slots_;
  const Diagnostics& diag_;
  DeferredError& error_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<size_t> len_;   // bytes in each slot
  std::deque<size_t> full_;   // full slots in the order filled; the front one is being sent
  std::vector<size_t> free_;  // empty slots, the most recently emptied last
  size_t fill_ = 0;           // the slot the caller fills, or kNoSlot
  bool stop_ = false;
  bool flushing_ = false;   // Flush waits: send without a watermark
  DriveTiming own_timing_;  // used when the caller keeps none
  WritePacer pacer_;        // when the thread may send a slot
  bool early_warning_ = false;
  uint64_t accepted_ = 0;
  uint64_t on_tape_bytes_ = 0;        // including padding
  std::vector<uint8_t> padded_tail_;  // real bytes of the padded block last sent
  std::thread thread_;
};

}  // namespace tsfs
