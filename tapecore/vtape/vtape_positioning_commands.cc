// VtapeTarget: SPACE, LOCATE, READ POSITION: positioning.
#include <algorithm>

#include "tapecore/vtape/cdb_fields.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtape {

VtapeTarget::Reply VtapeTarget::Space(uint8_t code, int64_t count) {
  if (code > 3) return InvalidField();  // setmarks and reserved codes
  if (auto f = SimpleFault(FaultCommand::kSpace, pos_)) return *f;
  drive_.Reposition();
  switch (code) {
    case 0:
      return SpaceBlocks(count);
    case 1:
      return SpaceFilemarks(count);
    case 2:
      return SpaceSequentialFilemarks(count);
    default:
      pos_ = image_->size();
      return Good();
  }
}

VtapeTarget::Reply VtapeTarget::SpaceBlocks(int64_t count) {
  const uint64_t eod = image_->size();
  if (count > 0) {
    const uint64_t n = static_cast<uint64_t>(count);
    const uint64_t mark = image_->NextTapeMark(pos_);
    if (mark < eod && mark < pos_ + n) {
      const uint64_t spaced = mark - pos_;
      pos_ = mark + 1;  // forward: on the end side of the filemark
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    if (pos_ + n > eod) {
      const uint64_t spaced = eod - std::min(pos_, eod);
      pos_ = eod;
      return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    pos_ += n;
    return Good();
  }
  if (count < 0) {
    // Residues of backward spacing are positive (SSC: never negative).
    const uint64_t n = static_cast<uint64_t>(-count);
    const int64_t mark = image_->PrevTapeMark(pos_);
    if (mark >= 0 && static_cast<uint64_t>(mark) + n >= pos_) {
      const uint64_t spaced = pos_ - static_cast<uint64_t>(mark) - 1;
      pos_ = static_cast<uint64_t>(mark);  // backward: on the BOT side of the filemark
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    if (n > pos_) {
      const uint64_t spaced = pos_;
      pos_ = 0;
      return Check({SenseKey::kNoSense, 0x00, 0x04, false, true, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    pos_ -= n;
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::SpaceFilemarks(int64_t count) {
  const uint64_t eod = image_->size();
  if (count > 0) {
    const uint64_t n = static_cast<uint64_t>(count);
    uint64_t p = pos_;
    for (uint64_t spaced = 0; spaced < n; ++spaced) {
      const uint64_t mark = image_->NextTapeMark(p);
      if (mark >= eod) {
        pos_ = eod;
        return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                      static_cast<int64_t>(n - spaced)});
      }
      p = mark + 1;
    }
    pos_ = p;
    return Good();
  }
  if (count < 0) {
    const uint64_t n = static_cast<uint64_t>(-count);
    uint64_t p = pos_;
    for (uint64_t spaced = 0; spaced < n; ++spaced) {
      const int64_t mark = image_->PrevTapeMark(p);
      if (mark < 0) {
        pos_ = 0;
        return Check({SenseKey::kNoSense, 0x00, 0x04, false, true, false, true,
                      static_cast<int64_t>(n - spaced)});
      }
      p = static_cast<uint64_t>(mark);
    }
    pos_ = p;
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::SpaceSequentialFilemarks(int64_t count) {
  if (count < 0) return InvalidField();  // backward: not supported
  if (count == 0) return Good();
  const uint64_t n = static_cast<uint64_t>(count);
  const uint64_t eod = image_->size();
  uint64_t p = pos_;
  while (true) {
    const uint64_t mark = image_->NextTapeMark(p);
    if (mark >= eod) {
      pos_ = eod;
      return Check(SenseKey::kBlankCheck, 0x00, 0x05);
    }
    uint64_t run = 0;
    while (mark + run < eod && run < n &&
           image_->Object(mark + run).kind == ObjectKind::kTapeMark) {
      ++run;
    }
    if (run == n) {
      pos_ = mark + n;
      return Good();
    }
    p = mark + run;
  }
}

VtapeTarget::Reply VtapeTarget::Locate(uint64_t object) {
  if (auto f = SimpleFault(FaultCommand::kLocate, object)) return *f;
  drive_.Reposition();
  const uint64_t eod = image_->size();
  if (object > eod) {
    pos_ = eod;
    return Check(SenseKey::kBlankCheck, 0x00, 0x05);
  }
  pos_ = object;
  return Good();
}

VtapeTarget::Reply VtapeTarget::ReadPosition(Cdb cdb, DataBuffer& data) {
  const uint8_t service_action = cdb[1] & 0x1F;
  uint8_t flags = 0;
  if (pos_ == 0) flags |= 0x80;                                        // BOP
  if (PastEarlyWarning(image_->DataBytesBefore(pos_))) flags |= 0x40;  // EOP
  std::vector<uint8_t> b;
  switch (service_action) {
    case 0x00:  // short form, block identifiers
    case 0x01:  // short form, vendor specific
      b.assign(20, 0);
      if (pos_ > 0xFFFFFFFFull) flags |= 0x04;  // BPEW/BPU: not representable
      b[0] = flags;
      PutBe(&b[4], pos_, 4);
      PutBe(&b[8], pos_, 4);
      break;
    case 0x06:  // long form
      b.assign(32, 0);
      b[0] = flags;
      PutBe(&b[8], pos_, 8);
      PutBe(&b[16], image_->TapeMarksBefore(pos_), 8);
      break;
    case 0x08:  // extended form
      b.assign(32, 0);
      b[0] = flags;
      PutBe(&b[2], 0x1C, 2);
      PutBe(&b[8], pos_, 8);
      PutBe(&b[16], pos_, 8);
      break;
    default:
      return InvalidField();
  }
  const size_t alloc = service_action == 0x08 ? Be16(&cdb[7]) : b.size();
  return PutIn(data, b, alloc);
}

}  // namespace tsfs::vtape
