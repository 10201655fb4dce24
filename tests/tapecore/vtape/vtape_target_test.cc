// The vtape SSC target with raw CDBs: every condition vtape_transport.h lists.
#include <gtest/gtest.h>

#include <thread>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {
namespace {

using testing::Answer;
using testing::RawTape;
using testing::ReadFileBytes;
using testing::TapBytes;
using testing::TempDir;

class VtapeTargetTest : public ::testing::Test {
 protected:
  std::unique_ptr<RawTape> Open(const std::string& options = "", const TapBytes& image = {}) {
    image.WriteTo(path_);
    auto t = std::make_unique<RawTape>("vtape:" + path_ + (options.empty() ? "" : "?" + options));
    EXPECT_TRUE(t->ok());
    return t;
  }
  // BOT: A0 A1 A2 FM B0 B1 FM (fixed 512 data), the tape in fixed-512 mode.
  std::unique_ptr<RawTape> TwoFiles(const std::string& options = "") {
    TapBytes b;
    b.Record(512, 0xA0)
        .Record(512, 0xA1)
        .Record(512, 0xA2)
        .Mark()
        .Record(512, 0xB0)
        .Record(512, 0xB1)
        .Mark();
    auto t = Open(options, b);
    EXPECT_TRUE(t->SetBlockLength(512).good());
    return t;
  }
  static void ExpectSense(const Answer& a, SenseKey key, uint8_t asc, uint8_t ascq) {
    EXPECT_EQ(a.status, kScsiCheckCondition);
    EXPECT_EQ(a.sense.key, key);
    EXPECT_EQ(a.sense.asc, asc);
    EXPECT_EQ(a.sense.ascq, ascq);
  }

  TempDir dir_;
  std::string path_ = dir_.File("t.tap");
};

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

TEST_F(VtapeTargetTest, WriteFilemarksSyncs) {
  auto t = Open();
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ASSERT_TRUE(t->WriteFixed(1, 512, 1).good());
  EXPECT_EQ(t->transport().Stats().syncs, 0u);
  ASSERT_TRUE(t->WriteFilemarks(1, /*immediate=*/true).good());
  EXPECT_EQ(t->transport().Stats().syncs, 0u);
  ASSERT_TRUE(t->WriteFilemarks(0, /*immediate=*/true).good());
  EXPECT_EQ(t->transport().Stats().syncs, 1u);
  ASSERT_TRUE(t->WriteFilemarks(1).good());
  EXPECT_EQ(t->transport().Stats().syncs, 2u);
  EXPECT_EQ(t->transport().Stats().filemarks_written, 2u);
  ExpectSense(t->Run({0x10, 0x02, 0, 0, 1, 0}), SenseKey::kIllegalRequest, 0x24, 0x00);
}

TEST_F(VtapeTargetTest, EraseLongFromBotBlanksTheTape) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(4).good());
  ASSERT_TRUE(t->Erase(true).good());
  EXPECT_EQ(t->transport().Stats().end_of_data, 4u);
  ASSERT_TRUE(t->Rewind().good());
  ASSERT_TRUE(t->Erase(true).good());
  EXPECT_TRUE(ReadFileBytes(path_).empty());
  std::vector<uint8_t> buf;
  ExpectSense(t->ReadFixed(1, &buf, 512), SenseKey::kBlankCheck, 0x00, 0x05);
}

TEST_F(VtapeTargetTest, LoadUnloadRetension) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(3).good());
  ASSERT_TRUE(t->LoadUnload(0x03).good());  // load + retension
  EXPECT_EQ(t->Position(), 0);
  EXPECT_EQ(t->transport().Stats().retensions, 1u);
  ASSERT_TRUE(t->LoadUnload(0x00).good());  // unload
  ExpectSense(t->Tur(), SenseKey::kNotReady, 0x3A, 0x00);
  std::vector<uint8_t> buf;
  ExpectSense(t->ReadFixed(1, &buf, 512), SenseKey::kNotReady, 0x3A, 0x00);
  ASSERT_TRUE(t->LoadUnload(0x01).good());
  EXPECT_TRUE(t->Tur().good());
  ASSERT_TRUE(t->Run({0x1E, 0, 0, 0, 1, 0}).good());  // prevent removal
  ExpectSense(t->LoadUnload(0x00), SenseKey::kIllegalRequest, 0x53, 0x02);
  ASSERT_TRUE(t->Run({0x1E, 0, 0, 0, 0, 0}).good());
  EXPECT_TRUE(t->LoadUnload(0x00).good());
  ExpectSense(t->LoadUnload(0x05), SenseKey::kIllegalRequest, 0x24, 0x00);  // LOAD + EOT
}

