// Ssc and the probe on vtape, the target that follows SSC exactly: the
// conforming answers (BLANK CHECK at end of data, BOP on backward SPACE,
// positions that count) where tgtd and istgt deviate.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/probe.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

class SscVtapeTest : public ::testing::Test {
 protected:
  void Open(const std::string& options = "capacity=10M") {
    if (!dir_.path().size()) {
      auto d = testing::TempDir::Create("ssc-vtape");
      ASSERT_TRUE(d.ok()) << d.status().ToString();
      dir_ = std::move(d).value();
    }
    ssc_.reset();
    auto t = OpenSource("vtape:" + dir_.File("t.tap") + "?create&" + options);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    transport_ = std::move(t).value();
    ssc_ = std::make_unique<Ssc>(*transport_);
  }
  void Fixed512() { ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok()); }
  void WriteBlocks(int n, uint8_t c) {
    auto w = ssc_->Write(std::vector<uint8_t>(static_cast<size_t>(n) * 512, c), 512);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }

  testing::TempDir dir_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Ssc> ssc_;
};

TEST_F(SscVtapeTest, ProbeBlankTapeFindsEverything) {
  Open();
  Fixed512();
  auto caps = ProbeCapabilities(*ssc_);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  SCOPED_TRACE(DescribeCapabilities(*caps));
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_TRUE(caps->read_position_long);
  EXPECT_TRUE(caps->locate);
  EXPECT_TRUE(caps->erase);
  EXPECT_TRUE(caps->erase_tested);
  EXPECT_TRUE(caps->blank_at_bot);
  ASSERT_TRUE(caps->log_sense_capacity);
  EXPECT_EQ(caps->capacity->maximum_bytes, 10u << 20);
  EXPECT_EQ(caps->known_target, "");
  EXPECT_FALSE(caps->fixed_read_eod_medium_error);
  EXPECT_FALSE(caps->read_position_off_by_one_after_bop);
  EXPECT_FALSE(caps->space_eod_unverified);
}

TEST_F(SscVtapeTest, ProbeKeepsDataAndSeesPositionsCount) {
  Open();
  Fixed512();
  WriteBlocks(3, 'x');
  ASSERT_TRUE(ssc_->WriteFilemarks(1).ok());
  auto caps = ProbeCapabilities(*ssc_);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_TRUE(caps->read_position_trusted);
  EXPECT_FALSE(caps->read_position_off_by_one_after_bop);
  EXPECT_FALSE(caps->erase_tested);
  std::vector<uint8_t> buf(4 * 512);
  auto r = ssc_->Read(buf, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->filemark);
  EXPECT_EQ(r->bytes, 3u * 512);
  EXPECT_EQ(buf[0], 'x');
}

TEST_F(SscVtapeTest, ProbeOnWriteProtectedBlankTapeDoesNotClaimErase) {
  Open("capacity=10M");  // create the image
  Open("capacity=10M&ro");
  auto caps = ProbeCapabilities(*ssc_);
  ASSERT_TRUE(caps.ok()) << caps.status().ToString();
  EXPECT_FALSE(caps->erase_tested);
  EXPECT_TRUE(caps->erase);  // assumed: DATA PROTECT says nothing about support
}

