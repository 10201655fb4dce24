// TapeUnit::Impl: after a drive reset or a new iSCSI session (UNIT ATTENTION
// 29/xx). The medium is still there, but the drive forgot where it was and
// its block length: tgtd and istgt come back at BOT in variable-block mode
// (TARGETS.md), a real drive after a reset does the same. What the unit
// knows of the tape (the catalog) stays, once the medium is shown to be the
// same one.
#include <string>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

namespace {

bool IsUnitAttention(const Status& s) {
  return s.sense() != nullptr && s.sense()->key == SenseKey::kUnitAttention;
}

}  // namespace

void TapeUnit::Impl::OnReset() {
  const PositionTracker before = pos_;
  diag_.Line(LogLevel::kWarning,
             "the drive was reset or its session was logged in again: the block length and the "
             "position are set again");
  pos_.SetUnknown();
  // ts allows no read after a write until a rewind; a reset has moved the
  // tape away from the written end (to BOT on tgtd and istgt), and every
  // read positions itself from the catalog.
  after_write_ = false;
  // A target may have more to say for the new session (2A/xx parameters
  // changed, 28/00 a tape change): hear all of it before anything else.
  for (int i = 0; i < 4; ++i) {
    Status ready = ssc_.TestUnitReady();
    if (ready.ok() || !IsUnitAttention(ready)) break;
  }
  if (transport_->TakeAttention() == SenseLogTransport::Attention::kChange) {
    OnMediumChange();
    return;
  }
  (void)SelectBlockLength();
  (void)RefreshWriteProtect();
  if (!catalog_.known()) return;
  if (fingerprint_ != 0) {
    Result<uint64_t> fp = ReadFingerprint();
    if (!fp.ok()) {
      // Unsure which tape this is: read its catalog again when needed.
      diag_.Line(LogLevel::kWarning,
                 "cannot compare the tape after the reset: " + fp.status().ToString());
      catalog_.Invalidate();
      return;
    }
    if (*fp != fingerprint_) {
      diag_.Line(LogLevel::kInfo, "another tape is loaded since the reset");
      OnMediumChange();
      return;
    }
  }
  // Back where the tape was when that was the start of a file or end of
  // data (REWIND + SPACE, or LOCATE); elsewhere the next stream seeks.
  if (!before.known() || *before.block() != 0) return;
  const int file = static_cast<int>(*before.file());
  Status s;
  if (file < catalog_.count()) {
    s = SeekFileStart(file);
  } else if (file == catalog_.count() && !catalog_.last_incomplete()) {
    s = SeekEndOfData();
  }
  if (!s.ok()) {
    diag_.Line(LogLevel::kWarning, "cannot return to file " + std::to_string(file) +
                                       " after the reset: " + s.ToString());
  }
}

}  // namespace tsfs
