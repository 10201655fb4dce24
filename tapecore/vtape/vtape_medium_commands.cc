// VtapeTarget: ERASE and LOAD UNLOAD: commands on the medium as a whole.
#include <algorithm>

#include "tapecore/vtape/cdb_fields.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtape {

VtapeTarget::Reply VtapeTarget::Erase(Cdb cdb, double now) {
  if (write_protected_) return WriteProtected();
  if (auto f = SimpleFault(FaultCommand::kErase, pos_)) return *f;
  drive_.Reposition();
  const bool long_erase = cdb[1] & 0x01;
  if (long_erase && (cdb[1] & 0x02) && options_.erase_seconds > 0) {
    // IMMED: the drive answers at once and erases in the background; until
    // it is done it is NOT READY 04/07 with a progress indication, as LTO
    // drives answer TEST UNIT READY during a long erase (option erase=).
    erase_from_ = now;
    erase_until_ = now + options_.erase_seconds;
  }
  // Long or short, everything from here on is gone: end of data is here.
  if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
  ++stats_.erases;
  if (long_erase) {  // make it durable
    ++stats_.syncs;
    if (Status st = image_->Sync(); !st.ok()) return ImageError(st, true);
  }
  return Good();
}

std::optional<VtapeTarget::Reply> VtapeTarget::EraseInProgress(double now) {
  if (now >= erase_until_) return std::nullopt;
  SenseSpec s{SenseKey::kNotReady, 0x04, 0x07};
  s.progress_valid = true;
  const double done = (now - erase_from_) / (erase_until_ - erase_from_);
  s.progress = static_cast<uint16_t>(std::clamp(done, 0.0, 1.0) * 65535.0);
  return Check(s);
}

VtapeTarget::Reply VtapeTarget::LoadUnload(Cdb cdb) {
  const bool load = cdb[4] & 0x01;
  const bool reten = cdb[4] & 0x02;
  const bool eot = cdb[4] & 0x04;
  if (load && eot) return InvalidField();
  if (auto f = SimpleFault(FaultCommand::kLoad, pos_)) return *f;
  if (!load && prevent_removal_) return Check(SenseKey::kIllegalRequest, 0x53, 0x02);
  drive_.Reposition();
  if (reten) ++stats_.retensions;
  pos_ = 0;
  if (load) {
    ++stats_.loads;
    loaded_ = true;
  } else {
    ++stats_.unloads;
    loaded_ = false;
  }
  return Good();
}

}  // namespace tsfs::vtape
