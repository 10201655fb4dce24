#include "tapecore/smc/drive_identity.h"

#include <array>

#include "tapecore/scsi/sense.h"
#include "tapecore/smc/parse.h"
#include "tapecore/ssc/cdb.h"

namespace tsfs::smc {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  size_t first = 0;
  while (first < s.size() && s[first] == ' ') ++first;
  return s.substr(first);
}

}  // namespace

Result<DriveIdentity> ReadDriveIdentity(Transport& drive) {
  DriveIdentity out;
  Ssc ssc(drive);
  TSFS_ASSIGN_OR_RETURN(out.inquiry, ssc.Inquiry());
  TSFS_ASSIGN_OR_RETURN(out.serial, ssc.UnitSerialNumber());
  std::array<uint8_t, 255> buf{};
  const auto c = tsfs::cdb::Inquiry(buf.size(), true, 0x83);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        drive.Execute(c, DataBuffer::In(buf), std::chrono::seconds(60)));
  if (resp.status == kScsiGood) {
    const size_t got = buf.size() - std::min(resp.transport_residual, buf.size());
    auto ids = parse::DeviceIdentificationPage(std::span<const uint8_t>(buf).first(got));
    if (ids.ok()) out.identifiers = std::move(ids).value();
  }
  return out;
}

bool MatchesElement(const DriveIdentity& drive, const ElementStatus& element) {
  if (!element.device) return false;
  const DeviceIdentifier& e = *element.device;
  for (const DeviceIdentifier& id : drive.identifiers) {
    if (id.identifier_type == e.identifier_type && id.identifier == e.identifier) return true;
  }
  const std::string serial = Trim(drive.serial);
  if (serial.empty() || (e.identifier_type != 0 && e.identifier_type != 1)) return false;
  // T10 vendor ID: vendor (8), product (16), then the serial number (the
  // layout drives and tgtd use); vendor specific: the serial number alone.
  if (e.identifier_type == 1) {
    return e.identifier.size() > 24 && Trim(e.identifier.substr(24)) == serial;
  }
  return Trim(e.identifier) == serial;
}

}  // namespace tsfs::smc
