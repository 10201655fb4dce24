// VtapeTarget: ERASE and LOAD UNLOAD: commands on the medium as a whole.
#include "tapecore/vtape/cdb_fields.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtape {

VtapeTarget::Reply VtapeTarget::Erase(Cdb cdb) {
  if (write_protected_) return WriteProtected();
  if (auto f = SimpleFault(FaultCommand::kErase, pos_)) return *f;
  drive_.Reposition();
  // Long or short, everything from here on is gone: end of data is here.
  if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
  ++stats_.erases;
  if (cdb[1] & 0x01) {  // long: make it durable
    ++stats_.syncs;
    if (Status st = image_->Sync(); !st.ok()) return ImageError(st, true);
  }
  return Good();
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
