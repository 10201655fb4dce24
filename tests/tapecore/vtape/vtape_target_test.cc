// The vtape SSC target with raw CDBs: every condition vtape_transport.h lists.
// This file: identity and records; positioning is in vtape_target_position_test.cc,
// the medium (filemarks, erase, load, mode pages, end of medium, protection,
// attentions) in vtape_target_medium_test.cc.
#include <gtest/gtest.h>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/tapecore/vtape/vtape_target_fixture.h"

namespace tsfs::vtape::target_testing {
namespace {

TEST_F(VtapeTargetTest, InquiryIsASequentialAccessDevice) {
  auto t = Open();
  std::vector<uint8_t> buf(96, 0);
  Answer a = t->Run({0x12, 0, 0, 0, 96, 0}, DataBuffer::In(buf));
  ASSERT_TRUE(a.good());
  EXPECT_EQ(buf[0], 0x01);
  EXPECT_EQ(buf[1] & 0x80, 0x80);
  EXPECT_EQ(std::string(buf.begin() + 8, buf.begin() + 16), "TSFS    ");
  EXPECT_EQ(std::string(buf.begin() + 16, buf.begin() + 21), "VTAPE");
  EXPECT_EQ(a.residual, 96u - 36u);
  std::vector<uint8_t> vpd(64, 0);
  a = t->Run({0x12, 1, 0x80, 0, 64, 0}, DataBuffer::In(vpd));
  ASSERT_TRUE(a.good());
  EXPECT_EQ(vpd[1], 0x80);
  EXPECT_EQ(vpd[3], 12);
  EXPECT_EQ(std::string(vpd.begin() + 4, vpd.begin() + 6), "VT");
  ExpectSense(t->Run({0x12, 1, 0x83, 0, 64, 0}, DataBuffer::In(vpd)), SenseKey::kIllegalRequest,
              0x24, 0x00);
  ExpectSense(t->Run({0x12, 0, 0x80, 0, 64, 0}, DataBuffer::In(vpd)), SenseKey::kIllegalRequest,
              0x24, 0x00);
}

TEST_F(VtapeTargetTest, UnsupportedOpcodeAndShortCdb) {
  auto t = Open();
  ExpectSense(t->Run({0x28, 0, 0, 0, 0, 0, 0, 0, 0, 0}), SenseKey::kIllegalRequest, 0x20, 0x00);
  ExpectSense(t->Run({0x2B, 0, 0}), SenseKey::kIllegalRequest, 0x24, 0x00);
  EXPECT_TRUE(t->Tur().good());
}

TEST_F(VtapeTargetTest, FixedWriteReadRoundTripAndRecordFormat) {
  auto t = Open();
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ASSERT_TRUE(t->WriteFixed(4, 512, 0x11).good());
  ASSERT_TRUE(t->WriteFilemarks(1).good());
  EXPECT_EQ(t->Position(), 5);
  TapBytes want;
  want.Record(512, 0x11).Record(512, 0x11).Record(512, 0x11).Record(512, 0x11).Mark();
  EXPECT_EQ(ReadFileBytes(path_), want.bytes());  // one SIMH record per 512-byte block
  ASSERT_TRUE(t->Rewind().good());
  std::vector<uint8_t> buf;
  Answer a = t->ReadFixed(4, &buf, 512);
  ASSERT_TRUE(a.good());
  EXPECT_EQ(buf, std::vector<uint8_t>(2048, 0x11));
}

TEST_F(VtapeTargetTest, FixedReadIntoFilemark) {
  auto t = TwoFiles();
  std::vector<uint8_t> buf;
  Answer a = t->ReadFixed(5, &buf, 512);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x01);
  EXPECT_TRUE(a.sense.filemark);
  EXPECT_TRUE(a.sense.information_valid);
  EXPECT_EQ(a.sense.information, 2);  // 5 asked, 3 read
  EXPECT_EQ(buf[0], 0xA0);
  EXPECT_EQ(buf[1024], 0xA2);
  EXPECT_EQ(t->Position(), 4);  // past the filemark
  a = t->ReadFixed(2, &buf, 512);
  EXPECT_TRUE(a.good());
  EXPECT_EQ(buf[512], 0xB1);
}

TEST_F(VtapeTargetTest, FixedReadAtEndOfDataIsBlankCheck) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Space(3, 0).good());
  EXPECT_EQ(t->Position(), 7);
  std::vector<uint8_t> buf;
  Answer a = t->ReadFixed(3, &buf, 512);
  ExpectSense(a, SenseKey::kBlankCheck, 0x00, 0x05);
  EXPECT_EQ(a.sense.information, 3);
  EXPECT_FALSE(a.sense.eom);
  EXPECT_EQ(t->Position(), 7);
}

TEST_F(VtapeTargetTest, FixedReadWithoutBlockLengthIsIllegal) {
  auto t = Open();
  std::vector<uint8_t> buf;
  ExpectSense(t->ReadFixed(1, &buf, 512), SenseKey::kIllegalRequest, 0x24, 0x00);
  ExpectSense(t->Run({0x08, 0x03, 0, 0, 1, 0}, DataBuffer::In(buf)), SenseKey::kIllegalRequest,
              0x24, 0x00);  // SILI with FIXED
}

