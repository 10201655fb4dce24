// The tsbconf configuration file (tsbconf(5)), as text of any content.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tapecore/unit/unit_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto units = tsfs::ParseTsbconf(text, "fuzz.conf");
  if (units.ok()) {
    for (const tsfs::UnitConfig& u : *units) {
      // What the parser accepted is within the documented ranges.
      if (u.unit < 0 || u.unit > 7 || u.device.empty() || u.block_size == 0 ||
          u.buffer_kb * 1024 < u.block_size) {
        __builtin_trap();
      }
      (void)u.Name();
    }
  }
  return 0;
}
