// READ POSITION data, short form (20 bytes) and long form (32 bytes), of any length.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/ssc/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  (void)tsfs::parse::ReadPositionShort(bytes);
  (void)tsfs::parse::ReadPositionLong(bytes);
  return 0;
}
