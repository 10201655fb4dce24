#include "tapecore/unit/drive_timing.h"

#include <algorithm>
#include <chrono>

namespace tsfs {

double DriveTiming::Now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void DriveTiming::AdvanceTo(double now) {
  if (moving_ && now > x_time_) {
    x_ -= tape_rate_ * (now - x_time_);
    if (x_ <= 0) {  // the tape stops: run dry (writing), or full (reading)
      x_ = 0;
      moving_ = false;
      since_zero_ = 0;
      zero_known_ = true;
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
  const bool slow = rate > 0 && fast > 0 && rate * kSlowFactor < fast;
  if (!slow) {
    slow_pending_ = false;
    if (rate > 0) fast_[fast_next_++ % kFastSamples] = rate;
    MovedAtOnce(bytes);
    return false;
  }
  if (!slow_pending_) {
    // One slow transfer may be the host's scheduler: wait for a second.
    slow_pending_ = true;
    pending_rate_ = rate;
    pending_since_zero_ = since_zero_;
    pending_moving_ = moving_;
    MovedAtOnce(bytes);
    return false;
  }
  slow_pending_ = false;
  if (!pending_moving_ && zero_known_ && pending_since_zero_ > 0) {
    drive_buffer_ = pending_since_zero_;
  }
  // Smoothed: a transfer partly served from the buffer runs faster.
  if (tape_rate_ == 0) tape_rate_ = pending_rate_;
  tape_rate_ = 0.75 * tape_rate_ + 0.25 * rate;
  if (knows_drive()) {
    moving_ = true;
    x_ = drive_buffer_;
    x_time_ = now;
  }
  return true;
}

void DriveTiming::Stopped() {
  moving_ = false;
  x_ = 0;
  since_zero_ = 0;
  zero_known_ = true;
  slow_pending_ = false;
}

}  // namespace tsfs
