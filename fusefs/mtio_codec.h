// Decoding and encoding of the Linux tape ioctls that reach tsfs through
// FUSE: MTIOCTOP (an 8-byte struct mtop: op, count) and MTIOCGET (struct
// mtget, filled from the unit's status). The ioctl numbers are checked
// against <sys/mtio.h> at compile time.
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "tapecore/unit/tape_unit.h"

namespace tsfs::fusefs {

inline constexpr unsigned int kMtIocTop = 0x40086d01;  // _IOW('m', 1, struct mtop)
inline constexpr unsigned int kMtIocGet = 0x80306d02;  // _IOR('m', 2, struct mtget), LP64

struct MtRequest {
  int16_t linux_op = 0;  // MTFSF, MTWEOF, ...
  int32_t count = 0;
  MtOp op = MtOp::kOther;
};

// The struct mtop in an MTIOCTOP argument; nullopt when the size is wrong.
std::optional<MtRequest> DecodeMtop(std::span<const uint8_t> arg);

// Bytes of a struct mtget.
size_t MtgetSize();

// Fills a struct mtget (out.size() == MtgetSize()) from the unit status:
// SCSI-2 drive type, file and block number (-1 when unknown), block size in
// mt_dsreg, and the BOT, EOD, WR_PROT and ONLINE bits in mt_gstat.
void EncodeMtget(const UnitStatus& status, std::span<uint8_t> out);

// The block-device ioctls (BLK*, FIBMAP): tsfs has no block interface.
bool IsBlockDeviceIoctl(unsigned int cmd);

}  // namespace tsfs::fusefs
