#include "tapecore/unit/read_pacer.h"

#include <algorithm>

namespace tsfs {

ReadPacer::ReadPacer(size_t slots, size_t resume_free, size_t trickle_slots, DriveTiming& timing)
    : timing_(timing) {
  Reset(slots, resume_free, trickle_slots);
}

void ReadPacer::Reset(size_t slots, size_t resume_free, size_t trickle_slots) {
  resume_free_ = std::clamp<size_t>(resume_free, 1, std::max<size_t>(slots, 1));
  trickle_slots_ = std::max<size_t>(trickle_slots, 1);
  trickled_ = 0;
  state_ = State::kStream;
}

bool ReadPacer::MayFill(size_t free, size_t full, double now) {
  if (free == 0) return false;
  if (state_ == State::kStream) return true;
  // The tape moves: take what the drive reads before it fills and stops.
  if (timing_.knows_drive() && timing_.TapeMoving(now)) return true;
  return state_ == State::kHeld ? free >= resume_free_ : full <= 1;
}

void ReadPacer::FillStarting(double now) {
  if (state_ != State::kHeld) return;
  if (timing_.knows_drive() && timing_.TapeMoving(now)) return;  // topping up
  // The tape stands with a full buffer: take it one slot at a time.
  state_ = State::kTrickle;
  trickled_ = 0;
  timing_.Stopped();
}

void ReadPacer::Filled(size_t bytes, double seconds, double now, size_t free) {
  const bool waited = timing_.Transferred(bytes, seconds, now);
  if (state_ == State::kTrickle && bytes > 0 &&
      (waited || (!timing_.knows_drive() && ++trickled_ >= trickle_slots_))) {
    state_ = State::kStream;
  }
  // Every slot full: the consumer is slower than the drive.
  if (free == 0 && bytes > 0) state_ = State::kHeld;
}

void ReadPacer::ConsumerStarved() {
  if (state_ == State::kTrickle) state_ = State::kStream;
}

}  // namespace tsfs
