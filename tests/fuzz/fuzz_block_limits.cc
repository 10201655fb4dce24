// READ BLOCK LIMITS data (6 bytes when well-formed).
#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/ssc/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)tsfs::parse::BlockLimitsData(std::span<const uint8_t>(data, size));
  return 0;
}