TEST_F(VtapeTargetTest, ModeSenseSelect) {
  auto t = Open("ro");
  std::vector<uint8_t> buf(64, 0);
  Answer a = t->Run({0x1A, 0, 0x00, 0, 64, 0}, DataBuffer::In(buf));
  ASSERT_TRUE(a.good());
  EXPECT_EQ(buf[0], 11);
  EXPECT_EQ(buf[2] & 0x80, 0x80);  // WP
  EXPECT_EQ(buf[2] & 0x70, 0x10);  // buffered mode 1
  EXPECT_EQ(buf[3], 8);
  EXPECT_EQ(buf[9] | buf[10] | buf[11], 0);  // variable at power-on
  ASSERT_TRUE(t->SetBlockLength(1024).good());
  a = t->Run({0x5A, 0, 0x10, 0, 0, 0, 0, 0, 64, 0},
             DataBuffer::In(buf));  // MODE SENSE(10), page 0x10
  ASSERT_TRUE(a.good());
  EXPECT_EQ(buf[7], 8);
  EXPECT_EQ(buf[8 + 6], 0x04);  // block length 1024
  EXPECT_EQ(buf[16] & 0x3F, 0x10);
  ExpectSense(t->Run({0x1A, 0, 0x2A, 0, 64, 0}, DataBuffer::In(buf)), SenseKey::kIllegalRequest,
              0x24, 0x00);
  ExpectSense(t->Run({0x1A, 0, 0xC0, 0, 64, 0}, DataBuffer::In(buf)), SenseKey::kIllegalRequest,
              0x39, 0x00);
  std::vector<uint8_t> bad_bd = {0, 0, 0x10, 4, 0, 0, 0, 0};
  ExpectSense(t->Run({0x15, 0x10, 0, 0, 8, 0}, DataBuffer::Out(bad_bd)), SenseKey::kIllegalRequest,
              0x26, 0x00);
  std::vector<uint8_t> short_list = {0, 0};
  ExpectSense(t->Run({0x15, 0x10, 0, 0, 2, 0}, DataBuffer::Out(short_list)),
              SenseKey::kIllegalRequest, 0x1A, 0x00);
}

TEST_F(VtapeTargetTest, ReadBlockLimits) {
  auto t = Open();
  std::vector<uint8_t> buf(6, 0);
  ASSERT_TRUE(t->Run({0x05, 0, 0, 0, 0, 0}, DataBuffer::In(buf)).good());
  EXPECT_EQ(buf[1], 0xFF);
  EXPECT_EQ(buf[5], 1);
}

TEST_F(VtapeTargetTest, LogSenseCapacity) {
  auto t = Open("capacity=10M&ew=1M");
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ASSERT_TRUE(t->WriteFixed(4096, 512, 1).good());  // 2 MiB
  std::vector<uint8_t> buf(64, 0);
  ASSERT_TRUE(t->Run({0x4D, 0, 0x31, 0, 0, 0, 0, 0, 64, 0}, DataBuffer::In(buf)).good());
  EXPECT_EQ(buf[0], 0x31);
  EXPECT_EQ(buf[5], 1);
  EXPECT_EQ(buf[11], 8);  // remaining MiB
  EXPECT_EQ(buf[21], 3);
  EXPECT_EQ(buf[27], 10);  // maximum MiB
  ExpectSense(t->Run({0x4D, 0, 0x17, 0, 0, 0, 0, 0, 64, 0}, DataBuffer::In(buf)),
              SenseKey::kIllegalRequest, 0x24, 0x00);
}

