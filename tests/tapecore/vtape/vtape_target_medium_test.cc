// The vtape SSC target with raw CDBs (vtape_target_test.cc): filemarks,
// erase, load, mode pages, capacity, end of medium, write protection, unit
// attentions and the transport itself.
#include <gtest/gtest.h>

#include <thread>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/tapecore/vtape/vtape_target_fixture.h"

namespace tsfs::vtape::target_testing {
namespace {

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
}  // namespace tsfs::vtape::target_testing
