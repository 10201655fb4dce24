// struct mtop / struct mtget as mt(1) sends and reads them.
#include "fusefs/mtio_codec.h"

#include <sys/mtio.h>

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace tsfs::fusefs {
namespace {

std::vector<uint8_t> Mtop(short op, int count) {
  struct mtop m {};
  m.mt_op = op;
  m.mt_count = count;
  std::vector<uint8_t> bytes(sizeof(m));
  std::memcpy(bytes.data(), &m, sizeof(m));
  return bytes;
}

TEST(MtioCodecTest, DecodesTheSupportedOperations) {
  struct Row {
    short linux_op;
    MtOp op;
  };
  for (const Row& r :
       {Row{MTFSF, MtOp::kFsf}, Row{MTWEOF, MtOp::kWeof}, Row{MTEOM, MtOp::kEod},
        Row{MTREW, MtOp::kRewind}, Row{MTERASE, MtOp::kErase}, Row{MTRETEN, MtOp::kRetension},
        Row{MTBSF, MtOp::kBsf}, Row{MTFSR, MtOp::kFsr}, Row{MTBSR, MtOp::kBsr},
        Row{MTOFFL, MtOp::kOffline}}) {
    const auto req = DecodeMtop(Mtop(r.linux_op, 3));
    ASSERT_TRUE(req.has_value());
    EXPECT_EQ(req->linux_op, r.linux_op);
    EXPECT_EQ(req->count, 3);
    EXPECT_EQ(req->op, r.op) << r.linux_op;
  }
  EXPECT_EQ(DecodeMtop(Mtop(MTSETBLK, 512))->op, MtOp::kOther);
}

TEST(MtioCodecTest, WrongSizeIsRefused) {
  std::vector<uint8_t> short_arg(4);
  EXPECT_FALSE(DecodeMtop(short_arg).has_value());
}

TEST(MtioCodecTest, EncodesStatusForMtStatus) {
  UnitStatus s;
  s.file_number = 3;
  s.block_number = 17;
  s.block_size = 512;
  s.write_protect = true;
  s.online = true;
  s.at_bot = false;
  s.at_eod = true;
  std::vector<uint8_t> out(MtgetSize());
  EncodeMtget(s, out);
  struct mtget g;
  std::memcpy(&g, out.data(), sizeof(g));
  EXPECT_EQ(g.mt_type, MT_ISSCSI2);
  EXPECT_EQ(g.mt_fileno, 3);
  EXPECT_EQ(g.mt_blkno, 17);
  EXPECT_EQ((g.mt_dsreg & MT_ST_BLKSIZE_MASK) >> MT_ST_BLKSIZE_SHIFT, 512);
  EXPECT_TRUE(GMT_WR_PROT(g.mt_gstat));
  EXPECT_TRUE(GMT_ONLINE(g.mt_gstat));
  EXPECT_TRUE(GMT_EOD(g.mt_gstat));
  EXPECT_FALSE(GMT_BOT(g.mt_gstat));
}

TEST(MtioCodecTest, UnknownPositionIsMinusOne) {
  UnitStatus s;
  s.at_bot = true;
  std::vector<uint8_t> out(MtgetSize());
  EncodeMtget(s, out);
  struct mtget g;
  std::memcpy(&g, out.data(), sizeof(g));
  EXPECT_EQ(g.mt_fileno, -1);
  EXPECT_EQ(g.mt_blkno, -1);
  EXPECT_TRUE(GMT_BOT(g.mt_gstat));
  EXPECT_FALSE(GMT_ONLINE(g.mt_gstat));
}

TEST(MtioCodecTest, BlockDeviceIoctlsAreRecognised) {
  EXPECT_TRUE(IsBlockDeviceIoctl(0x1272));  // BLKGETSIZE64-style type 0x12
  EXPECT_TRUE(IsBlockDeviceIoctl(1));       // FIBMAP
  EXPECT_FALSE(IsBlockDeviceIoctl(kMtIocTop));
  EXPECT_FALSE(IsBlockDeviceIoctl(kMtIocGet));
}

}  // namespace
}  // namespace tsfs::fusefs
