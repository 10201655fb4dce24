#include "tapecore/smc/cdb.h"

namespace tsfs::smc::cdb {

namespace {
void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
void Put24(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 16);
  Put16(p + 1, static_cast<uint16_t>(v));
}
}  // namespace

Cdb6 InitializeElementStatus() { return Cdb6{kInitializeElementStatus}; }

Cdb12 ReadElementStatus(const ReadElementStatusRequest& request) {
  Cdb12 c{kReadElementStatus};
  c[1] = static_cast<uint8_t>((request.volume_tags ? 0x10 : 0x00) |
                              (static_cast<uint8_t>(request.type) & 0x0F));
  Put16(&c[2], request.start);
  Put16(&c[4], request.count);
  c[6] = request.device_identifiers ? 0x01 : 0x00;
  Put24(&c[7], request.allocation_length & 0xFFFFFF);
  return c;
}

Cdb12 MoveMedium(uint16_t transport, uint16_t source, uint16_t destination, bool invert) {
  Cdb12 c{kMoveMedium};
  Put16(&c[2], transport);
  Put16(&c[4], source);
  Put16(&c[6], destination);
  c[10] = invert ? 0x01 : 0x00;
  return c;
}

Cdb12 ReportLuns(uint32_t allocation_length) {
  Cdb12 c{kReportLuns};
  Put16(&c[6], static_cast<uint16_t>(allocation_length >> 16));
  Put16(&c[8], static_cast<uint16_t>(allocation_length));
  return c;
}

}  // namespace tsfs::smc::cdb
