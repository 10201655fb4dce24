#include "tapecore/unit/drive_timing.h"

#include <algorithm>
#include <chrono>

namespace tsfs {

double DriveTiming::Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void DriveTiming::AdvanceTo(double now) {
  if (moving_ && now > x_time_) {
    x_ -= tape_rate_ * (now - x_time_);
    if (x_ <= 0) {  // the tape stops: run dry (writing), or full (reading)
      // Only an estimate: a few per cent off in R and the drive still holds
      // (writing) or still lacks (reading) megabytes here, so D is not
      // learned from this zero (measured at 90 % of the tape's rate: D
      // learned as 42 and then 29 MiB of a 64 MiB buffer, and every start
      // after moved a third of the ideal).
      x_ = 0;
      moving_ = false;
      since_zero_ = 0;
      zero_known_ = false;
    }
  }
  x_time_ = std::max(x_time_, now);
}

bool DriveTiming::TapeMoving(double now) {
  AdvanceTo(now);
  return moving_;
}

double DriveTiming::FastRate() const { return *std::max_element(fast_.begin(), fast_.end()); }

void DriveTiming::MovedAtOnce(size_t bytes) {
  x_ += static_cast<double>(bytes);
  if (!moving_) {
    since_zero_ += static_cast<double>(bytes);
    if (knows_drive() && x_ >= drive_buffer_) moving_ = true;  // the tape starts
  }
  if (knows_drive()) x_ = std::min(x_, drive_buffer_);
}

bool DriveTiming::Transferred(size_t bytes, double seconds, double now) {
  if (bytes == 0) return false;
  AdvanceTo(now);
  const double rate = seconds > 0 ? static_cast<double>(bytes) / seconds : 0;
  const double fast = FastRate();
  // Once R is known it alone decides: the fast ones may have become slower
  // for good, and the ratio to them then misses the tape.
  const bool slow = rate > 0 && (tape_rate_ > 0 ? rate < kWaitedRateFactor * tape_rate_
                                                : fast > 0 && rate * kSlowFactor < fast);
  // Started at once after the one before: the host kept the drive busy.
  const double started = now - seconds;
  const bool back_to_back = started - last_end_ <= std::max(kGapSeconds, 0.1 * seconds);
  last_end_ = now;
  if (!slow) {
    slow_pending_ = false;
    if (in_run_) EndRun();
    in_run_ = false;
    if (rate > 0) fast_[fast_next_++ % kFastSamples] = rate;
    MovedAtOnce(bytes);
    return false;
  }
  if (!slow_pending_ && !in_run_) {
    // One slow transfer may be the host's scheduler: wait for a second.
    slow_pending_ = true;
    pending_since_zero_ = since_zero_;
    pending_moving_ = moving_;
    MovedAtOnce(bytes);
    return false;
  }
  if (slow_pending_) {
    slow_pending_ = false;
    if (!pending_moving_ && zero_known_ && pending_since_zero_ > 0) {
      drive_buffer_ = pending_since_zero_;
    }
    // A run of transfers that wait: the drive takes (or gives) what its tape
    // moves, so their bytes over their time is the tape's rate. The first of
    // the run is left out: part of it may have been served from the buffer.
    // A short run (a producer that fell behind just long enough) does not
    // overrule what a long one measured.
    EndRun();
    run_bytes_ = 0;
    run_start_ = started;
  }
  if (!back_to_back) {
    // The host made the drive wait first (a producer or consumer no faster
    // than the tape): bytes over time would be the host's rate. The run
    // starts again after this transfer.
    EndRun();
    run_bytes_ = 0;
    run_start_ = now;
  } else {
    run_bytes_ += static_cast<double>(bytes);
  }
  if (run_bytes_ > 0 && now > run_start_ &&
      run_bytes_ >= std::min(rate_run_bytes_, kTrustedRunBytes)) {
    // The highest so far: the time held up in the run is never made good.
    run_rate_ = std::max(run_rate_, run_bytes_ / (now - run_start_));
    rate_run_bytes_ = std::max(rate_run_bytes_, run_bytes_);
    tape_rate_ = std::max(run_rate_, HighestRunRate());
  }
  in_run_ = true;
  if (knows_drive()) {
    moving_ = true;
    x_ = drive_buffer_;
    x_time_ = now;
  }
  return true;
}

double DriveTiming::HighestRunRate() const {
  return *std::max_element(run_rates_.begin(), run_rates_.end());
}

void DriveTiming::EndRun() {
  if (run_rate_ <= 0) return;
  run_rates_[run_rates_next_++ % kRateRuns] = run_rate_;
  run_rate_ = 0;
  // The run that left the ring may have been the highest.
  tape_rate_ = HighestRunRate();
}

void DriveTiming::Stopped() {
  EndRun();
  moving_ = false;
  x_ = 0;
  since_zero_ = 0;
  zero_known_ = true;
  slow_pending_ = false;
  in_run_ = false;
}

}  // namespace tsfs
