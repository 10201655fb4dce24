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
  // Sense-key specific progress indication (SKSV set, bytes 16-17: done
  // out of 65536), as a drive answers while a long operation runs.
  bool progress_valid = false;
  uint16_t progress = 0;
};

// 18 bytes, response code 0x70 (current error).
std::vector<uint8_t> BuildFixedSense(const SenseSpec& spec);

}  // namespace tsfs::vtape
