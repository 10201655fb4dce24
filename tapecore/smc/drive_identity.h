// What a drive says it is: INQUIRY, the unit serial number (VPD 0x80) and
// its device identifiers (VPD 0x83). A changer names the drive in each data
// transfer element with one of these (READ ELEMENT STATUS with DVCID);
// MatchesElement says whether an element names this drive.
//
// Thread-safe (ReadDriveIdentity uses the transport; the rest are values).
#pragma once

#include <string>
#include <vector>

#include "tapecore/smc/element.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs::smc {

struct DriveIdentity {
  InquiryData inquiry;
  std::string serial;                         // VPD 0x80; "" when the page is missing
  std::vector<DeviceIdentifier> identifiers;  // VPD 0x83; empty when the page is missing
};

// Sends INQUIRY and INQUIRY VPD 0x80/0x83 (a missing page is no error).
Result<DriveIdentity> ReadDriveIdentity(Transport& drive);

// True when the element's device identifier names this drive: the same
// identifier as one of VPD 0x83, or the serial number in the place a T10
// vendor ID (after vendor and product, as tgtd gives it) or a vendor-specific
// identifier has it.
bool MatchesElement(const DriveIdentity& drive, const ElementStatus& element);

}  // namespace tsfs::smc
