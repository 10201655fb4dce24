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
// The host sees neither D nor the tape; it sees how long a WRITE took. One
// that fits the drive's buffer ends at the interface's speed; one that meets
// a full buffer waits for the tape. So the pacer learns:
//   D: the bytes a stopped, empty drive took before a WRITE first waited;
//   R: the rate of the WRITEs that waited (the tape's);
// and from them how full the drive is and whether its tape moves: a WRITE
// that waited leaves the buffer full and the tape moving; the tape drains
// it at R and stops when it is empty; a flush empties it and stops the tape.
//
// Until it has learned D (no WRITE has waited yet), it sends as the writer
// did before: nothing until the watermark, then every full slot until none
// is left. Once it knows D:
//   tape moving   send every full slot at once;
//   tape standing send one slot each time the watermark is reached (the
//                 overflow) until the sent bytes fill D; then the tape is
//                 taken to move.
// A drive that starts its tape before its buffer is full is not seen by
// this (its WRITEs never wait until the buffer is full); such a drive then
// gets the overflow only until the learned D is reached.
//
// Measured with vtape's drive model (tests/bench/repositions.sh, 64 MiB
// buffers, D = 64 MiB): sending everything at the watermark made 1.5 to
// 2.25 times the ideal count of starts.
//
// Not thread-safe: the writer thread calls it under its lock. Times are
// seconds on one monotonic clock.
#pragma once

#include <cstddef>

namespace tsfs {

class WritePacer final {
 public:
  // A WRITE waited for the tape when it ran at less than 1 / kSlowFactor of
  // the fastest WRITE seen.
  static constexpr double kSlowFactor = 4.0;

  explicit WritePacer(size_t watermark_slots);

  // May the thread send a slot now, with `full` slots queued?
  bool MaySend(size_t full, double now);
  // A WRITE of `bytes` took `seconds` and ended at `now`; `full` slots are
  // still queued.
  void Sent(size_t bytes, double seconds, double now, size_t full);
  // Everything sent is on tape and the tape stands (a flush).
  void DriveFlushed();

  bool knows_drive() const { return drive_buffer_ > 0; }
  double drive_buffer() const { return drive_buffer_; }
  double tape_rate() const { return tape_rate_; }
  bool tape_moving() const { return moving_; }

 private:
  void DrainTo(double now);

  size_t watermark_;
  bool streaming_ = false;   // before D is known: sending until the queue is empty
  double fastest_ = 0;       // bytes per second of the fastest WRITE
  double drive_buffer_ = 0;  // D learned (0: not yet)
  double tape_rate_ = 0;     // R learned
  bool moving_ = false;      // the tape is taken to move
  double level_ = 0;         // bytes taken to be in the drive's buffer
  double level_time_ = 0;    // when level_ was right
  double cold_bytes_ = 0;    // sent since the drive was last empty and standing
};

}  // namespace tsfs
