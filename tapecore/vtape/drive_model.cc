#include "tapecore/vtape/drive_model.h"

#include <algorithm>

namespace tsfs::vtape {

DriveModel::DriveModel(double rate_bytes_per_s, uint64_t buffer_bytes, double start_fraction)
    : rate_(rate_bytes_per_s),
      buffer_(static_cast<double>(buffer_bytes)),
      start_level_(std::clamp(start_fraction, 0.0, 1.0) * static_cast<double>(buffer_bytes)) {}

void DriveModel::SwitchTo(Mode mode) {
  if (mode_ == mode) return;
  // Changing direction stops the tape; the new direction starts from rest.
  mode_ = mode;
  moving_ = false;
  must_reposition_ = false;
  level_ = 0;
}

void DriveModel::Reposition() {
  moving_ = false;
  must_reposition_ = false;
  level_ = 0;
  mode_ = Mode::kIdle;
}

int DriveModel::Start() {
  moving_ = true;
  ++counters_.starts;
  if (!must_reposition_) return 0;
  must_reposition_ = false;
  ++counters_.repositions;
  return 1;
}

void DriveModel::AdvanceTo(double t) {
  if (t <= t_) return;
  if (moving_) {
    const double moved = rate_ * (t - t_);
    if (mode_ == Mode::kWriting) {
      if (moved >= level_) {  // ran dry: the tape stops in the middle of the stream
        counters_.bytes_to_tape += static_cast<uint64_t>(level_);
        level_ = 0;
        moving_ = false;
        must_reposition_ = true;
      } else {
        counters_.bytes_to_tape += static_cast<uint64_t>(moved);
        level_ -= moved;
      }
    } else if (mode_ == Mode::kReading) {
      if (level_ + moved >= buffer_) {  // full: the tape stops
        counters_.bytes_from_tape += static_cast<uint64_t>(buffer_ - level_);
        level_ = buffer_;
        moving_ = false;
        must_reposition_ = true;
      } else {
        counters_.bytes_from_tape += static_cast<uint64_t>(moved);
        level_ += moved;
      }
    }
  }
  t_ = t;
}

int DriveModel::Write(uint64_t bytes, double now) {
  if (!enabled() || bytes == 0) return 0;
  SwitchTo(Mode::kWriting);
  AdvanceTo(now);
  int count = 0;
  double remaining = static_cast<double>(bytes);
  while (remaining >= 0.5) {  // whole bytes; the rest is rounding
    const double put = std::min(buffer_ - level_, remaining);
    level_ += put;
    remaining -= put;
    if (!moving_ && level_ + 0.5 >= start_level_) count += Start();
    if (remaining >= 0.5) {
      // The buffer is full: the host waits for the tape to make room.
      if (!moving_) count += Start();
      const double wait = std::min(remaining, buffer_) / rate_;
      AdvanceTo(t_ + wait);
    }
  }
  return count;
}

int DriveModel::Read(uint64_t bytes, double now) {
  if (!enabled() || bytes == 0) return 0;
  SwitchTo(Mode::kReading);
  AdvanceTo(now);
  int count = 0;
  double remaining = static_cast<double>(bytes);
  while (remaining >= 0.5) {  // whole bytes; the rest is rounding
    const double take = std::min(level_, remaining);
    level_ -= take;
    remaining -= take;
    if (remaining >= 0.5) {
      // The host waits for the tape to deliver the rest.
      if (!moving_) count += Start();
      const double wait = std::min(remaining, buffer_) / rate_;
      AdvanceTo(t_ + wait);
    }
  }
  if (!moving_ && buffer_ - level_ + 0.5 >= start_level_) count += Start();
  return count;
}

int DriveModel::Flush(double now) {
  if (!enabled() || mode_ != Mode::kWriting) return 0;
  AdvanceTo(now);
  int count = 0;
  if (level_ > 0) {
    if (!moving_) count += Start();
    t_ += level_ / rate_;
    counters_.bytes_to_tape += static_cast<uint64_t>(level_);
    level_ = 0;
  }
  // Everything is on tape and the tape stops: more data needs a reposition.
  moving_ = false;
  must_reposition_ = true;
  return count;
}

}  // namespace tsfs::vtape
