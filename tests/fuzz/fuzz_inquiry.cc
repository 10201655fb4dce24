// Standard INQUIRY data, the unit serial number VPD page (0x80) and the
// tape capacity log page (0x31): the identity answers a target sends.
#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/ssc/parse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  auto inquiry = tsfs::parse::Inquiry(bytes);
  if (inquiry.ok()) (void)tsfs::parse::DeviceTypeName(inquiry->device_type);
  (void)tsfs::parse::UnitSerialNumber(bytes);
  (void)tsfs::parse::TapeCapacityLogPage(bytes);
  return 0;
}