TEST_F(VtapeTargetTest, EarlyWarningThenVolumeOverflow) {
  auto t = Open("capacity=64K&ew=16K");
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ASSERT_TRUE(t->WriteFixed(64, 512, 1).good());  // 32K
  bool eop = true;
  t->Position(nullptr, &eop);
  EXPECT_FALSE(eop);
  Answer a = t->WriteFixed(32, 512, 2);  // reaches 48K = capacity - ew
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x02);
  EXPECT_TRUE(a.sense.eom);
  EXPECT_EQ(a.sense.information, 0);
  t->Position(nullptr, &eop);
  EXPECT_TRUE(eop);
  a = t->WriteFilemarks(1);  // filemarks are written, with the warning
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x02);
  a = t->WriteFixed(32, 512, 3);  // exactly to the end
  ExpectSense(a, SenseKey::kNoSense, 0x00, 0x02);
  const auto size = ReadFileBytes(path_).size();
  a = t->WriteFixed(1, 512, 4);  // nothing fits
  ExpectSense(a, SenseKey::kVolumeOverflow, 0x00, 0x02);
  EXPECT_TRUE(a.sense.eom);
  EXPECT_EQ(a.sense.information, 1);
  EXPECT_EQ(ReadFileBytes(path_).size(), size);
  EXPECT_TRUE(t->WriteFilemarks(1).status == kScsiCheckCondition);  // still fits, with EW
  EXPECT_EQ(t->transport().Stats().used_bytes, 64u * 1024);
}

TEST_F(VtapeTargetTest, PartialFitWritesNothing) {
  auto t = Open("capacity=4K&ew=1K");
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ASSERT_TRUE(t->WriteFixed(4, 512, 1).good());
  Answer a = t->WriteFixed(8, 512, 2);
  ExpectSense(a, SenseKey::kVolumeOverflow, 0x00, 0x02);
  EXPECT_EQ(a.sense.information, 8);
  EXPECT_EQ(t->Position(), 4);
}

TEST_F(VtapeTargetTest, WriteProtected) {
  TapBytes b;
  b.Record(512, 1);
  auto t = Open("ro", b);
  ASSERT_TRUE(t->SetBlockLength(512).good());
  ExpectSense(t->WriteFixed(1, 512, 1), SenseKey::kDataProtect, 0x27, 0x00);
  ExpectSense(t->WriteFilemarks(1), SenseKey::kDataProtect, 0x27, 0x00);
  ExpectSense(t->Erase(true), SenseKey::kDataProtect, 0x27, 0x00);
  EXPECT_TRUE(t->WriteFilemarks(0).good());  // a flush writes nothing
  std::vector<uint8_t> buf;
  EXPECT_TRUE(t->ReadFixed(1, &buf, 512).good());
  EXPECT_EQ(ReadFileBytes(path_), b.bytes());
}

TEST_F(VtapeTargetTest, UnitAttentionAfterTapeChange) {
  auto t = TwoFiles();
  ASSERT_TRUE(t->Locate(3).good());
  TapBytes other;
  other.Record(512, 0x77);
  other.WriteTo(dir_.File("other.tap"));
  ASSERT_TRUE(t->transport().ChangeTape(dir_.File("other.tap")).ok());
  // INQUIRY passes, the next medium command reports the change once.
  std::vector<uint8_t> inq(36);
  EXPECT_TRUE(t->Run({0x12, 0, 0, 0, 36, 0}, DataBuffer::In(inq)).good());
  ExpectSense(t->Tur(), SenseKey::kUnitAttention, 0x28, 0x00);
  EXPECT_TRUE(t->Tur().good());
  EXPECT_EQ(t->Position(), 0);
  std::vector<uint8_t> buf;
  ASSERT_TRUE(t->ReadFixed(1, &buf, 512).good());  // block length survives the change
  EXPECT_EQ(buf[0], 0x77);
  EXPECT_EQ(t->transport().Stats().tape_changes, 1u);
  EXPECT_FALSE(t->transport().ChangeTape(dir_.File("missing.tap")).ok());
}

