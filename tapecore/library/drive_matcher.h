// Which drive is in which data transfer element: each element's device
// identifier (READ ELEMENT STATUS with DVCID) against each drive's serial
// number and device identifiers (INQUIRY VPD 0x80/0x83).
//
// Thread-safe (pure function).
#pragma once

#include <vector>

#include "tapecore/smc/drive_identity.h"
#include "tapecore/smc/element.h"
#include "tapecore/status.h"

namespace tsfs::library {

// For each element (in order), the index of its drive in `drives`, or -1 when
// no drive matches (the drive is not reachable from here). When no element
// carries an identifier and the counts agree, the drives are taken in element
// order; when one element has no identifier and one drive is left over,
// they are paired. A drive matched by two elements is kConfig.
Result<std::vector<int>> MatchDrives(const std::vector<smc::ElementStatus>& elements,
                                     const std::vector<smc::DriveIdentity>& drives);

}  // namespace tsfs::library
