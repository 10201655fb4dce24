// Streaming by watermarks: the writer starts the drive only once the
// watermark's share of the buffers is full (or at a sync or close), and
// buffers of any size are cut into slots of one command each.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "tapecore/unit/stream_slots.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs::unit_testing {
namespace {

size_t Writes(VtapeUnit& t) { return t.cdbs().Count(kOpWrite6); }

// Waits up to 5 s for the writer thread to have sent `n` WRITEs.
bool WaitForWrites(VtapeUnit& t, size_t n) {
  for (int i = 0; i < 500; ++i) {
    if (Writes(t) >= n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

UnitConfig Buffers(size_t kb, unsigned write_watermark = 100) {
  UnitConfig c;
  c.buffer_kb = kb;
  c.write_watermark = write_watermark;
  return c;
}

TEST(StreamWatermarkTest, OneFullBufferDoesNotStartTheDrive) {
  VtapeUnit t("capacity=16M", Buffers(64));
  ASSERT_TRUE(t->OpenAppend().ok());
  t.cdbs().Clear();
  // One and a half buffers: one is full, the watermark (both) is not reached.
  ASSERT_TRUE(t->Write(Pattern(96 * 1024, 1)).ok());
  // The old policy sent the full buffer at once; give it time to show.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Writes(t), 0u);
  // Reaching the watermark starts the drive with both buffers.
  ASSERT_TRUE(t->Write(Pattern(40 * 1024, 2)).ok());
  EXPECT_TRUE(WaitForWrites(t, 2));
  ASSERT_TRUE(t->Close().ok());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  std::vector<uint8_t> all = Pattern(96 * 1024, 1);
  const std::vector<uint8_t> b = Pattern(40 * 1024, 2);
  all.insert(all.end(), b.begin(), b.end());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), all);
}

TEST(StreamWatermarkTest, ALowerWatermarkStartsEarlier) {
  VtapeUnit t("capacity=16M", Buffers(64, 50));
  ASSERT_TRUE(t->OpenAppend().ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->Write(Pattern(96 * 1024, 1)).ok());
  EXPECT_TRUE(WaitForWrites(t, 1));  // one buffer of two: 50 %
  ASSERT_TRUE(t->Close().ok());
}

TEST(StreamWatermarkTest, SyncAndCloseDoNotWaitForTheWatermark) {
  VtapeUnit t("capacity=16M", Buffers(64));
  ASSERT_TRUE(t->OpenAppend().ok());
  ASSERT_TRUE(t->Write(Pattern(1000, 3)).ok());
  ASSERT_TRUE(t->Sync().ok());
  EXPECT_EQ(t.vtape().Stats().bytes_written, 1024u);  // padded block on the image
  ASSERT_TRUE(t->Write(Pattern(5000, 4)).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.vtape().Stats().filemarks_written, 1u);
}

TEST(StreamWatermarkTest, BuffersAreCutIntoSlotsOfOneCommand) {
  // 2.5 MiB buffers, never touched (plain heap memory is not populated):
  // slots of 1 MiB, the last one of each buffer shorter.
  auto alloc = [](size_t n) { return std::malloc(n); };
  auto release = [](void* p, size_t) { std::free(p); };
  auto buffers = StreamBuffers::Allocate(5u << 19, true, {}, alloc, release);
  ASSERT_TRUE(buffers.ok()) << buffers.status().ToString();
  const auto slots = CutIntoSlots(**buffers, 512);
  ASSERT_EQ(slots.size(), 6u);
  const size_t mib = 1u << 20;
  const size_t sizes[] = {mib, mib, mib / 2, mib, mib, mib / 2};
  for (size_t i = 0; i < slots.size(); ++i) EXPECT_EQ(slots[i].size(), sizes[i]) << i;
  EXPECT_EQ(slots[0].data(), (*buffers)->buffer(0).data());
  EXPECT_EQ(slots[3].data(), (*buffers)->buffer(1).data());
  // A block larger than a slot: one block per slot.
  const auto big = CutIntoSlots(**buffers, 2u << 20);
  ASSERT_EQ(big.size(), 2u);
  EXPECT_EQ(big[0].size(), 2u << 20);

  // Default buffers: one slot each; a buffer not a multiple of the block
  // size keeps whole blocks only.
  auto small = StreamBuffers::Allocate(1000, true, {}, alloc, release);
  ASSERT_TRUE(small.ok());
  const auto two = CutIntoSlots(**small, 512);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].size(), 512u);
}

