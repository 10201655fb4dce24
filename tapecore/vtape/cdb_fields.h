// Operation codes and big-endian CDB/parameter fields shared by the command
// families of VtapeTarget (vtape_*_commands.cc). Internal to vtape.
#pragma once

#include <cstdint>

namespace tsfs::vtape {

// Operation codes (SPC-4, SSC-4).
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
inline constexpr uint8_t kPreventAllow = 0x1E;
inline constexpr uint8_t kLocate10 = 0x2B;
inline constexpr uint8_t kReadPosition = 0x34;
inline constexpr uint8_t kLogSense = 0x4D;
inline constexpr uint8_t kModeSelect10 = 0x55;
inline constexpr uint8_t kModeSense10 = 0x5A;
inline constexpr uint8_t kSpace16 = 0x91;
inline constexpr uint8_t kLocate16 = 0x92;
inline constexpr uint8_t kReportLuns = 0xA0;

inline constexpr uint32_t kMaxBlockLength = 0xFFFFFF;  // what a 24-bit transfer length can carry

inline uint32_t Be16(const uint8_t* p) { return uint32_t{p[0]} << 8 | p[1]; }
inline uint32_t Be24(const uint8_t* p) { return uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2]; }
inline uint32_t Be32(const uint8_t* p) { return uint32_t{p[0]} << 24 | Be24(p + 1); }
inline uint64_t Be64(const uint8_t* p) { return uint64_t{Be32(p)} << 32 | Be32(p + 4); }

inline void PutBe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

}  // namespace tsfs::vtape
