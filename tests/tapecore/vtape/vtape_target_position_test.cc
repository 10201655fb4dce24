// The vtape SSC target with raw CDBs (vtape_target_test.cc): SPACE, READ
// POSITION, LOCATE and writing in the middle of the data.
#include <gtest/gtest.h>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/tapecore/vtape/vtape_target_fixture.h"

namespace tsfs::vtape::target_testing {
namespace {

TEST_F(VtapeTargetTest, SpaceBlocksStopsAtFilemark) {
  auto t = TwoFiles();
  Answer a = t->Space(0, 5);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x01);
  EXPECT_TRUE(a.sense.filemark);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 4);
  // Backward over B0 into the filemark: stop on its BOT side.
  ASSERT_TRUE(t->Space(0, 1).good());  // at 5
  a = t->Space(0, -3);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x01);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 3);
}

TEST_F(VtapeTargetTest, SpaceBlocksAtEndOfDataAndBot) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(4).good());
  Answer a = t->Space(0, 9);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x01);  // the filemark after B1 first
  EXPECT_EQ(a.sense.information, 7);
  a = t->Space(0, 2);
  ExpectSense(a, SenseKey::kBlankCheck, 0x00, 0x05);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 7);
  ASSERT_TRUE(t->Locate(2).good());
  a = t->Space(0, -5);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x04);
  EXPECT_TRUE(a.sense.eom);
  EXPECT_EQ(a.sense.information, 3);  // positive even backwards
  EXPECT_EQ(t->Position(), 0);
}

TEST_F(VtapeTargetTest, SpaceFilemarks) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Space(1, 1).good());
  EXPECT_EQ(t->Position(), 4);
  Answer a = t->Space(1, 3);
  ExpectSense(a, SenseKey::kBlankCheck, 0x00, 0x05);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 7);
  ASSERT_TRUE(t->Space(1, -1).good());
  EXPECT_EQ(t->Position(), 6);  // BOT side of the last filemark
  ASSERT_TRUE(t->Space(1, -1).good());
  EXPECT_EQ(t->Position(), 3);
  a = t->Space(1, -2);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x04);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 0);
  EXPECT_TRUE(t->Space(1, 0).good());
  ExpectSense(t->Space(4, 1), SenseKey::kIllegalRequest, 0x24, 0x00);  // setmarks
}

TEST_F(VtapeTargetTest, SpaceSequentialFilemarks) {
  TapBytes b;
  b.Record(512, 1).Mark().Record(512, 2).Mark().Mark().Record(512, 3);
  auto t = Open("", b);
  ASSERT_TRUE(t->Space(2, 2).good());
  EXPECT_EQ(t->Position(), 5);
  ExpectSense(t->Space(2, 2), SenseKey::kBlankCheck, 0x00, 0x05);
}

TEST_F(VtapeTargetTest, ReadPositionForms) {
  auto t = TwoFiles();
  bool bop = false, eop = true;
  EXPECT_EQ(t->Position(&bop, &eop), 0);
  EXPECT_TRUE(bop);
  EXPECT_FALSE(eop);
  ASSERT_TRUE(t->Space(1, 1).good());
  EXPECT_EQ(t->Position(&bop), 4);
  EXPECT_FALSE(bop);
  std::vector<uint8_t> lf(32, 0xEE);
  ASSERT_TRUE(t->Run({0x34, 0x06, 0, 0, 0, 0, 0, 0, 0, 0}, DataBuffer::In(lf)).good());
  EXPECT_EQ(lf[15], 4);  // logical object number
  EXPECT_EQ(lf[23], 1);  // logical file identifier
  ExpectSense(t->Run({0x34, 0x1F, 0, 0, 0, 0, 0, 0, 0, 0}, DataBuffer::In(lf)),
              SenseKey::kIllegalRequest, 0x24, 0x00);
}

TEST_F(VtapeTargetTest, LocateAndLocateBeyondEnd) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(5).good());
  std::vector<uint8_t> buf;
  ASSERT_TRUE(t->ReadFixed(1, &buf, 512).good());
  EXPECT_EQ(buf[0], 0xB1);
  ExpectSense(t->Locate(99), SenseKey::kBlankCheck, 0x00, 0x05);
  EXPECT_EQ(t->Position(), 7);
  // LOCATE(16) to logical file 1.
  ASSERT_TRUE(t->Run({0x92, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0}).good());
  EXPECT_EQ(t->Position(), 4);
}

TEST_F(VtapeTargetTest, WritingInTheMiddleMakesANewEndOfData) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(2).good());
  ASSERT_TRUE(t->WriteFixed(1, 512, 0xCC).good());
  EXPECT_EQ(t->Position(), 3);
  std::vector<uint8_t> buf;
  ExpectSense(t->ReadFixed(1, &buf, 512), SenseKey::kBlankCheck, 0x00, 0x05);
  TapBytes want;
  want.Record(512, 0xA0).Record(512, 0xA1).Record(512, 0xCC);
  EXPECT_EQ(ReadFileBytes(path_), want.bytes());
  ASSERT_TRUE(t->Locate(1).good());
  ASSERT_TRUE(t->WriteFilemarks(1).good());
  EXPECT_EQ(ReadFileBytes(path_).size(), 520u + 4);
}

}  // namespace
}  // namespace tsfs::vtape::target_testing
