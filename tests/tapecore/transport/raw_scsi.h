// Raw CDBs for the transport tests: they test the transport, below ssc, so
// they build their commands by hand. Header-only (tests/ globs *_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/transport/transport.h"

namespace tsfs::testing {

inline constexpr std::chrono::milliseconds kRawTimeout{20'000};

inline Result<ScsiResponse> Exec(Transport& t, std::vector<uint8_t> cdb, DataBuffer data = {}) {
  return t.Execute(cdb, data, kRawTimeout);
}

// READ(6) / WRITE(6) (op 0x08 / 0x0A): `count` blocks of the fixed length
// (fixed), or one variable-length record of `count` bytes (SILI off).
inline std::vector<uint8_t> ReadWrite6(uint8_t op, bool fixed, uint32_t count) {
  return {op,
          static_cast<uint8_t>(fixed ? 0x01 : 0x00),
          static_cast<uint8_t>(count >> 16),
          static_cast<uint8_t>(count >> 8),
          static_cast<uint8_t>(count),
          0};
}
inline std::vector<uint8_t> Fixed6(uint8_t op, uint32_t blocks) {
  return ReadWrite6(op, true, blocks);
}
inline std::vector<uint8_t> Variable6(uint8_t op, uint32_t bytes) {
  return ReadWrite6(op, false, bytes);
}

inline const std::vector<uint8_t> kTestUnitReady = {0x00, 0, 0, 0, 0, 0};
inline const std::vector<uint8_t> kRewind = {0x01, 0, 0, 0, 0, 0};
inline const std::vector<uint8_t> kWriteOneFilemark = {0x10, 0, 0, 0, 1, 0};

// MODE SELECT(6) with a block descriptor only: fixed 512-byte blocks.
inline void SetFixed512(Transport& t) {
  std::vector<uint8_t> param = {0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0x02, 0x00};
  auto r =
      Exec(t, {0x15, 0x10, 0, 0, static_cast<uint8_t>(param.size()), 0}, DataBuffer::Out(param));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, kScsiGood) << DescribeSense(r->sense);
}

}  // namespace tsfs::testing
