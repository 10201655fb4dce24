// DriveTiming: what the host can tell about a streaming drive's own buffer
// and tape from how long its READs and WRITEs take.
//
// A drive has a buffer of D bytes between the host and the tape, which moves
// at R bytes per second. Writing, the tape starts once the buffer is full
// and stops when it has run dry; reading, it starts once the host has
// emptied the buffer and stops when the buffer is full. Both are one motion
// seen from the host: call x the room the host's transfers use up (writing:
// the bytes buffered; reading: the bytes free). Every transfer adds its bytes
// to x; the moving tape takes x down at R; the tape starts when x reaches D
// and stops when x reaches 0.
//
// A transfer the buffer can serve at once ends at the interface's speed; one
// that needs the tape waits for it and runs at most at R. So:
//   transfers that waited   the tape moves and x is D (writing: the buffer
//                           is full; reading: it had nothing); R is the
//                           bytes of a run of them, each started at once
//                           after the one before, over its time (with a
//                           pause before it, a transfer that waited shows
//                           the host's rate, not the tape's);
//   D                       the bytes moved at once since x was seen to be
//                           0 (writing: after a flush, the drive empty;
//                           reading: once the host let it fill its buffer)
//                           until transfers first waited.
// A transfer waited when it ran at less than 1 / kSlowFactor of the fastest
// of the recent fast ones, and only two such in a row count: measured on
// vtape (pace, 80 MB/s, 1 MiB WRITEs), the fast ones ran at 0.7 to 4.8 GB/s
// and one in a hundred was held up to 200-250 MB/s by the host's scheduler
// or page faults, while every one that met the tape ran at 50-170 MB/s.
// Once R is known, a transfer waited if it ran at less than
// kWaitedRateFactor times R, whatever the fast ones do: the host itself may
// get slower for good (vtape on a disk whose page cache had filled: every
// WRITE took 2.5 ms instead of 0.3, 400 MB/s, an eighth of the fastest; and
// once such ones were the fastest, a WRITE that waited at R was no longer
// an eighth of them), and a transfer that waits for the tape cannot run
// much faster than the tape.
// Until transfers have waited, D and R are unknown (knows_drive() false);
// nor are they ever known for a tape within kSlowFactor of its interface.
//
// A drive that starts its tape before x reaches D (reading ahead early, or
// writing before its buffer is full) makes D look larger than its start
// level, and the host then thinks the tape stands while it moves.
//
// Not thread-safe. Times are seconds on one monotonic clock.
#pragma once

#include <array>
#include <cstddef>

namespace tsfs {

class DriveTiming final {
 public:
  // Seconds on the monotonic clock the callers use.
  static double Now();

  static constexpr double kSlowFactor = 8.0;
  static constexpr double kWaitedRateFactor = 2.0;
  static constexpr size_t kFastSamples = 15;
  // A run of waiting transfers this long measures the tape's rate well.
  static constexpr double kTrustedRunBytes = 16.0 * 1024 * 1024;
  // R is the highest rate of the last kRateRuns runs (and of the one going
  // on). A run only ever measures the tape too slow: a transfer held up by
  // the host at its end, or the drive let wait in a gap the run tolerates,
  // adds time and no bytes. Measured on vtape at 90 % of 80 MB/s: runs gave
  // 79.2 and 78.4 MB/s, and R taken from the last run alone made the unit
  // think the tape still moved seconds after it had stopped.
  static constexpr size_t kRateRuns = 4;
  // A transfer that starts within this (or a tenth of its own time) after
  // the one before ends keeps the drive busy.
  static constexpr double kGapSeconds = 0.001;

  // A transfer of `bytes` took `seconds` and ended at `now`. Returns whether
  // it waited for the tape (the second of two in a row that were slow).
  bool Transferred(size_t bytes, double seconds, double now);
  // Whether the tape is taken to move at `now`.
  bool TapeMoving(double now);
  // The tape stands with x = 0: after a flush (writing: the buffer is
  // empty), or once the host has let a reading drive fill its buffer.
  // Counting D starts here (not where the estimate of x reaches 0).
  void Stopped();

  bool knows_drive() const { return drive_buffer_ > 0; }
  double drive_buffer() const { return drive_buffer_; }
  double tape_rate() const { return tape_rate_; }

 private:
  void AdvanceTo(double now);
  // The fastest of the last kFastSamples fast transfers (0: none yet). Not
  // all-time: the interface may get slower (a busier host or network).
  double FastRate() const;
  // The highest rate of the last kRateRuns runs that ended (0: none).
  double HighestRunRate() const;
  // The run of waiting transfers has ended: its rate joins the last ones.
  void EndRun();
  void MovedAtOnce(size_t bytes);

  std::array<double, kFastSamples> fast_{};  // a ring of recent fast rates
  size_t fast_next_ = 0;
  bool slow_pending_ = false;  // the transfer before was slow
  double pending_since_zero_ = 0;
  bool pending_moving_ = false;
  bool in_run_ = false;                        // the transfers since the pending one all waited
  double run_bytes_ = 0;                       // their bytes, the pending one left out
  double run_start_ = 0;                       // when the second of the run began
  double rate_run_bytes_ = 0;                  // the longest run a rate came from
  double run_rate_ = 0;                        // the rate of the run going on (0: none trusted yet)
  std::array<double, kRateRuns> run_rates_{};  // a ring of the last runs' rates
  size_t run_rates_next_ = 0;
  double last_end_ = 0;      // when the transfer before ended
  double drive_buffer_ = 0;  // D (0: not known yet)
  double tape_rate_ = 0;     // R
  bool moving_ = false;
  double x_ = 0;             // bytes of the buffer the host's transfers have used
  double x_time_ = 0;        // when x_ was right
  double since_zero_ = 0;    // bytes moved at once since x was last 0
  bool zero_known_ = false;  // since_zero_ counts from an x = 0 seen, not estimated
};

}  // namespace tsfs
