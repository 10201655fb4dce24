// DriveModel: the timing of a streaming tape drive, to count repositions.
//
// The drive has its own buffer of `buffer_bytes` and moves the tape at `rate`
// bytes per second. Writing: the host fills the buffer; the tape starts only
// once the buffer holds `start_fraction` of its size (or on a flush: WRITE
// FILEMARKS, a sync), then drains it at `rate` while the host keeps filling.
// When the buffer runs dry the tape stops; before it can write again it has
// to back up and reposition (a back-hitch), counted when it starts again. A
// host faster than the tape is held back (the buffer is full), so it never
// causes a reposition. Reading is the mirror: the tape reads ahead into the
// buffer; when the buffer is full the tape stops, and it starts again (with
// a reposition) once the host has taken `start_fraction` of the buffer, or
// when the host wants data that is not there. A flush stops the tape after
// writing everything out (the next data needs a reposition); positioning
// commands (space, locate, rewind, load) start afresh without counting.
//
// Time is passed in (seconds on any monotonic clock), so tests drive it
// without sleeping; busy_until() is when the drive would let the host go on.
// Not thread-safe; owned by one target.
#pragma once

#include <cstdint>

namespace tsfs::vtape {

struct DriveCounters {
  uint64_t repositions = 0;      // starts after a stop in the middle of a stream
  uint64_t starts = 0;           // every time the tape started moving
  uint64_t bytes_to_tape = 0;    // written from the buffer onto the medium
  uint64_t bytes_from_tape = 0;  // read from the medium into the buffer
};

class DriveModel final {
 public:
  // rate_bytes_per_s 0 disables the model (nothing is ever counted).
  // start_fraction in (0, 1]: how full (writing) or empty (reading) the
  // buffer must be before the tape starts.
  DriveModel(double rate_bytes_per_s, uint64_t buffer_bytes, double start_fraction = 1.0);
  DriveModel(const DriveModel&) = delete;
  DriveModel& operator=(const DriveModel&) = delete;

  bool enabled() const { return rate_ > 0; }
  // The host hands `bytes` to the drive at time `now`. Returns the
  // repositions this caused.
  int Write(uint64_t bytes, double now);
  // The host takes `bytes` from the drive at time `now`.
  int Read(uint64_t bytes, double now);
  // Writes out everything buffered and stops (WRITE FILEMARKS, a sync).
  int Flush(double now);
  // A positioning command: the tape stops, the buffer is discarded (reading)
  // or was flushed before (writing); the next start is not a reposition.
  void Reposition();

  uint64_t repositions() const { return counters_.repositions; }
  const DriveCounters& counters() const { return counters_; }
  // Model time at which the drive has taken (or delivered) everything asked
  // so far: later than `now` when the host had to wait for the tape.
  double busy_until() const { return t_; }

 private:
  enum class Mode { kIdle, kWriting, kReading };
  void SwitchTo(Mode mode);
  void AdvanceTo(double t);  // moves the tape from t_ to t
  int Start();

  double rate_;
  double buffer_;
  double start_level_;  // writing: start at this level; reading: at buffer_ - this
  Mode mode_ = Mode::kIdle;
  bool moving_ = false;
  bool must_reposition_ = false;  // stopped in the middle of a stream
  double level_ = 0;              // bytes in the drive's buffer
  double t_ = 0;                  // model time of level_ (may be ahead of the host's now)
  DriveCounters counters_;
};

}  // namespace tsfs::vtape
