// CDB builders against the byte layouts of SPC-4 / SSC-3.
#include "tapecore/ssc/cdb.h"

#include <gtest/gtest.h>

#include <vector>

namespace tsfs::cdb {
namespace {

template <size_t N>
std::vector<uint8_t> V(const std::array<uint8_t, N>& a) {
  return std::vector<uint8_t>(a.begin(), a.end());
}
using B = std::vector<uint8_t>;

TEST(CdbTest, Inquiry) {
  EXPECT_EQ(V(Inquiry(96)), (B{0x12, 0x00, 0x00, 0x00, 0x60, 0x00}));
  EXPECT_EQ(V(Inquiry(255, true, 0x80)), (B{0x12, 0x01, 0x80, 0x00, 0xFF, 0x00}));
  EXPECT_EQ(V(Inquiry(0x1234)), (B{0x12, 0x00, 0x00, 0x12, 0x34, 0x00}));
}

TEST(CdbTest, TestUnitReadyAndRequestSense) {
  EXPECT_EQ(V(TestUnitReady()), (B{0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(RequestSense(252)), (B{0x03, 0, 0, 0, 0xFC, 0}));
}

TEST(CdbTest, ModeSense) {
  EXPECT_EQ(V(ModeSense6(0x00, 12)), (B{0x1A, 0x00, 0x00, 0x00, 0x0C, 0x00}));
  EXPECT_EQ(V(ModeSense6(0x3F, 255, true, 0)), (B{0x1A, 0x08, 0x3F, 0x00, 0xFF, 0x00}));
  EXPECT_EQ(V(ModeSense6(0x10, 40, false, 3)), (B{0x1A, 0x00, 0xD0, 0x00, 40, 0x00}));
  EXPECT_EQ(V(ModeSense10(0x00, 0x0110)), (B{0x5A, 0, 0, 0, 0, 0, 0, 0x01, 0x10, 0}));
}

TEST(CdbTest, ModeSelectBlockDescriptorFixed512) {
  EXPECT_EQ(V(ModeSelect6(12)), (B{0x15, 0x10, 0x00, 0x00, 0x0C, 0x00}));
  // Header (length 0, medium 0, buffered mode 1, descriptor length 8) and the
  // descriptor (density 0, blocks 0, block length 000200h).
  EXPECT_EQ(V(ModeSelectBlockDescriptor(512)),
            (B{0x00, 0x00, 0x10, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00}));
  EXPECT_EQ(V(ModeSelectBlockDescriptor(0, 0)),
            (B{0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(V(ModeSelectBlockDescriptor(0x123456, 1, 0x44)),
            (B{0x00, 0x00, 0x10, 0x08, 0x44, 0x00, 0x00, 0x00, 0x00, 0x12, 0x34, 0x56}));
}

TEST(CdbTest, ReadBlockLimits) { EXPECT_EQ(V(ReadBlockLimits()), (B{0x05, 0, 0, 0, 0, 0})); }

TEST(CdbTest, Read6FixedAndVariable) {
  EXPECT_EQ(V(Read6(512, true)), (B{0x08, 0x01, 0x00, 0x02, 0x00, 0x00}));
  EXPECT_EQ(V(Read6(10240, false)), (B{0x08, 0x00, 0x00, 0x28, 0x00, 0x00}));
  EXPECT_EQ(V(Read6(65536, false, true)), (B{0x08, 0x02, 0x01, 0x00, 0x00, 0x00}));
  EXPECT_EQ(V(Read6(0xFFFFFF, true)), (B{0x08, 0x01, 0xFF, 0xFF, 0xFF, 0x00}));
}

TEST(CdbTest, Write6FixedAndVariable) {
  EXPECT_EQ(V(Write6(2048, true)), (B{0x0A, 0x01, 0x00, 0x08, 0x00, 0x00}));
  EXPECT_EQ(V(Write6(10240, false)), (B{0x0A, 0x00, 0x00, 0x28, 0x00, 0x00}));
}

TEST(CdbTest, WriteFilemarks) {
  EXPECT_EQ(V(WriteFilemarks6(1)), (B{0x10, 0x00, 0x00, 0x00, 0x01, 0x00}));
  EXPECT_EQ(V(WriteFilemarks6(0)), (B{0x10, 0x00, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(V(WriteFilemarks6(3, true)), (B{0x10, 0x01, 0x00, 0x00, 0x03, 0x00}));
}

TEST(CdbTest, SpaceSignedCounts) {
  EXPECT_EQ(V(Space6(SpaceCode::kBlocks, 5)), (B{0x11, 0x00, 0x00, 0x00, 0x05, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kFilemarks, 1)), (B{0x11, 0x01, 0x00, 0x00, 0x01, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kFilemarks, -1)), (B{0x11, 0x01, 0xFF, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kBlocks, -2)), (B{0x11, 0x00, 0xFF, 0xFF, 0xFE, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kBlocks, -(1 << 23))), (B{0x11, 0x00, 0x80, 0x00, 0x00, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kBlocks, (1 << 23) - 1)), (B{0x11, 0x00, 0x7F, 0xFF, 0xFF, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kEndOfData, 7)), (B{0x11, 0x03, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(V(Space6(SpaceCode::kSequentialFilemarks, 2)), (B{0x11, 0x02, 0, 0, 0x02, 0}));
}

TEST(CdbTest, RewindEraseLoad) {
  EXPECT_EQ(V(Rewind()), (B{0x01, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(Rewind(true)), (B{0x01, 0x01, 0, 0, 0, 0}));
  EXPECT_EQ(V(Erase6(false)), (B{0x19, 0x00, 0, 0, 0, 0}));
  EXPECT_EQ(V(Erase6(true)), (B{0x19, 0x01, 0, 0, 0, 0}));
  EXPECT_EQ(V(Erase6(true, true)), (B{0x19, 0x03, 0, 0, 0, 0}));
  EXPECT_EQ(V(LoadUnload(true, false)), (B{0x1B, 0x00, 0, 0, 0x01, 0}));
  EXPECT_EQ(V(LoadUnload(false, false)), (B{0x1B, 0x00, 0, 0, 0x00, 0}));
  EXPECT_EQ(V(LoadUnload(true, true)), (B{0x1B, 0x00, 0, 0, 0x03, 0}));
  EXPECT_EQ(V(LoadUnload(true, false, true)), (B{0x1B, 0x01, 0, 0, 0x01, 0}));
}

TEST(CdbTest, ReadPositionShortAndLong) {
  EXPECT_EQ(V(ReadPosition(false)), (B{0x34, 0x00, 0, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(V(ReadPosition(true)), (B{0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0}));
}

TEST(CdbTest, Locate10) {
  EXPECT_EQ(V(Locate10(0x01020304)), (B{0x2B, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04, 0, 0, 0}));
  EXPECT_EQ(V(Locate10(5, true)), (B{0x2B, 0x01, 0x00, 0x00, 0x00, 0x00, 0x05, 0, 0, 0}));
}

TEST(CdbTest, LogSenseCapacityPage) {
  EXPECT_EQ(V(LogSense(0x31, 256)), (B{0x4D, 0x00, 0x71, 0, 0, 0, 0, 0x01, 0x00, 0}));
}

TEST(CdbTest, PreventAllow) {
  EXPECT_EQ(V(PreventAllowMediumRemoval(true)), (B{0x1E, 0, 0, 0, 0x01, 0}));
  EXPECT_EQ(V(PreventAllowMediumRemoval(false)), (B{0x1E, 0, 0, 0, 0x00, 0}));
}

}  // namespace
}  // namespace tsfs::cdb
