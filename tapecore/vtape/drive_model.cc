#include "tapecore/vtape/drive_model.h"

#include <algorithm>

namespace tsfs::vtape {

DriveModel::DriveModel(double rate_bytes_per_s, uint64_t buffer_bytes)
    : rate_(rate_bytes_per_s), buffer_(static_cast<double>(buffer_bytes)) {}

void DriveModel::SwitchTo(Mode mode) {
  if (mode_ == mode) return;
  // Changing direction stops the tape; the new direction starts from rest.
  mode_ = mode;
  streaming_ = false;
  must_reposition_ = false;
  level_ = 0;
}

void DriveModel::Stop(bool streaming_stop) {
  const bool was_moving = streaming_ || level_ > 0;
  streaming_ = false;
  level_ = 0;
  must_reposition_ = streaming_stop && was_moving;
  if (!streaming_stop) mode_ = Mode::kIdle;
}

int DriveModel::Write(uint64_t bytes, double now) {
  if (!enabled() || bytes == 0) return 0;
  SwitchTo(Mode::kWriting);
  int count = 0;
  if (streaming_) {
    const double elapsed = std::max(0.0, now - t0_);
    const double drained = rate_ * elapsed;
    if (drained >= level_) {  // the buffer ran dry before this data came
      streaming_ = false;
      must_reposition_ = true;
      level_ = 0;
    } else {
      level_ -= drained;
    }
  }
  if (!streaming_) {
    if (must_reposition_) {
      ++count;
      must_reposition_ = false;
    }
    streaming_ = true;
  }
  t0_ = std::max(now, t0_);
  level_ += static_cast<double>(bytes);
  if (level_ > buffer_) {
    // The host waits until the excess has gone to tape.
    t0_ += (level_ - buffer_) / rate_;
    level_ = buffer_;
  }
  repositions_ += count;
  return count;
}

int DriveModel::Read(uint64_t bytes, double now) {
  if (!enabled() || bytes == 0) return 0;
  SwitchTo(Mode::kReading);
  int count = 0;
  if (streaming_) {
    const double elapsed = std::max(0.0, now - t0_);
    level_ += rate_ * elapsed;
    if (level_ >= buffer_) {  // the host did not keep up: the drive stopped
      level_ = buffer_;
      streaming_ = false;
      must_reposition_ = true;
    }
  }
  t0_ = std::max(now, t0_);
  const double want = static_cast<double>(bytes);
  if (level_ >= want) {
    level_ -= want;
  } else {
    // The host waits for the tape to deliver the rest.
    t0_ += (want - level_) / rate_;
    level_ = 0;
  }
  if (!streaming_ && (level_ <= buffer_ / 2 || !must_reposition_)) {
    if (must_reposition_) {
      ++count;
      must_reposition_ = false;
    }
    streaming_ = true;
  }
  repositions_ += count;
  return count;
}

}  // namespace tsfs::vtape
