// WritePacer: when the writer thread may send a slot, so that a producer
// slower than the drive costs as few tape starts as the drive allows.
//
// A drive that buffers what it is sent starts the tape once its buffer (D
// bytes) is full and stops when it runs dry. The fewest starts come from a
// host that, while the tape stands, keeps both its buffers full (2b) and
// passes the drive only what overflows, so that when the drive's buffer
// fills and the tape starts the host still holds 2b; and that, while the
// tape moves, sends everything at once. Then each start moves D + 2b and
// more while the producer keeps filling.
//
// What the drive does is inferred from the timing of the WRITEs
// (drive_timing.h). Until a WRITE has waited for the tape (D unknown), the
// pacer sends as the writer did before: nothing until the watermark, then
// every full slot until none is left. Once it knows D:
//   tape moving   every full slot goes at once;
//   tape standing one slot each time the watermark is reached (the
//                 overflow), until the drive's buffer is full and its tape
//                 starts.
//
// Measured with vtape's drive model (tests/bench/repositions.sh, 64 MiB
// buffers, D = 64 MiB): sending everything at the watermark made 1.5 to
// 2.25 times the ideal count of starts.
//
// Not thread-safe: the writer thread calls it under its lock. Times are
// seconds on one monotonic clock.
#pragma once

#include <cstddef>

#include "tapecore/unit/drive_timing.h"

namespace tsfs {

class WritePacer final {
 public:
  // `timing`: what is known of the drive (kept by the unit from file to
  // file; it must outlive the pacer). The drive is empty and standing when
  // the writer starts (after a filemark or a positioning command).
  WritePacer(size_t watermark_slots, DriveTiming& timing);

  // May the thread send a slot now, with `full` slots queued?
  bool MaySend(size_t full, double now);
  // A WRITE of `bytes` took `seconds` and ended at `now`; `full` slots are
  // still queued.
  void Sent(size_t bytes, double seconds, double now, size_t full);
  // Everything sent is on tape and the tape stands (a flush).
  void DriveFlushed();

  DriveTiming& timing() { return timing_; }

 private:
  size_t watermark_;
  bool streaming_ = false;  // D unknown: sending until the queue is empty
  DriveTiming& timing_;
};

}  // namespace tsfs
