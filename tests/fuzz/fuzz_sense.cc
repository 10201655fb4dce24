// Sense data as a target sends it (fixed or descriptor format, any length),
// and the REQUEST SENSE answer that carries it.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/scsi/sense.h"
#include "tapecore/ssc/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  const tsfs::SenseData sense = tsfs::ParseSense(bytes);
  // Decoded fields must come from inside the buffer: raw is a copy of at most the input.
  if (sense.raw.size() > size) __builtin_trap();
  (void)tsfs::DescribeSense(bytes);
  (void)tsfs::HexBytes(bytes);
  const tsfs::SenseData requested = tsfs::parse::RequestSenseData(bytes);
  if (requested.raw.size() > size) __builtin_trap();
  return 0;
}