TEST_F(VtapeTargetTest, RequestSenseReportsPendingUnitAttention) {
  auto t = Open("poweron");
  std::vector<uint8_t> s(18, 0);
  ASSERT_TRUE(t->Run({0x03, 0, 0, 0, 18, 0}, DataBuffer::In(s)).good());
  EXPECT_EQ(s[2] & 0x0F, 0x06);
  EXPECT_EQ(s[12], 0x29);
  ASSERT_TRUE(t->Run({0x03, 0, 0, 0, 18, 0}, DataBuffer::In(s)).good());
  EXPECT_EQ(s[2] & 0x0F, 0x00);
  EXPECT_TRUE(t->Tur().good());
}

TEST_F(VtapeTargetTest, PowerOnAttentionOnFirstCommand) {
  auto t = Open("poweron");
  ExpectSense(t->Tur(), SenseKey::kUnitAttention, 0x29, 0x00);
  EXPECT_TRUE(t->Tur().good());
}

TEST_F(VtapeTargetTest, BufferMismatchIsAHostError) {
  auto t = Open();
  std::vector<uint8_t> small(10);
  auto r = t->transport().Execute(std::vector<uint8_t>{0x08, 0, 0, 0, 100, 0},
                                  DataBuffer::In(small), std::chrono::milliseconds(100));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(VtapeTargetTest, LargeFixedWriteIsFewSyscalls) {
  auto t = Open("capacity=100M");
  ASSERT_TRUE(t->SetBlockLength(512).good());
  const uint64_t before = t->transport().Stats().image_writes;
  ASSERT_TRUE(t->WriteFixed(2048, 512, 0x42).good());
  EXPECT_LE(t->transport().Stats().image_writes - before, 2u);
  EXPECT_EQ(t->transport().Stats().bytes_written, 2048u * 512);
  EXPECT_EQ(t->transport().Stats().records_written, 2048u);
}

TEST_F(VtapeTargetTest, DriveModelThroughTheTransport) {
  // Streaming: a 1 MB/s drive with a 64 MiB buffer is never starved by a
  // host that writes 64 KiB at once, back to back.
  auto streaming = Open("capacity=100M&rate=1&drivebuf=64");
  ASSERT_TRUE(streaming->SetBlockLength(512).good());
  for (int i = 0; i < 16; ++i) ASSERT_TRUE(streaming->WriteFixed(128, 512, 1).good());
  EXPECT_EQ(streaming->transport().Stats().repositions, 0u);

  // Stalling: a 1000 MB/s drive with 64 KiB of buffer empties in 64 us; the
  // host waits 20 ms between writes, so each write after the first finds the
  // drive stopped.
  path_ = dir_.File("stall.tap");
  auto stalling = Open("capacity=100M&rate=1000&drivebuf=64K");
  ASSERT_TRUE(stalling->SetBlockLength(512).good());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(stalling->WriteFixed(128, 512, 1).good());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(stalling->transport().Stats().repositions, 3u);
}

TEST_F(VtapeTargetTest, FromFindsTheVtape) {
  auto t = Open();
  Transport& base = t->transport();
  EXPECT_EQ(VtapeTransport::From(base), &t->transport());
  EXPECT_EQ(base.Describe(), "vtape:" + path_);
}

TEST_F(VtapeTargetTest, OpenVtapeTransportFailures) {
  EXPECT_EQ(OpenVtapeTransport("vtape:" + dir_.File("none.tap")).status().code(),
            ErrorCode::kNotFound);
  EXPECT_TRUE(OpenVtapeTransport("vtape:" + dir_.File("new.tap") + "?create").ok());
  EXPECT_EQ(OpenVtapeTransport("vtape:" + dir_.File("new.tap") + "?bogus").status().code(),
            ErrorCode::kInvalidArgument);
  TapBytes().Le32(7).Raw({1, 2, 3, 4, 5, 6, 7, 0}).Le32(8).WriteTo(dir_.File("bad.tap"));
  EXPECT_EQ(OpenVtapeTransport(dir_.File("bad.tap")).status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace tsfs::vtape

namespace tsfs::vtape {
namespace {

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
}  // namespace tsfs::vtape
