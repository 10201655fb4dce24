// Operation codes (tapecore/scsi/opcodes.h) and big-endian CDB/parameter
// fields shared by the command families of VtapeTarget (vtape_*_commands.cc).
// Internal to vtape.
#pragma once

#include <cstdint>

#include "tapecore/scsi/opcodes.h"

namespace tsfs::vtape {

// Operation codes: one list with the initiator (tapecore/scsi/opcodes.h).
using namespace ::tsfs::scsi_op;  // NOLINT(google-build-using-namespace)

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
