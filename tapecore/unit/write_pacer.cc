#include "tapecore/unit/write_pacer.h"

#include <algorithm>

namespace tsfs {

WritePacer::WritePacer(size_t watermark_slots) : watermark_(std::max<size_t>(watermark_slots, 1)) {}

void WritePacer::DrainTo(double now) {
  if (moving_ && now > level_time_) {
    level_ -= tape_rate_ * (now - level_time_);
    if (level_ <= 0) {  // ran dry: the tape stands, the buffer is empty
      level_ = 0;
      moving_ = false;
      cold_bytes_ = 0;
    }
  }
  level_time_ = std::max(level_time_, now);
}

bool WritePacer::MaySend(size_t full, double now) {
  if (full == 0) return false;
  if (!knows_drive()) {
    if (full >= watermark_) streaming_ = true;
    return streaming_;
  }
  DrainTo(now);
  return moving_ || full >= watermark_;
}

void WritePacer::Sent(size_t bytes, double seconds, double now, size_t full) {
  if (full == 0) streaming_ = false;
  if (bytes == 0) return;
  DrainTo(now);
  const double rate = seconds > 0 ? static_cast<double>(bytes) / seconds : 0;
  const bool waited = rate > 0 && rate * kSlowFactor < fastest_;
  fastest_ = std::max(fastest_, rate);
  if (waited) {
    // The drive's buffer was full: what the empty drive took before is D.
    if (!moving_ && cold_bytes_ > 0) drive_buffer_ = std::max(drive_buffer_, cold_bytes_);
    // Smoothed: one WRITE held up by the host's scheduler is not the tape.
    tape_rate_ = tape_rate_ > 0 ? 0.75 * tape_rate_ + 0.25 * rate : rate;
    if (knows_drive()) {
      moving_ = true;
      level_ = drive_buffer_;
      level_time_ = now;
    }
    return;
  }
  level_ += static_cast<double>(bytes);
  if (!moving_) {
    cold_bytes_ += static_cast<double>(bytes);
    // The buffer reached D: the drive starts its tape.
    if (knows_drive() && tape_rate_ > 0 && level_ >= drive_buffer_) moving_ = true;
  }
  if (knows_drive()) level_ = std::min(level_, drive_buffer_);
}

void WritePacer::DriveFlushed() {
  streaming_ = false;
  moving_ = false;
  level_ = 0;
  cold_bytes_ = 0;
}

}  // namespace tsfs
