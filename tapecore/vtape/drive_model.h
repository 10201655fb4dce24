// DriveModel: the timing of a streaming tape drive, to count repositions.
//
// The drive has its own buffer of `buffer_bytes` and moves the tape at `rate`
// bytes per second while streaming. Writing: the host fills the buffer, the
// tape drains it; when the buffer runs empty the drive stops, and before the
// next data it has to reposition (back-hitch). A host faster than the drive is
// held back (the buffer is full), so it never causes a reposition. Reading:
// the tape fills the buffer ahead of the host; when the buffer is full the
// drive stops, and restarts with a reposition once the host has taken half.
// A flush (WRITE FILEMARKS with immediate=0) stops the drive too; positioning
// commands (space, locate, rewind, load) start afresh without counting.
//
// Time is passed in (seconds on any monotonic clock), so tests drive it
// without sleeping. Not thread-safe; owned by one target.
#pragma once

#include <cstdint>

namespace tsfs::vtape {

class DriveModel final {
 public:
  // rate_bytes_per_s 0 disables the model (nothing is ever counted).
  DriveModel(double rate_bytes_per_s, uint64_t buffer_bytes);
  DriveModel(const DriveModel&) = delete;
  DriveModel& operator=(const DriveModel&) = delete;

  bool enabled() const { return rate_ > 0; }
  // The host hands `bytes` to the drive at time `now`. Returns the
  // repositions this caused (0 or 1).
  int Write(uint64_t bytes, double now);
  // The host takes `bytes` from the drive at time `now`.
  int Read(uint64_t bytes, double now);
  // The tape stops. `streaming_stop`: a flush in the middle of a stream (the
  // next data needs a reposition); false: a positioning command.
  void Stop(bool streaming_stop);

  uint64_t repositions() const { return repositions_; }

 private:
  enum class Mode { kIdle, kWriting, kReading };
  void SwitchTo(Mode mode);

  double rate_;
  double buffer_;
  Mode mode_ = Mode::kIdle;
  bool streaming_ = false;
  bool must_reposition_ = false;  // stopped in the middle of a stream
  double level_ = 0;              // bytes in the drive's buffer
  double t0_ = 0;                 // time level_ was computed (may be ahead of now)
  uint64_t repositions_ = 0;
};

}  // namespace tsfs::vtape
