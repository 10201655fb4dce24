// Response parsers against answers laid out as in SPC-4 / SSC-3 and as the
// targets of TARGETS.md send them.
#include "tapecore/ssc/parse.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace tsfs::parse {
namespace {

using B = std::vector<uint8_t>;

B StandardInquiry(uint8_t byte0, const char* vendor, const char* product, const char* rev) {
  B d(36, ' ');
  d[0] = byte0;
  d[1] = 0x80;  // RMB
  d[2] = 0x05;
  d[3] = 0x02;
  d[4] = 31;
  d[5] = d[6] = d[7] = 0;
  std::memcpy(&d[8], vendor, std::strlen(vendor));
  std::memcpy(&d[16], product, std::strlen(product));
  std::memcpy(&d[32], rev, std::strlen(rev));
  return d;
}

TEST(ParseTest, InquiryTape) {
  auto r = Inquiry(StandardInquiry(0x01, "IET", "VIRTUAL-TAPE", "0001"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->device_type, 0x01);
  EXPECT_EQ(r->peripheral_qualifier, 0);
  EXPECT_TRUE(r->removable);
  EXPECT_EQ(r->vendor, "IET");
  EXPECT_EQ(r->product, "VIRTUAL-TAPE");
  EXPECT_EQ(r->revision, "0001");
}

TEST(ParseTest, InquiryDiskAndQualifier) {
  auto r = Inquiry(StandardInquiry(0x60, "X", "Y", "Z"));  // qualifier 3, type 0
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->device_type, 0x00);
  EXPECT_EQ(r->peripheral_qualifier, 3);
}

TEST(ParseTest, InquiryZeroPaddedBufferAndShort) {
  B d = StandardInquiry(0x01, "QUANTUM", "DLT8000", "");
  d.resize(96, 0);  // the rest of a larger buffer stays zero
  auto r = Inquiry(d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->vendor, "QUANTUM");
  EXPECT_EQ(r->product, "DLT8000");
  EXPECT_EQ(r->revision, "");
  EXPECT_FALSE(Inquiry(B{0x01, 0x80, 0x05}).ok());
}

TEST(ParseTest, UnitSerialNumber) {
  B d = {0x01, 0x80, 0x00, 0x0A, ' ', ' ', 'T', 'S', '0', '0', '0', '1', ' ', ' '};
  auto r = UnitSerialNumber(d);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "TS0001");
  d.resize(255, 0);
  EXPECT_EQ(*UnitSerialNumber(d), "TS0001");
  EXPECT_FALSE(UnitSerialNumber(B{0x01, 0x83, 0x00, 0x00}).ok());
  EXPECT_FALSE(UnitSerialNumber(B{0x01, 0x80}).ok());
}

TEST(ParseTest, ModeSense6Fixed512WriteProtected) {
  // WP, buffered mode 1, speed 0; density 0x40, 0 blocks, block length 512.
  const B d = {0x0B, 0x00, 0x90, 0x08, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00};
  auto r = ModeSense6(d);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->write_protect);
  EXPECT_EQ(r->buffered_mode, 1);
  EXPECT_EQ(r->speed, 0);
  EXPECT_EQ(r->density_code, 0x40);
  EXPECT_EQ(r->block_length, 512u);
  EXPECT_EQ(r->block_count, 0u);
}

TEST(ParseTest, ModeSense6VariableNoProtect) {
  const B d = {0x0B, 0x00, 0x10, 0x08, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00};
  auto r = ModeSense6(d);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->write_protect);
  EXPECT_EQ(r->block_length, 0u);
  EXPECT_EQ(r->block_count, 0x1000u);
}

TEST(ParseTest, ModeSense6NoBlockDescriptorAndShort) {
  auto r = ModeSense6(B{0x03, 0x00, 0x80, 0x00});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->write_protect);
  EXPECT_EQ(r->block_length, 0u);
  EXPECT_FALSE(ModeSense6(B{0x03, 0x00}).ok());
  EXPECT_FALSE(ModeSense6(B{0x0B, 0x00, 0x00, 0x08, 0x00}).ok());  // descriptor cut off
}

TEST(ParseTest, ModeSense10ShortAndLongDescriptor) {
  const B s = {0x00, 0x0E, 0x00, 0x90, 0x00, 0x00, 0x00, 0x08,
               0x42, 0x00, 0x00, 0x05, 0x00, 0x00, 0x02, 0x00};
  auto r = ModeSense10(s);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->write_protect);
  EXPECT_EQ(r->buffered_mode, 1);
  EXPECT_EQ(r->density_code, 0x42);
  EXPECT_EQ(r->block_count, 5u);
  EXPECT_EQ(r->block_length, 512u);
  B l = {0x00, 0x16, 0x00, 0x00, 0x01, 0x00, 0x00, 0x10};
  for (int i = 0; i < 16; ++i) l.push_back(0);
  l[15] = 0x07;  // block count 7
  l[22] = 0x04;  // block length 1024
  auto rl = ModeSense10(l);
  ASSERT_TRUE(rl.ok());
  EXPECT_FALSE(rl->write_protect);
  EXPECT_EQ(rl->block_count, 7u);
  EXPECT_EQ(rl->block_length, 1024u);
}

TEST(ParseTest, BlockLimits) {
  auto r = BlockLimitsData(B{0x00, 0x04, 0x00, 0x00, 0x00, 0x01});  // 256 KiB max, 1 min
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->max_block_length, 0x40000u);
  EXPECT_EQ(r->min_block_length, 1);
  EXPECT_EQ(r->granularity, 0);
  auto g = BlockLimitsData(B{0x02, 0xFF, 0xFF, 0xFF, 0x02, 0x00});
  EXPECT_EQ(g->granularity, 2);
  EXPECT_EQ(g->max_block_length, 0xFFFFFFu);
  EXPECT_EQ(g->min_block_length, 512);
  EXPECT_FALSE(BlockLimitsData(B{0, 0, 0}).ok());
}

