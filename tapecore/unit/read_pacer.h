// ReadPacer: when the reader thread may fill a slot, so that a consumer
// slower than the drive costs as few tape starts as the drive allows.
//
// A drive that reads ahead stops once its own buffer (D bytes) is full and
// starts again only when the host has emptied it (or wants data that is not
// there). The fewest starts come from a host that takes nothing from the
// drive while the tape stands and everything it can while the tape moves:
// then each start moves D + 2b (both host buffers of b bytes) and more while
// the consumer keeps taking. The host sees neither D nor the tape; it sees
// how long a fill took. A fill served from the drive's buffer runs at the
// interface's speed; one that waited for the tape runs at most at the tape's.
//
// What the drive does is inferred from the timing of the fills
// (drive_timing.h). Three states:
//   kStream  fill every free slot at once (the start, and while the tape
//            moves);
//   kHeld    every slot was full: the consumer is slower than the drive.
//            While the tape is taken to move, top up each slot the consumer
//            frees (the drive fills its buffer meanwhile); once it stands,
//            take nothing until `resume_free` slots are free (the
//            watermark, all of them by default);
//   kTrickle then take the drive's buffer one slot at a time, one slot ahead
//            of the consumer, so that the host holds little when the tape
//            starts. A fill that waited for the tape (or, while the drive is
//            not known yet, one buffer's worth of slots taken), or a
//            consumer that found nothing to read, turns back to kStream.
// The cap of one buffer bounds the cost on a drive that starts reading again
// before its buffer is empty (the fill that waited is then never seen).
//
// Measured with vtape's drive model (tests/bench/repositions.sh, 64 MiB
// buffers, D = 64 MiB): refilling every slot at the watermark made 1.5 to
// 2.25 times the ideal count of starts, because the host took the drive's
// buffer while the tape stood and held it when the tape started.
//
// Not thread-safe: the reader thread calls it under its lock. Times are
// seconds on one monotonic clock.
#pragma once

#include <cstddef>

#include "tapecore/unit/drive_timing.h"

namespace tsfs {

class ReadPacer final {
 public:
  enum class State { kStream, kHeld, kTrickle };

  // `slots` in all, `resume_free` of them free before kHeld ends, at most
  // `trickle_slots` taken one by one. `timing`: what is known of the drive
  // (kept by the unit from file to file; it must outlive the pacer).
  ReadPacer(size_t slots, size_t resume_free, size_t trickle_slots, DriveTiming& timing);

  // May the thread fill a slot at `now`, with `free` slots free and `full`
  // slots waiting for the consumer?
  bool MayFill(size_t free, size_t full, double now);
  // The thread starts a fill (MayFill was true).
  void FillStarting(double now);
  // A fill of `bytes` took `seconds` and ended at `now`; `free` slots are
  // free after it.
  void Filled(size_t bytes, double seconds, double now, size_t free);
  // The consumer asked for data and none was there.
  void ConsumerStarved();
  // The slots were cut again (a larger record).
  void Reset(size_t slots, size_t resume_free, size_t trickle_slots);

  State state() const { return state_; }
  DriveTiming& timing() { return timing_; }

 private:
  size_t resume_free_ = 1;
  size_t trickle_slots_ = 1;
  size_t trickled_ = 0;
  State state_ = State::kStream;
  DriveTiming& timing_;
};

}  // namespace tsfs
