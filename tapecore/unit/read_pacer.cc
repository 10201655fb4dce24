#include "tapecore/unit/read_pacer.h"

#include <algorithm>

namespace tsfs {

ReadPacer::ReadPacer(size_t slots, size_t resume_free, size_t trickle_slots) {
  Reset(slots, resume_free, trickle_slots);
}

void ReadPacer::Reset(size_t slots, size_t resume_free, size_t trickle_slots) {
  resume_free_ = std::clamp<size_t>(resume_free, 1, std::max<size_t>(slots, 1));
  trickle_slots_ = std::max<size_t>(trickle_slots, 1);
  trickled_ = 0;
  state_ = State::kStream;
}

bool ReadPacer::MayFill(size_t free, size_t full) const {
  if (free == 0) return false;
  switch (state_) {
    case State::kStream:
      return true;
    case State::kHeld:
      return free >= resume_free_;
    case State::kTrickle:
      return full <= 1;
  }
  return false;
}

void ReadPacer::FillStarting() {
  if (state_ != State::kHeld) return;
  state_ = State::kTrickle;
  trickled_ = 0;
}

void ReadPacer::Filled(size_t bytes, double seconds, size_t free) {
  bool slow = false;
  if (bytes > 0 && seconds > 0) {
    const double rate = static_cast<double>(bytes) / seconds;
    slow = rate * kSlowFactor < fastest_;
    fastest_ = std::max(fastest_, rate);
  }
  if (state_ == State::kTrickle && bytes > 0 && (slow || ++trickled_ >= trickle_slots_)) {
    state_ = State::kStream;
  }
  // Every slot full: the consumer is slower than the drive; let it stop.
  if (free == 0 && bytes > 0) state_ = State::kHeld;
}

void ReadPacer::ConsumerStarved() {
  if (state_ == State::kTrickle) state_ = State::kStream;
}

}  // namespace tsfs
