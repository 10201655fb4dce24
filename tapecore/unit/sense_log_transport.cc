#include "tapecore/unit/sense_log_transport.h"

#include "tapecore/scsi/sense.h"

namespace tsfs {

Result<ScsiResponse> SenseLogTransport::Execute(Cdb cdb, DataBuffer data,
                                                std::chrono::milliseconds timeout) {
  Result<ScsiResponse> r = inner_->Execute(cdb, data, timeout);
  if (!r.ok() || r->status != kScsiCheckCondition || r->sense.empty()) return r;
  const SenseData sense = ParseSense(r->sense);
  if (sense.key == SenseKey::kUnitAttention) {
    attention_.fetch_or(sense.asc == 0x29 ? kResetBit : kChangeBit);
  }
  if (diag_.prsense()) diag_.SenseDump(HexBytes(cdb), HexBytes(r->sense), DescribeSense(r->sense));
  return r;
}

}  // namespace tsfs
