// Parsers of the SMC-3 (and SPC) answers a media changer gives: pure
// functions over the data-in bytes, with every length field checked against
// the bytes that are really there. A malformed answer is a kIo Status naming
// what was wrong; nothing is read past the end of the buffer.
//
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "tapecore/smc/element.h"
#include "tapecore/status.h"

namespace tsfs::smc::parse {

// MODE SENSE(6) data holding page 0x1D (element address assignment), after
// the 4-byte header and any block descriptors.
Result<ElementAddressAssignment> ElementAddressPage(std::span<const uint8_t> data);

// READ ELEMENT STATUS data: the header, every element status page and every
// descriptor that is whole within `data` (the report is marked truncated when
// the allocation length cut it). `device_identifiers`: DVCID was set, so the
// bytes after the volume tags are an identification descriptor.
Result<ElementStatusReport> ElementStatusData(std::span<const uint8_t> data,
                                              bool device_identifiers);

// VPD page 0x83 (device identification): every designation descriptor.
Result<std::vector<DeviceIdentifier>> DeviceIdentificationPage(std::span<const uint8_t> data);

// REPORT LUNS data: the LUN numbers (single level, peripheral or flat
// addressing; other formats are skipped).
Result<std::vector<uint16_t>> ReportLunsData(std::span<const uint8_t> data);

}  // namespace tsfs::smc::parse
