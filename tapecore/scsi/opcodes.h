// SCSI operation codes (SPC-4, SSC-4) of the commands tapecore sends and
// vtape answers: one list for the initiator (ssc/cdb.h) and the target
// (vtape), so the two can never disagree.
#pragma once

#include <cstdint>

namespace tsfs::scsi_op {

inline constexpr uint8_t kTestUnitReady = 0x00;
inline constexpr uint8_t kRewind = 0x01;
inline constexpr uint8_t kRequestSense = 0x03;
inline constexpr uint8_t kReadBlockLimits = 0x05;
inline constexpr uint8_t kRead6 = 0x08;
inline constexpr uint8_t kWrite6 = 0x0A;
inline constexpr uint8_t kWriteFilemarks6 = 0x10;
inline constexpr uint8_t kSpace6 = 0x11;
inline constexpr uint8_t kInquiry = 0x12;
inline constexpr uint8_t kModeSelect6 = 0x15;
inline constexpr uint8_t kErase6 = 0x19;
inline constexpr uint8_t kModeSense6 = 0x1A;
inline constexpr uint8_t kLoadUnload = 0x1B;
inline constexpr uint8_t kPreventAllowMediumRemoval = 0x1E;
inline constexpr uint8_t kLocate10 = 0x2B;
inline constexpr uint8_t kReadPosition = 0x34;
inline constexpr uint8_t kLogSense = 0x4D;
inline constexpr uint8_t kModeSelect10 = 0x55;
inline constexpr uint8_t kModeSense10 = 0x5A;
inline constexpr uint8_t kSpace16 = 0x91;
inline constexpr uint8_t kLocate16 = 0x92;
inline constexpr uint8_t kReportLuns = 0xA0;

}  // namespace tsfs::scsi_op
