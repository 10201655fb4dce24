#include "tapecore/library/drive_link.h"

#include <array>

#include "tapecore/scsi/sense.h"
#include "tapecore/ssc/cdb.h"

namespace tsfs::library {

Result<ScsiResponse> DriveLink::Execute(Cdb cdb, DataBuffer data,
                                        std::chrono::milliseconds timeout) {
  Result<ScsiResponse> r = [&] {
    std::lock_guard<std::mutex> lock(exec_mu_);
    return inner_->Execute(cdb, data, timeout);
  }();
  if (!r.ok()) {
    NoteGone("it does not answer: " + r.status().message());
  } else if (r->status == kScsiCheckCondition && !r->sense.empty() &&
             ParseSense(r->sense).Is(SenseKey::kIllegalRequest, 0x25, 0x00)) {
    NoteGone("its logical unit is no longer there (ILLEGAL REQUEST 25/00)");
  }
  return r;
}

std::string DriveLink::why() const {
  std::lock_guard<std::mutex> lock(mu_);
  return why_;
}

bool DriveLink::StillThere() {
  if (gone()) return false;
  std::array<uint8_t, 36> buf{};
  const auto c = tsfs::cdb::Inquiry(buf.size());
  Result<ScsiResponse> r = Execute(c, DataBuffer::In(buf), std::chrono::seconds(30));
  // Peripheral qualifier 011b: the target has no logical unit at this LUN.
  if (r.ok() && r->status == kScsiGood && (buf[0] >> 5) == 3) {
    NoteGone("its logical unit is no longer there (INQUIRY: peripheral qualifier 3)");
  }
  return !gone();
}

void DriveLink::NoteGone(std::string why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (gone_.load()) return;
  why_ = std::move(why);
  gone_ = true;
}

}  // namespace tsfs::library