TEST(StreamWatermarkTest, WatermarkSlotsRoundUpAndStayInRange) {
  EXPECT_EQ(WatermarkSlots(2, 100), 2u);
  EXPECT_EQ(WatermarkSlots(2, 50), 1u);
  EXPECT_EQ(WatermarkSlots(2, 51), 2u);
  EXPECT_EQ(WatermarkSlots(2, 1), 1u);
  EXPECT_EQ(WatermarkSlots(128, 50), 64u);
  EXPECT_EQ(WatermarkSlots(6, 250), 6u);
}

TEST(StreamWatermarkTest, TheWriteWatermarkIsCappedInBytes) {
  auto alloc = [](size_t n) { return std::malloc(n); };
  auto release = [](void* p, size_t) { std::free(p); };
  auto buffers = StreamBuffers::Allocate(5u << 19, true, {}, alloc, release);
  ASSERT_TRUE(buffers.ok()) << buffers.status().ToString();
  const auto slots = CutIntoSlots(**buffers, 512);  // 1, 1, 0.5, 1, 1, 0.5 MiB
  const uint64_t mib = 1u << 20;
  EXPECT_EQ(WriteWatermarkSlots(slots, 100, UINT64_MAX), 6u);
  EXPECT_EQ(WriteWatermarkSlots(slots, 100, 5 * mib), 6u);
  EXPECT_EQ(WriteWatermarkSlots(slots, 100, 5 * mib - 1), 5u);
  EXPECT_EQ(WriteWatermarkSlots(slots, 100, 2 * mib + mib / 2), 3u);
  EXPECT_EQ(WriteWatermarkSlots(slots, 50, 4 * mib), 3u);  // the percentage is lower
  EXPECT_EQ(WriteWatermarkSlots(slots, 100, 1), 1u);       // never below one slot
}

TEST(StreamWatermarkTest, LargeBuffersStartTheDriveAtTheByteCap) {
  // 64 MiB buffers (128 slots) at 100 %, capped at 8 MiB: the drive starts
  // once 8 MiB are buffered, not 128.
  UnitConfig config = Buffers(64 * 1024);
  config.write_watermark_max_kb = 8 * 1024;
  VtapeUnit t("capacity=200M", config);
  ASSERT_TRUE(t->OpenAppend().ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->Write(Pattern(7u << 20, 1)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Writes(t), 0u);  // below the cap
  ASSERT_TRUE(t->Write(Pattern(1u << 20, 2)).ok());
  EXPECT_TRUE(WaitForWrites(t, 1));
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.vtape().Stats().bytes_written, 8u << 20);
}

TEST(StreamWatermarkTest, ALargeBufferStartsTheDriveAtTheWatermarkAndCloseDrainsIt) {
  // 64 MiB buffers (128 slots of 1 MiB), watermark 10 %: 13 slots.
  VtapeUnit t("capacity=200M", Buffers(64 * 1024, 10));
  ASSERT_TRUE(t->OpenAppend().ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->Write(Pattern(12u << 20, 1)).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Writes(t), 0u);  // below the watermark
  // 16 MiB buffered of 128: the drive starts, in commands of one slot.
  ASSERT_TRUE(t->Write(Pattern(4u << 20, 2)).ok());
  EXPECT_TRUE(WaitForWrites(t, 1));
  ASSERT_TRUE(t->Write(Pattern(20u << 20, 3)).ok());
  // The close returns once everything is on the image, filemark included.
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.vtape().Stats().bytes_written, 36u << 20);
  EXPECT_EQ(t.vtape().Stats().filemarks_written, 1u);
  EXPECT_GE(Writes(t), 36u);
}

TEST(StreamWatermarkTest, LargeBuffersReadAndWriteInSeveralCommandsPerBuffer) {
  // 20 MiB buffers: 20 slots each. A 50 MiB file goes out in commands of at
  // most one slot (1 MiB) and reads back the same.
  VtapeUnit t("capacity=200M", Buffers(20 * 1024));
  const auto data = Pattern(50u << 20, 7);
  AppendFile(t.unit(), data);
  for (const auto& cdb : t.cdbs().Cdbs()) {
    if (cdb.empty() || cdb[0] != kOpWrite6) continue;
    const uint32_t blocks = (uint32_t{cdb[2]} << 16) | (uint32_t{cdb[3]} << 8) | cdb[4];
    EXPECT_LE(blocks, kMaxSlotBytes / 512);
  }
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), data);
}

}  // namespace
}  // namespace tsfs::unit_testing
