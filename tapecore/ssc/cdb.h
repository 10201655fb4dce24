// CDB builders: one pure function per SSC/SPC command tapecore sends. Each
// returns the command bytes by value; no I/O, no state. Field layouts follow
// SPC-4 and SSC-3 (6- and 10-byte forms, big-endian multi-byte fields).
//
// Thread-safe (pure functions).
#pragma once

#include <array>
#include <cstdint>

#include "tapecore/scsi/opcodes.h"
#include "tapecore/ssc/ssc.h"

namespace tsfs::cdb {

using Cdb6 = std::array<uint8_t, 6>;
using Cdb10 = std::array<uint8_t, 10>;

// Operation codes: one list with vtape (tapecore/scsi/opcodes.h).
using namespace ::tsfs::scsi_op;  // NOLINT(google-build-using-namespace)

// Sizes of the fixed-size answers.
inline constexpr size_t kReadPositionShortLength = 20;
inline constexpr size_t kReadPositionLongLength = 32;
inline constexpr size_t kBlockLimitsLength = 6;
inline constexpr size_t kModeSelectBlockDescriptorLength = 12;  // 4 header + 8 descriptor

// The largest transfer length a 6-byte READ/WRITE/SPACE carries (24 bits).
inline constexpr uint32_t kMaxTransferLength6 = 0xFFFFFF;

// INQUIRY; evpd selects the vital product data page `page`.
Cdb6 Inquiry(uint16_t allocation_length, bool evpd = false, uint8_t page = 0);
Cdb6 TestUnitReady();
Cdb6 RequestSense(uint8_t allocation_length);
// MODE SENSE(6). dbd: disable block descriptors. page_control 0 = current values.
Cdb6 ModeSense6(uint8_t page, uint8_t allocation_length, bool dbd = false,
                uint8_t page_control = 0);
Cdb10 ModeSense10(uint8_t page, uint16_t allocation_length, bool dbd = false,
                  uint8_t page_control = 0);
// MODE SELECT(6) with PF set; the parameter list follows in the data-out phase.
Cdb6 ModeSelect6(uint8_t parameter_list_length);
// The MODE SELECT(6) parameter list: header + one block descriptor, no pages.
// block_length 0 selects variable-block mode. buffered_mode 0..7 (bits 6-4).
std::array<uint8_t, kModeSelectBlockDescriptorLength> ModeSelectBlockDescriptor(
    uint32_t block_length, uint8_t buffered_mode = 1, uint8_t density_code = 0);
Cdb6 ReadBlockLimits();
// READ(6): fixed -> count is blocks, else bytes of one variable record.
Cdb6 Read6(uint32_t count, bool fixed, bool sili = false);
// WRITE(6): fixed -> count is blocks, else bytes of one variable record.
Cdb6 Write6(uint32_t count, bool fixed);
Cdb6 WriteFilemarks6(uint32_t count, bool immediate = false);
// SPACE(6): count is a 24-bit two's-complement number (negative = backward).
// The count is ignored (sent as 0) for kEndOfData.
Cdb6 Space6(SpaceCode code, int32_t count);
Cdb6 Rewind(bool immediate = false);
Cdb6 Erase6(bool long_erase, bool immediate = false);
Cdb6 LoadUnload(bool load, bool retension, bool immediate = false);
// READ POSITION: short form (service action 00h, 20 bytes) or long form
// (06h, 32 bytes). Always execute with a 20/32-byte data-in buffer: tgtd
// crashes (SIGSEGV) on a READ POSITION without one.
Cdb10 ReadPosition(bool long_form);
// LOCATE(10) to a logical block address (32 bits), current partition.
Cdb10 Locate10(uint32_t block, bool immediate = false);
// LOG SENSE of `page`, cumulative values (PC = 01b).
Cdb10 LogSense(uint8_t page, uint16_t allocation_length);
Cdb6 PreventAllowMediumRemoval(bool prevent);

}  // namespace tsfs::cdb