TEST(ParseTest, ReadPositionShortAtBop) {
  B d(20, 0);
  d[0] = 0x80;  // BOP
  auto r = ReadPositionShort(d);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->bop);
  EXPECT_FALSE(r->eop);
  EXPECT_FALSE(r->position_unknown);
  EXPECT_EQ(r->block, 0u);
  EXPECT_FALSE(r->long_form);
}

TEST(ParseTest, ReadPositionShortMidTape) {
  B d(20, 0);
  d[0] = 0x40;  // EOP
  d[1] = 0x01;  // partition 1
  d[4] = 0x00;
  d[5] = 0x01;
  d[6] = 0x02;
  d[7] = 0x03;  // first block 0x10203
  d[8] = 0x00;
  d[9] = 0x01;
  d[10] = 0x02;
  d[11] = 0x00;
  auto r = ReadPositionShort(d);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->bop);
  EXPECT_TRUE(r->eop);
  EXPECT_EQ(r->partition, 1u);
  EXPECT_EQ(r->block, 0x10203u);
}

TEST(ParseTest, ReadPositionShortUnknownAndTgtdZeros) {
  B d(20, 0);
  d[0] = 0x04;  // BPU
  EXPECT_TRUE(ReadPositionShort(d)->position_unknown);
  // tgtd: 14 00 00 ... whatever the position: BYCU + BPU, no BOP even at BOT.
  B tgtd(20, 0);
  tgtd[0] = 0x14;
  auto z = ReadPositionShort(tgtd);
  EXPECT_FALSE(z->bop);
  EXPECT_TRUE(z->position_unknown);
  EXPECT_EQ(z->block, 0u);
  // istgt at BOT: b0 (BOP, LOCU, BYCU), block 0.
  B istgt(20, 0);
  istgt[0] = 0xB0;
  EXPECT_TRUE(ReadPositionShort(istgt)->bop);
  EXPECT_FALSE(ReadPositionShort(istgt)->position_unknown);
  EXPECT_FALSE(ReadPositionShort(B(19, 0)).ok());
}

TEST(ParseTest, ReadPositionLong) {
  B d(32, 0);
  d[0] = 0x80;
  d[7] = 0x02;  // partition 2
  d[8] = 0x01;
  d[15] = 0x05;  // logical object 0x0100000000000005
  d[23] = 0x03;  // logical file 3
  auto r = ReadPositionLong(d);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->long_form);
  EXPECT_TRUE(r->bop);
  EXPECT_EQ(r->partition, 2u);
  EXPECT_EQ(r->block, 0x0100000000000005u);
  EXPECT_EQ(r->file_number, 3u);
  d[0] = 0x88;  // BOP + MPU, as istgt answers at BOT
  EXPECT_FALSE(ReadPositionLong(d)->position_unknown);
  EXPECT_TRUE(ReadPositionLong(d)->file_number_unknown);
  d[0] = 0x04;  // LONU
  EXPECT_TRUE(ReadPositionLong(d)->position_unknown);
  EXPECT_FALSE(ReadPositionLong(B(20, 0)).ok());
}

TEST(ParseTest, TapeCapacityLogPage) {
  // Page 31h, four 4-byte parameters: remaining main 100 MiB, remaining alt 0,
  // maximum main 200 MiB, maximum alt 0.
  const B d = {0x31, 0x00, 0x00, 0x20,                          //
               0x00, 0x01, 0x40, 0x04, 0x00, 0x00, 0x00, 0x64,  //
               0x00, 0x02, 0x40, 0x04, 0x00, 0x00, 0x00, 0x00,  //
               0x00, 0x03, 0x40, 0x04, 0x00, 0x00, 0x00, 0xC8,  //
               0x00, 0x04, 0x40, 0x04, 0x00, 0x00, 0x00, 0x00};
  auto r = TapeCapacityLogPage(d);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->remaining_bytes, 100u << 20);
  EXPECT_EQ(r->maximum_bytes, 200u << 20);
  B padded = d;
  padded.resize(256, 0xAA);  // bytes past the page length are ignored
  EXPECT_EQ(TapeCapacityLogPage(padded)->maximum_bytes, 200u << 20);
}

TEST(ParseTest, TapeCapacityLogPageRejectsOtherPageAndMissing) {
  EXPECT_FALSE(TapeCapacityLogPage(B{0x30, 0, 0, 0}).ok());
  EXPECT_FALSE(TapeCapacityLogPage(B{0x31, 0, 0, 0}).ok());
  EXPECT_FALSE(TapeCapacityLogPage(B{0x31, 0}).ok());
}

TEST(ParseTest, RequestSenseDataHonoursAdditionalLength) {
  B d = {0x70, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0A, 0, 0, 0, 0, 0x3A, 0x00, 0, 0, 0, 0};
  d.resize(252, 0xEE);
  const SenseData s = RequestSenseData(d);
  EXPECT_EQ(s.key, SenseKey::kNotReady);
  EXPECT_EQ(s.asc, 0x3A);
  EXPECT_EQ(s.raw.size(), 18u);
}

TEST(ParseTest, DeviceTypeNames) {
  EXPECT_STREQ(DeviceTypeName(0), "disk");
  EXPECT_STREQ(DeviceTypeName(1), "tape");
  EXPECT_STREQ(DeviceTypeName(8), "medium changer");
}

}  // namespace
}  // namespace tsfs::parse
