#include "tapecore/vtape/vtape_sense.h"

namespace tsfs::vtape {

std::vector<uint8_t> BuildFixedSense(const SenseSpec& spec) {
  std::vector<uint8_t> s(18, 0);
  s[0] = 0x70 | (spec.information_valid ? 0x80 : 0x00);
  s[2] = static_cast<uint8_t>((spec.filemark ? 0x80 : 0) | (spec.eom ? 0x40 : 0) |
                              (spec.ili ? 0x20 : 0) | (static_cast<uint8_t>(spec.key) & 0x0F));
  const auto info = static_cast<uint32_t>(static_cast<int32_t>(spec.information));
  s[3] = static_cast<uint8_t>(info >> 24);
  s[4] = static_cast<uint8_t>(info >> 16);
  s[5] = static_cast<uint8_t>(info >> 8);
  s[6] = static_cast<uint8_t>(info);
  s[7] = 10;  // additional sense length
  s[12] = spec.asc;
  s[13] = spec.ascq;
  if (spec.progress_valid) {
    s[15] = 0x80;
    s[16] = static_cast<uint8_t>(spec.progress >> 8);
    s[17] = static_cast<uint8_t>(spec.progress);
  }
  return s;
}

}  // namespace tsfs::vtape
