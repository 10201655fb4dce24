// Fixed-format sense data (SPC-4 4.5.3) as the vtape target answers it.
#pragma once

#include <cstdint>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::vtape {

struct SenseSpec {
  SenseKey key = SenseKey::kNoSense;
  uint8_t asc = 0;
  uint8_t ascq = 0;
  bool filemark = false;
  bool eom = false;
  bool ili = false;
  bool information_valid = false;
  int64_t information = 0;  // stored as a signed 32-bit value (tape convention)
};

// 18 bytes, response code 0x70 (current error).
std::vector<uint8_t> BuildFixedSense(const SenseSpec& spec);

}  // namespace tsfs::vtape
