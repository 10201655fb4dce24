// TapeUnit::Impl::GetDriveActivity: the drive's byte counters and
// repositions, for the unmount log line and `tstape status`; and what the
// timing of the streaming commands showed of the drive (drive_timing.h).
#include <cmath>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

std::string DescribeDriveActivity(const DriveActivity& a) {
  std::string s = "tape moved " + std::to_string(a.bytes_to_medium) + " bytes written, " +
                  std::to_string(a.bytes_from_medium) + " read; ";
  if (!a.repositions) return s + "repositions not reported by the drive";
  return s + std::to_string(*a.repositions) + " repositions (" +
         std::to_string(a.tape_starts.value_or(0)) + " starts)";
}

Result<DriveActivity> TapeUnit::Impl::GetDriveActivity() {
  std::lock_guard<std::mutex> lock(mu_);
  if (stream_ != StreamKind::kNone) {
    return Status::Error(ErrorCode::kBusy, "a stream is open: the drive is busy");
  }
  // A target without LOG SENSE (tgtd, istgt: no page 0x31 at the probe) is
  // not asked: its ILLEGAL REQUEST would be logged as unusual every time.
  if (!caps_.log_sense_capacity) {
    return Status::Error(ErrorCode::kUnsupported, "the drive has no LOG SENSE");
  }
  // vtape's vendor parameters mean something only on vtape.
  TSFS_ASSIGN_OR_RETURN(const InquiryData inquiry, ssc_.Inquiry());
  return ssc_.LogSenseDriveActivity(inquiry.vendor == "TSFS");
}

std::string TapeUnit::Impl::DescribeDriveTiming() {
  std::lock_guard<std::mutex> lock(mu_);
  // While a stream is open its thread updates what is known.
  if (stream_ != StreamKind::kNone || !drive_timing_.knows_drive()) return "";
  const long long mib = std::llround(drive_timing_.drive_buffer() / (1024 * 1024));
  const long long mbs = std::llround(drive_timing_.tape_rate() / 1e6);
  return "the drive seemed to buffer " + std::to_string(mib) + " MiB and its tape to move " +
         std::to_string(mbs) + " MB/s (from the timing of its commands)";
}

}  // namespace tsfs
