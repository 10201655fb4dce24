// SSC conformance (see ssc_conformance_test.cc): erase, flush, end of
// medium, write protection, LOG SENSE, medium removal, load and tape change.
#include <gtest/gtest.h>

#include "tests/tapecore/conformance/ssc_conformance_fixture.h"

namespace tsfs::conformance_testing {
namespace {

TEST_P(SscConformanceTest, EraseLongFromBot) {
  CONFORMANCE_START();
  ASSERT_NO_FATAL_FAILURE(WriteTwoFiles());
  Status st = ssc().Erase(true);
  if (tgtd()) {
    ASSERT_FALSE(st.ok());
    ASSERT_NE(st.sense(), nullptr);
    EXPECT_TRUE(st.sense()->Is(SenseKey::kIllegalRequest, 0x20, 0x00)) << st.ToString();
    Deviation("ERASE: ILLEGAL REQUEST 20/00 (not supported)");
    return;
  }
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_TRUE(ssc().Rewind().ok());
  EXPECT_EQ(ReadOne(), -2);
}

TEST_P(SscConformanceTest, WriteFilemarksZeroFlushes) {
  CONFORMANCE_START();
  ASSERT_TRUE(ssc().Write(Blocks(1, 'A'), 512).ok());
  EXPECT_TRUE(ssc().WriteFilemarks(0).ok());
  ASSERT_TRUE(ssc().Rewind().ok());
  EXPECT_EQ(ReadOne(), 'A');
}

TEST_P(SscConformanceTest, EarlyWarningThenVolumeOverflow) {
  testing::TargetOptions small;
  small.size_mb = 2;
  CONFORMANCE_START_WITH(small);
  const std::vector<uint8_t> chunk = Blocks(128, 'A');  // 64 KiB
  bool warned = false;
  Status overflow;
  size_t written = 0;
  // Up to twice the medium: a target that never says "full" ends the loop.
  for (int i = 0; i < 64 && overflow.ok(); ++i) {
    auto w = ssc().Write(chunk, 512);
    if (!w.ok()) {
      overflow = w.status();
      break;
    }
    written += w->bytes;
    warned |= w->early_warning;
  }
  if (tgtd()) {
    // TARGETS.md: tgtd never answers VOLUME OVERFLOW; past the image size
    // every WRITE is NO SENSE + EOM and the image grows.
    EXPECT_TRUE(overflow.ok()) << overflow.ToString();
    EXPECT_TRUE(warned);
    Deviation("no VOLUME OVERFLOW: past the size every WRITE is early warning and succeeds");
    return;
  }
  ASSERT_FALSE(overflow.ok()) << "wrote " << written << " bytes on a 2 MiB medium";
  EXPECT_EQ(overflow.code(), ErrorCode::kNoSpace);
  ASSERT_NE(overflow.sense(), nullptr);
  EXPECT_TRUE(overflow.sense()->Is(SenseKey::kVolumeOverflow, 0x00, 0x02));
  EXPECT_TRUE(overflow.sense()->eom);
  if (istgt()) {
    // TARGETS.md: istgt has no early warning before VOLUME OVERFLOW.
    EXPECT_FALSE(warned);
    Deviation("no early warning before VOLUME OVERFLOW");
    return;
  }
  EXPECT_TRUE(warned);
  EXPECT_LE(written, 2u << 20);
  // A filemark still fits (with the warning), so a file can be closed.
  EXPECT_TRUE(ssc().WriteFilemarks(1).ok());
}

TEST_P(SscConformanceTest, WriteProtectedMedium) {
  testing::TargetOptions protect;
  protect.read_only = true;
  CONFORMANCE_START_WITH(protect);
  auto m = ssc().ModeSense();
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->write_protect);
  auto w = ssc().Write(Blocks(1, 'A'), 512);
  ASSERT_FALSE(w.ok());
  EXPECT_EQ(w.status().code(), ErrorCode::kReadOnly);
  ASSERT_NE(w.status().sense(), nullptr);
  EXPECT_TRUE(w.status().sense()->Is(SenseKey::kDataProtect, 0x27, 0x00));
  Status st = ssc().WriteFilemarks(1);
  EXPECT_EQ(st.code(), ErrorCode::kReadOnly) << st.ToString();
}

TEST_P(SscConformanceTest, LogSenseCapacity) {
  CONFORMANCE_START();
  auto c = ssc().LogSenseCapacity();
  if (!vtape()) {
    // TARGETS.md lists tgtd's missing LOG SENSE; istgt has no page 0x31
    // either (seen here and by the ssc probe, not yet in TARGETS.md).
    ASSERT_FALSE(c.ok());
    ASSERT_NE(c.status().sense(), nullptr);
    EXPECT_EQ(c.status().sense()->key, SenseKey::kIllegalRequest) << c.status().ToString();
    Deviation(istgt() ? "LOG SENSE page 0x31 (tape capacity): ILLEGAL REQUEST (not in TARGETS.md)"
                      : "LOG SENSE page 0x31 (tape capacity): ILLEGAL REQUEST");
    return;
  }
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_GT(c->maximum_bytes, 0u);
  EXPECT_LE(c->remaining_bytes, c->maximum_bytes);
}

TEST_P(SscConformanceTest, PreventAllowMediumRemoval) {
  CONFORMANCE_START();
  EXPECT_TRUE(ssc().PreventAllowMediumRemoval(true).ok());
  EXPECT_TRUE(ssc().PreventAllowMediumRemoval(false).ok());
}

TEST_P(SscConformanceTest, LoadWithRetensionRewinds) {
  CONFORMANCE_START();
  ASSERT_NO_FATAL_FAILURE(WriteTwoFiles());
  ASSERT_TRUE(ssc().Space(SpaceCode::kFilemarks, 1).ok());
  Status st = ssc().LoadUnload(true, true);
  ASSERT_TRUE(st.ok()) << st.ToString();
  const int next = ReadOne();
  if (tgtd()) {
    // TARGETS.md: tgtd's LOAD leaves the position unchanged.
    EXPECT_EQ(next, 'a');
    Deviation("LOAD (RETEN) leaves the position unchanged");
    return;
  }
  EXPECT_EQ(next, 'A');
}

TEST_P(SscConformanceTest, UnsupportedOpcodeIsIllegalRequest) {
  CONFORMANCE_START();
  const uint8_t read10[10] = {0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0};  // a disk command
  std::vector<uint8_t> buf(512);
  RawAnswer a = Raw(read10, DataBuffer::In(buf));
  ASSERT_TRUE(a.check());
  EXPECT_TRUE(a.sense.Is(SenseKey::kIllegalRequest, 0x20, 0x00)) << DescribeSense(a.sense.raw);
}

// A tape change under an open session. vtape answers UNIT ATTENTION 28/00
// once, then reads the new tape. The real targets change the medium without
// any UNIT ATTENTION (TARGETS.md): tgtd loads a new blank image (online=0,
// path=); istgt reloads its image through istgtcontrol "change" (the fixture's
// write-protect path: istgt refuses a change to a new, empty image).
TEST_P(SscConformanceTest, TapeChangeGivesUnitAttention) {
  CONFORMANCE_START();
  ASSERT_NO_FATAL_FAILURE(WriteTwoFiles());
  if (vtape()) {
    auto* vt = VtapeTransport::From(*transport_);
    ASSERT_NE(vt, nullptr);
    ASSERT_TRUE(vt->ChangeTape(dir_.File("tape.tap")).ok());
    Status st = ssc().TestUnitReady();
    ASSERT_FALSE(st.ok());
    ASSERT_NE(st.sense(), nullptr);
    EXPECT_TRUE(st.sense()->Is(SenseKey::kUnitAttention, 0x28, 0x00));
    EXPECT_TRUE(ssc().TestUnitReady().ok());
    EXPECT_EQ(ReadOne(), 'A');
    return;
  }
  Status changed = tgtd() ? real_->ChangeTape() : real_->SetReadOnly(true);
  ASSERT_TRUE(changed.ok()) << changed.ToString();
  bool unit_attention = false;
  Status st;
  for (int i = 0; i < 50; ++i) {  // istgt: NOT READY 3A/00 for a few commands after the change
    st = ssc().TestUnitReady();
    if (st.ok()) break;
    if (st.sense() != nullptr && st.sense()->key == SenseKey::kUnitAttention) unit_attention = true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_FALSE(unit_attention);
  Deviation("no UNIT ATTENTION after a tape change (TARGETS.md)");
  // A newly loaded medium may come back in variable-block mode.
  ASSERT_TRUE(ssc().ModeSelectBlockLength(512).ok());
  ASSERT_TRUE(ssc().Rewind().ok());
  if (tgtd()) {
    EXPECT_NE(ReadOne(), 'A');  // the new blank tape, not the old data
  } else {
    EXPECT_EQ(ReadOne(), 'A');  // the same image, loaded again
  }
}

}  // namespace
}  // namespace tsfs::conformance_testing
