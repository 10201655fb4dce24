// CDB builders of the SMC-3 commands tsfs sends to a media changer. Pure
// functions returning the command bytes; INQUIRY, TEST UNIT READY, MODE SENSE
// and PREVENT ALLOW MEDIUM REMOVAL are the SPC ones of ssc/cdb.h.
//
// Thread-safe (pure functions).
#pragma once

#include <array>
#include <cstdint>

#include "tapecore/smc/element.h"

namespace tsfs::smc::cdb {

using Cdb6 = std::array<uint8_t, 6>;
using Cdb12 = std::array<uint8_t, 12>;

inline constexpr uint8_t kInitializeElementStatus = 0x07;
inline constexpr uint8_t kReportLuns = 0xA0;
inline constexpr uint8_t kMoveMedium = 0xA5;
inline constexpr uint8_t kReadElementStatus = 0xB8;

inline constexpr uint8_t kElementAddressPage = 0x1D;

Cdb6 InitializeElementStatus();

struct ReadElementStatusRequest {
  ElementType type = ElementType::kAll;
  uint16_t start = 0;
  uint16_t count = 0;
  bool volume_tags = true;         // VOLTAG: report PVOLTAG/AVOLTAG
  bool device_identifiers = true;  // DVCID: report the device identification
  uint32_t allocation_length = 0;  // 24 bits
};
// READ ELEMENT STATUS (SMC-3 6.10). CURDATA is 0: the changer may move to find out.
Cdb12 ReadElementStatus(const ReadElementStatusRequest& request);

// MOVE MEDIUM (SMC-3 6.6) with `transport` as the picker.
Cdb12 MoveMedium(uint16_t transport, uint16_t source, uint16_t destination, bool invert = false);

// REPORT LUNS (SPC-4 6.33), select report 0 (all logical units).
Cdb12 ReportLuns(uint32_t allocation_length);

}  // namespace tsfs::smc::cdb
