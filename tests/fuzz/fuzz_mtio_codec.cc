// The mtio ioctl codec: an MTIOCTOP argument as an application passes it
// through FUSE (any size), and a struct mtget filled from unit status values.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "fusefs/mtio_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> bytes(data, size);
  (void)tsfs::fusefs::DecodeMtop(bytes);
  unsigned int cmd = 0;
  if (size >= sizeof(cmd)) std::memcpy(&cmd, data, sizeof(cmd));
  (void)tsfs::fusefs::IsBlockDeviceIoctl(cmd);

  // Status values taken from the input: any position, block size and flags.
  tsfs::UnitStatus status;
  int64_t file = 0, block = 0;
  uint32_t block_size = 0;
  uint8_t flags = 0;
  if (size >= 21) {
    std::memcpy(&file, data, 8);
    std::memcpy(&block, data + 8, 8);
    std::memcpy(&block_size, data + 16, 4);
    flags = data[20];
    if (flags & 1) status.file_number = file;
    if (flags & 2) status.block_number = block;
    status.block_size = block_size;
    status.write_protect = flags & 4;
    status.online = flags & 8;
    status.at_bot = flags & 16;
    status.at_eod = flags & 32;
  }
  std::vector<uint8_t> out(tsfs::fusefs::MtgetSize());
  tsfs::fusefs::EncodeMtget(status, out);
  return 0;
}