TEST_F(SscVtapeTest, PositionsEndOfDataAndBop) {
  Open();
  Fixed512();
  WriteBlocks(4, 'a');
  auto p = ssc_->ReadPosition();
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->block, 4u);
  EXPECT_FALSE(p->bop);
  ASSERT_TRUE(ssc_->WriteFilemarks(1).ok());
  WriteBlocks(2, 'b');
  auto lp = ssc_->ReadPosition(true);
  ASSERT_TRUE(lp.ok()) << lp.status().ToString();
  EXPECT_EQ(lp->block, 7u);
  EXPECT_EQ(lp->file_number, 1u);

  // Backward over the start: BOP 00/04 as a condition, not a failure.
  auto back = ssc_->Space(SpaceCode::kFilemarks, -3);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(back->bop);
  EXPECT_GT(back->residue, 0);
  EXPECT_TRUE(ssc_->ReadPosition()->bop);

  // SPACE blocks stops at the filemark with a residue.
  auto sb = ssc_->Space(SpaceCode::kBlocks, 6);
  ASSERT_TRUE(sb.ok()) << sb.status().ToString();
  EXPECT_TRUE(sb->filemark);
  EXPECT_EQ(sb->residue, 2);

  // LOCATE and read back.
  ASSERT_TRUE(ssc_->Locate(5).ok());
  std::vector<uint8_t> buf(512);
  auto r = ssc_->Read(buf, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(buf[0], 'b');

  // Fixed READ at end of data: BLANK CHECK 00/05 with the good blocks.
  std::vector<uint8_t> four(4 * 512);
  r = ssc_->Read(four, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->end_of_data);
  EXPECT_EQ(r->bytes, 512u);
  EXPECT_EQ(r->residue, 3);

  // SPACE filemarks past end of data: BLANK CHECK with a residue.
  ASSERT_TRUE(ssc_->Rewind().ok());
  auto past = ssc_->Space(SpaceCode::kFilemarks, 3);
  ASSERT_TRUE(past.ok()) << past.status().ToString();
  EXPECT_TRUE(past->end_of_data);
  EXPECT_EQ(past->residue, 2);
}

TEST_F(SscVtapeTest, VolumeOverflowAndEarlyWarning) {
  Open("capacity=64K&ew=16K");
  Fixed512();
  bool warned = false;
  Status overflow;
  for (int i = 0; i < 200 && overflow.ok(); ++i) {
    auto w = ssc_->Write(std::vector<uint8_t>(8 * 512, 'z'), 512);
    if (!w.ok()) {
      overflow = w.status();
    } else {
      warned |= w->early_warning;
    }
  }
  EXPECT_TRUE(warned);
  EXPECT_EQ(overflow.code(), ErrorCode::kNoSpace);
  EXPECT_EQ(overflow.message(), "Volume overflow on write");
}

TEST_F(SscVtapeTest, UnitAttentionAtPowerOnAndUnload) {
  Open("capacity=10M&poweron");
  const Status first = ssc_->TestUnitReady();
  ASSERT_NE(first.sense(), nullptr);
  EXPECT_EQ(first.sense()->key, SenseKey::kUnitAttention);
  EXPECT_TRUE(ssc_->TestUnitReady().ok());
  ASSERT_TRUE(ssc_->LoadUnload(false, false).ok());
  const Status nr = ssc_->TestUnitReady();
  EXPECT_EQ(nr.message(), "Tape not ready on test unit ready");
  ASSERT_TRUE(ssc_->LoadUnload(true, false).ok());
  EXPECT_TRUE(ssc_->TestUnitReady().ok());
}

}  // namespace
}  // namespace tsfs

namespace tsfs {
namespace {

TEST(SscVtapeLogTest, SequentialAccessPageCountsBytesAndRepositions) {
  auto dir = testing::TempDir::Create("ssc-vtape-log");
  ASSERT_TRUE(dir.ok());
  // A 1000 MB/s drive with 64 KiB of buffer: each 64 KiB write fills it, the
  // tape starts, writes it out in 64 us and stops; the host pauses 20 ms.
  auto t = OpenSource("vtape:" + dir->File("t.tap") + "?create&rate=1000&drivebuf=64K");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  Ssc ssc(**t);
  ASSERT_TRUE(ssc.ModeSelectBlockLength(512).ok());
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(64 << 10, 1), 512).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto a = ssc.LogSenseDriveActivity(/*vtape=*/true);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->bytes_from_host, 4u << 16);
  EXPECT_GE(a->bytes_to_medium, 3u << 16);  // the last fill may still be in the buffer
  EXPECT_LE(a->bytes_to_medium, 4u << 16);
  EXPECT_EQ(a->bytes_to_host, 0u);
  ASSERT_TRUE(a->repositions.has_value());
  EXPECT_EQ(*a->repositions, 3u);
  EXPECT_EQ(a->tape_starts, 4u);
  // Another vendor's 8000h means something else: not decoded.
  auto other = ssc.LogSenseDriveActivity(/*vtape=*/false);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->repositions.has_value());
}

}  // namespace
}  // namespace tsfs
