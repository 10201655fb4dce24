// MODE SENSE(6) and MODE SENSE(10) parameter data: header and block descriptors.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/ssc/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  (void)tsfs::parse::ModeSense6(bytes);
  (void)tsfs::parse::ModeSense10(bytes);
  return 0;
}
