#include "tapecore/ssc/cdb.h"

namespace tsfs::cdb {

namespace {

// Puts the low 24 bits of v big-endian at p[0..2].
void Put24(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 16);
  p[1] = static_cast<uint8_t>(v >> 8);
  p[2] = static_cast<uint8_t>(v);
}

void Put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}

void Put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}

}  // namespace

Cdb6 Inquiry(uint16_t allocation_length, bool evpd, uint8_t page) {
  Cdb6 c{kInquiry};
  c[1] = evpd ? 0x01 : 0x00;
  c[2] = evpd ? page : 0;
  Put16(&c[3], allocation_length);
  return c;
}

Cdb6 TestUnitReady() { return Cdb6{kTestUnitReady}; }

Cdb6 RequestSense(uint8_t allocation_length) {
  Cdb6 c{kRequestSense};
  c[4] = allocation_length;
  return c;
}

Cdb6 ModeSense6(uint8_t page, uint8_t allocation_length, bool dbd, uint8_t page_control) {
  Cdb6 c{kModeSense6};
  c[1] = dbd ? 0x08 : 0x00;
  c[2] = static_cast<uint8_t>(((page_control & 0x03) << 6) | (page & 0x3F));
  c[4] = allocation_length;
  return c;
}

Cdb10 ModeSense10(uint8_t page, uint16_t allocation_length, bool dbd, uint8_t page_control) {
  Cdb10 c{kModeSense10};
  c[1] = dbd ? 0x08 : 0x00;
  c[2] = static_cast<uint8_t>(((page_control & 0x03) << 6) | (page & 0x3F));
  Put16(&c[7], allocation_length);
  return c;
}

Cdb6 ModeSelect6(uint8_t parameter_list_length) {
  Cdb6 c{kModeSelect6};
  c[1] = 0x10;  // PF: the parameter list follows the SPC page format
  c[4] = parameter_list_length;
  return c;
}

std::array<uint8_t, kModeSelectBlockDescriptorLength> ModeSelectBlockDescriptor(
    uint32_t block_length, uint8_t buffered_mode, uint8_t density_code) {
  std::array<uint8_t, kModeSelectBlockDescriptorLength> p{};
  // Header: mode data length is reserved (0) in MODE SELECT; medium type 0.
  p[2] = static_cast<uint8_t>((buffered_mode & 0x07) << 4);
  p[3] = 8;  // block descriptor length
  p[4] = density_code;
  // p[5..7] number of blocks: 0 (the rest of the medium).
  Put24(&p[9], block_length);
  return p;
}

Cdb6 ReadBlockLimits() { return Cdb6{kReadBlockLimits}; }

Cdb6 Read6(uint32_t count, bool fixed, bool sili) {
  Cdb6 c{kRead6};
  c[1] = static_cast<uint8_t>((sili ? 0x02 : 0x00) | (fixed ? 0x01 : 0x00));
  Put24(&c[2], count);
  return c;
}

Cdb6 Write6(uint32_t count, bool fixed) {
  Cdb6 c{kWrite6};
  c[1] = fixed ? 0x01 : 0x00;
  Put24(&c[2], count);
  return c;
}

Cdb6 WriteFilemarks6(uint32_t count, bool immediate) {
  Cdb6 c{kWriteFilemarks6};
  c[1] = immediate ? 0x01 : 0x00;
  Put24(&c[2], count);
  return c;
}

Cdb6 Space6(SpaceCode code, int32_t count) {
  Cdb6 c{kSpace6};
  c[1] = static_cast<uint8_t>(code) & 0x0F;
  if (code != SpaceCode::kEndOfData) Put24(&c[2], static_cast<uint32_t>(count));
  return c;
}

Cdb6 Rewind(bool immediate) {
  Cdb6 c{kRewind};
  c[1] = immediate ? 0x01 : 0x00;
  return c;
}

Cdb6 Erase6(bool long_erase, bool immediate) {
  Cdb6 c{kErase6};
  c[1] = static_cast<uint8_t>((immediate ? 0x02 : 0x00) | (long_erase ? 0x01 : 0x00));
  return c;
}

Cdb6 LoadUnload(bool load, bool retension, bool immediate) {
  Cdb6 c{kLoadUnload};
  c[1] = immediate ? 0x01 : 0x00;
  c[4] = static_cast<uint8_t>((retension ? 0x02 : 0x00) | (load ? 0x01 : 0x00));
  return c;
}

Cdb10 ReadPosition(bool long_form) {
  Cdb10 c{kReadPosition};
  // Service action 00h short form / 06h long form. The allocation length
  // field stays zero for these forms (SSC-3); the answer has a fixed size.
  c[1] = long_form ? 0x06 : 0x00;
  return c;
}

Cdb10 Locate10(uint32_t block, bool immediate) {
  Cdb10 c{kLocate10};
  c[1] = immediate ? 0x01 : 0x00;
  Put32(&c[3], block);
  return c;
}

Cdb10 LogSense(uint8_t page, uint16_t allocation_length) {
  Cdb10 c{kLogSense};
  c[2] = static_cast<uint8_t>(0x40 | (page & 0x3F));  // PC 01b: cumulative values
  Put16(&c[7], allocation_length);
  return c;
}

Cdb6 PreventAllowMediumRemoval(bool prevent) {
  Cdb6 c{kPreventAllowMediumRemoval};
  c[4] = prevent ? 0x01 : 0x00;
  return c;
}

}  // namespace tsfs::cdb
