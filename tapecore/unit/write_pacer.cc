#include "tapecore/unit/write_pacer.h"

#include <algorithm>

namespace tsfs {

WritePacer::WritePacer(size_t watermark_slots, DriveTiming& timing)
    : watermark_(std::max<size_t>(watermark_slots, 1)), timing_(timing) {
  timing_.Stopped();
}

bool WritePacer::MaySend(size_t full, double now) {
  if (full == 0) return false;
  if (!timing_.knows_drive()) {
    if (full >= watermark_) streaming_ = true;
    return streaming_;
  }
  return timing_.TapeMoving(now) || full >= watermark_;
}

void WritePacer::Sent(size_t bytes, double seconds, double now, size_t full) {
  if (full == 0) streaming_ = false;
  timing_.Transferred(bytes, seconds, now);
}

void WritePacer::DriveFlushed() {
  streaming_ = false;
  timing_.Stopped();
}

}  // namespace tsfs
