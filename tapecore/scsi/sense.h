// Sense data decoding (fixed and descriptor formats) with libsgutils2.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "tapecore/status.h"

namespace tsfs {

// Decodes raw sense bytes. Returns a SenseData with response_code 0 when the
// bytes are not valid sense data (too short, unknown response code).
SenseData ParseSense(std::span<const uint8_t> raw);

// Multi-line human-readable decoding (sg_get_sense_str), for diagnostics.
std::string DescribeSense(std::span<const uint8_t> raw);

// Hex dump "70 00 03 ..." of any byte string (CDBs and sense in diagnostics).
std::string HexBytes(std::span<const uint8_t> bytes);

}  // namespace tsfs
