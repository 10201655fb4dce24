#include "fusefs/mtio_codec.h"

#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/mtio.h>

#include <cstring>

namespace tsfs::fusefs {

static_assert(MTIOCTOP == kMtIocTop, "MTIOCTOP differs from the number FUSE passes through");
static_assert(MTIOCGET == kMtIocGet, "MTIOCGET differs (not an LP64 build?)");
static_assert(sizeof(struct mtop) == 8, "struct mtop is 8 bytes (short op, int count)");

std::optional<MtRequest> DecodeMtop(std::span<const uint8_t> arg) {
  if (arg.size() != sizeof(struct mtop)) return std::nullopt;
  struct mtop m;
  std::memcpy(&m, arg.data(), sizeof(m));
  MtRequest r;
  r.linux_op = m.mt_op;
  r.count = m.mt_count;
  r.op = MtOpFromLinux(m.mt_op);
  return r;
}

size_t MtgetSize() { return sizeof(struct mtget); }

void EncodeMtget(const UnitStatus& status, std::span<uint8_t> out) {
  struct mtget g;
  std::memset(&g, 0, sizeof(g));
  g.mt_type = MT_ISSCSI2;
  g.mt_resid = 0;  // partition 0
  g.mt_dsreg = static_cast<long>((status.block_size << MT_ST_BLKSIZE_SHIFT) & MT_ST_BLKSIZE_MASK);
  g.mt_erreg = 0;
  g.mt_fileno = status.file_number ? static_cast<__kernel_daddr_t>(*status.file_number) : -1;
  g.mt_blkno = status.block_number ? static_cast<__kernel_daddr_t>(*status.block_number) : -1;
  long gstat = 0;
  if (status.at_bot) gstat |= GMT_BOT(~0L);
  if (status.at_eod) gstat |= GMT_EOD(~0L);
  if (status.write_protect) gstat |= GMT_WR_PROT(~0L);
  if (status.online) gstat |= GMT_ONLINE(~0L);
  g.mt_gstat = gstat;
  if (out.size() >= sizeof(g)) std::memcpy(out.data(), &g, sizeof(g));
}

bool IsBlockDeviceIoctl(unsigned int cmd) { return _IOC_TYPE(cmd) == 0x12 || cmd == FIBMAP; }

}  // namespace tsfs::fusefs