TEST_F(VtapeTargetTest, VariableReadLengths) {
  TapBytes b;
  b.Record(100, 1).Record(100, 2).Record(100, 3).Record(100, 4).Mark();
  auto t = Open("", b);
  std::vector<uint8_t> buf;
  Answer a = t->ReadVariable(100, &buf);  // exact
  EXPECT_TRUE(a.good());
  a = t->ReadVariable(150, &buf);  // shorter record: ILI, +50
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x00);
  EXPECT_TRUE(a.sense.ili);
  EXPECT_EQ(a.sense.information, 50);
  EXPECT_EQ(buf[99], 2);
  a = t->ReadVariable(150, &buf, /*sili=*/true);  // SILI hides the short record
  EXPECT_TRUE(a.good());
  EXPECT_EQ(a.residual, 50u);
  a = t->ReadVariable(60, &buf, /*sili=*/true);  // longer record: ILI even with SILI, negative
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x00);
  EXPECT_TRUE(a.sense.ili);
  EXPECT_EQ(a.sense.information, -40);
  EXPECT_EQ(buf[59], 4);
  EXPECT_EQ(t->Position(), 4);  // past the record, the tail is lost
  a = t->ReadVariable(100, &buf);
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x01);
  EXPECT_TRUE(a.sense.filemark);
  EXPECT_EQ(a.sense.information, 100);
  a = t->ReadVariable(100, &buf);
  ExpectSense(a, SenseKey::kBlankCheck, 0x00, 0x05);
  EXPECT_EQ(a.sense.information, 100);
}

TEST_F(VtapeTargetTest, FixedReadOfAnotherRecordSizeIsIli) {
  TapBytes b;
  b.Record(512, 1).Record(10240, 2).Record(512, 3);
  auto t = Open("", b);
  ASSERT_TRUE(t->SetBlockLength(512).good());
  std::vector<uint8_t> buf;
  Answer a = t->ReadFixed(3, &buf, 512);
  EXPECT_EQ(a.status, kScsiCheckCondition);
  EXPECT_TRUE(a.sense.ili);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(t->Position(), 2);
}

TEST_F(VtapeTargetTest, BadRecordIsMediumError) {
  TapBytes b;
  b.Record(512, 1).Record(std::vector<uint8_t>(512, 2), 0x8).Record(512, 3);
  auto t = Open("", b);
  ASSERT_TRUE(t->SetBlockLength(512).good());
  std::vector<uint8_t> buf;
  Answer a = t->ReadFixed(3, &buf, 512);
  ExpectSense(a, SenseKey::kMediumError, 0x11, 0x00);
  EXPECT_EQ(a.sense.information, 2);
  EXPECT_EQ(buf[0], 1);
  EXPECT_EQ(t->Position(), 2);
  EXPECT_TRUE(t->ReadFixed(1, &buf, 512).good());
  EXPECT_EQ(buf[0], 3);
}

TEST_F(VtapeTargetTest, VariableWriteIsOneRecord) {
  auto t = Open();
  std::vector<uint8_t> rec(10240, 7);
  ASSERT_TRUE(t->WriteVariable(rec).good());
  ASSERT_TRUE(t->WriteVariable({1, 2, 3}).good());
  TapBytes want;
  want.Record(rec).Record({1, 2, 3});
  EXPECT_EQ(ReadFileBytes(path_), want.bytes());
}

TEST(VtapeLockTest, SecondWriterIsBusyReadersAreNot) {
  testing::TempDir dir;
  const std::string spec = "vtape:" + dir.File("t.tap") + "?create";
  auto first = OpenVtapeTransport(spec);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = OpenVtapeTransport(spec);
  ASSERT_FALSE(second.ok());
  EXPECT_EQ(second.status().code(), ErrorCode::kBusy);
  EXPECT_TRUE(OpenVtapeTransport("vtape:" + dir.File("t.tap") + "?ro").ok());
  first.value().reset();
  EXPECT_TRUE(OpenVtapeTransport(spec).ok());  // the lock went with the first
}

TEST(VtapeLockTest, ChangeToTheSameTape) {
  testing::TempDir dir;
  testing::RawTape t("vtape:" + dir.File("t.tap") + "?create");
  ASSERT_TRUE(t.SetBlockLength(512).good());
  ASSERT_TRUE(t.WriteFixed(3, 512, 1).good());
  ASSERT_TRUE(t.transport().ChangeTape(dir.File("t.tap")).ok());
  EXPECT_EQ(t.Tur().sense.key, SenseKey::kUnitAttention);
  EXPECT_EQ(t.Position(), 0);
  ASSERT_TRUE(t.transport().ChangeTape(dir.File("t.tap"), /*read_only=*/true).ok());
  EXPECT_EQ(t.Tur().sense.key, SenseKey::kUnitAttention);
  EXPECT_EQ(t.WriteFixed(1, 512, 1).sense.key, SenseKey::kDataProtect);
  EXPECT_EQ(t.transport().Stats().end_of_data, 3u);
}

}  // namespace
}  // namespace tsfs::vtape::target_testing
