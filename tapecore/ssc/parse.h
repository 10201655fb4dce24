// Response parsers: one pure function per SSC/SPC answer tapecore reads.
// Each takes the data-in bytes and returns the typed value, or a kIo Status
// when the bytes are too short or malformed. No I/O, no state.
//
// Thread-safe (pure functions).
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs::parse {

// Standard INQUIRY data (at least the first 8 bytes; vendor, product and
// revision when present, trailing spaces trimmed).
Result<InquiryData> Inquiry(std::span<const uint8_t> data);
// VPD page 0x80 (unit serial number), spaces trimmed.
Result<std::string> UnitSerialNumber(std::span<const uint8_t> data);
// MODE SENSE(6) parameter header and the first block descriptor, if any.
Result<ModeData> ModeSense6(std::span<const uint8_t> data);
// MODE SENSE(10) parameter header and the first (short or long) block descriptor.
Result<ModeData> ModeSense10(std::span<const uint8_t> data);
// READ BLOCK LIMITS (6 bytes).
Result<BlockLimits> BlockLimitsData(std::span<const uint8_t> data);
// READ POSITION short form (20 bytes) and long form (32 bytes).
Result<Position> ReadPositionShort(std::span<const uint8_t> data);
Result<Position> ReadPositionLong(std::span<const uint8_t> data);
// LOG SENSE page 0x31 (tape capacity): main-partition remaining and maximum
// capacity, parameters 0001h and 0003h, each in MiB (1,048,576 bytes).
Result<Capacity> TapeCapacityLogPage(std::span<const uint8_t> data);
// LOG SENSE page 0x0C (sequential-access device): parameters 0000h-0003h,
// and, when `vtape`, vtape's vendor parameters 8000h (repositions) and
// 8001h (tape starts).
Result<DriveActivity> SequentialAccessLogPage(std::span<const uint8_t> data, bool vtape);
// The REQUEST SENSE answer: the sense bytes it holds (additional sense length
// respected), decoded with ParseSense.
SenseData RequestSenseData(std::span<const uint8_t> data);

// Name of a peripheral device type ("disk", "tape", "optical", ...).
const char* DeviceTypeName(uint8_t device_type);

}  // namespace tsfs::parse
