// Memory of large streaming buffers: the pages are taken only when a slot
// is first used, and the threads reuse the slot they just emptied, so a
// stream that never fills the buffers touches only a few slots (issue 10:
// RSS <= 2 x buffer + 20 MiB, and no seconds spent taking 2 GiB at open).
// Residency is read with mincore(2) on the buffers themselves.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/deferred_error.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/reader_thread.h"
#include "tapecore/unit/stream_buffers.h"
#include "tapecore/unit/writer_thread.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs::unit_testing {
namespace {

constexpr size_t kMiB = size_t{1} << 20;
constexpr uint32_t kBlock = 512;

// Bytes of `buf` resident in memory.
size_t ResidentBytes(std::span<uint8_t> buf) {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  std::vector<unsigned char> vec((buf.size() + page - 1) / page);
  EXPECT_EQ(mincore(buf.data(), buf.size(), vec.data()), 0);
  size_t n = 0;
  for (unsigned char v : vec) n += (v & 1) ? page : 0;
  return n;
}

size_t ResidentBytes(StreamBuffers& b) {
  return ResidentBytes(b.buffer(0)) + ResidentBytes(b.buffer(1));
}

// A vtape drive in fixed 512-byte blocks, driven by an Ssc directly (as the
// unit's threads drive it).
class FixedVtape {
 public:
  FixedVtape() {
    auto dir = testing::TempDir::Create("stream_memory");
    EXPECT_TRUE(dir.ok()) << dir.status().ToString();
    dir_ = std::move(dir).value();
    auto vt = VtapeTransport::Open("vtape:" + dir_.File("t.tap") + "?create&capacity=256M");
    EXPECT_TRUE(vt.ok()) << vt.status().ToString();
    vtape_ = vt->get();
    recorder_ = std::make_unique<RecordingTransport>(std::move(vt).value());
    ssc_ = std::make_unique<Ssc>(*recorder_);
    (void)ssc_->TestUnitReady();  // a unit attention after power on
    EXPECT_TRUE(ssc_->ModeSelectBlockLength(kBlock).ok());
  }
  Ssc& ssc() { return *ssc_; }
  VtapeTransport& vtape() { return *vtape_; }
  // The largest transfer length of the commands with `opcode` (fixed blocks).
  uint32_t LargestTransfer(uint8_t opcode) const {
    uint32_t most = 0;
    for (const auto& c : recorder_->Cdbs()) {
      if (c[0] == opcode && (c[1] & 0x01) != 0)
        most = std::max(most, (uint32_t{c[2]} << 16) | (uint32_t{c[3]} << 8) | c[4]);
    }
    return most;
  }

 private:
  testing::TempDir dir_;
  VtapeTransport* vtape_ = nullptr;
  std::unique_ptr<RecordingTransport> recorder_;
  std::unique_ptr<Ssc> ssc_;
};

std::unique_ptr<StreamBuffers> RealBuffers(size_t bytes_each) {
  auto b = StreamBuffers::Allocate(bytes_each, /*openfail=*/true);
  EXPECT_TRUE(b.ok()) << b.status().ToString();
  return b.ok() ? std::move(b).value() : nullptr;
}

// Takes everything the reader delivers, `chunk` bytes a call, then stops it.
void ReadToTheFilemark(ReaderThread& reader, size_t chunk, std::vector<uint8_t>* got) {
  std::vector<uint8_t> buf(chunk);
  for (;;) {
    Result<size_t> n = reader.Get(buf);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    if (*n == 0) break;
    got->insert(got->end(), buf.begin(), buf.begin() + static_cast<ptrdiff_t>(*n));
  }
  reader.Stop();
}

TEST(StreamMemoryTest, BuffersTakeNoMemoryUntilUsed) {
  auto buffers = RealBuffers(64 * kMiB);
  ASSERT_NE(buffers, nullptr);
  // MAP_POPULATE took all 128 MiB here, at every open.
  EXPECT_EQ(ResidentBytes(*buffers), 0u);
}

TEST(StreamMemoryTest, AWriterNoFasterThanTheDriveReusesOneSlot) {
  FixedVtape drive;
  auto buffers = RealBuffers(32 * kMiB);  // 64 slots of 1 MiB
  ASSERT_NE(buffers, nullptr);
  CapturingLogger log;
  Diagnostics diag(log, "rts0", false);
  DeferredError error;
  WriterThread writer(drive.ssc(), *buffers, kBlock, diag, error, /*high_water_percent=*/1);
  // 24 slots' worth, each sent before the next comes (a sync after each).
  for (uint32_t i = 0; i < 24; ++i) {
    ASSERT_TRUE(writer.Put(Pattern(kMiB, i)));
    writer.Flush();  // whole blocks: nothing to pad
  }
  writer.Stop();
  EXPECT_FALSE(error.failed());
  EXPECT_EQ(drive.vtape().Stats().bytes_written, 24 * kMiB);
  // Round robin over the slots touched 24 MiB; the slot just sent is the
  // next one filled, so one slot's pages serve the whole stream (2 MiB when
  // the kernel gave the buffer a huge page).
  EXPECT_LE(ResidentBytes(*buffers), 2 * kMiB);
  EXPECT_EQ(drive.LargestTransfer(kOpWrite6), kMiB / kBlock);
}

TEST(StreamMemoryTest, AReaderSlowerThanTheDriveFillsEverySlotThenReusesThem) {
  FixedVtape drive;
  const size_t file = 24 * kMiB;
  const std::vector<uint8_t> data = Pattern(file, 9);
  for (size_t off = 0; off < file; off += kMiB) {
    ASSERT_TRUE(drive.ssc().Write({data.data() + off, kMiB}, kBlock).ok());
  }
  ASSERT_TRUE(drive.ssc().WriteFilemarks(1).ok());
  ASSERT_TRUE(drive.ssc().Rewind().ok());
  auto buffers = RealBuffers(4 * kMiB);  // 8 slots of 1 MiB
  ASSERT_NE(buffers, nullptr);
  CapturingLogger log;
  Diagnostics diag(log, "rts0", false);
  ReaderThread reader(drive.ssc(), *buffers, kBlock, diag);
  std::vector<uint8_t> got;
  ASSERT_NO_FATAL_FAILURE(ReadToTheFilemark(reader, 300 * 1024, &got));
  EXPECT_TRUE(reader.passed_filemark());
  EXPECT_EQ(got, data);
  // Never more than both buffers, whatever the order of slots.
  EXPECT_LE(ResidentBytes(*buffers), 8 * kMiB);
  // Every READ fills one slot at most: 1 MiB (16 MiB slots went through
  // memory instead of the CPU cache between the drive and the caller).
  EXPECT_EQ(drive.LargestTransfer(kOpRead6), kMiB / kBlock);
}

TEST(StreamMemoryTest, ARecordLongerThanASlotIsReadWithLargerSlots) {
  // Variable records of 3 MiB (written elsewhere) and 4 MiB buffers: slots
  // of 1 MiB are too small, the buffer is not.
  FixedVtape drive;
  const std::vector<uint8_t> a = Pattern(3 * kMiB, 1);
  const std::vector<uint8_t> b = Pattern(3 * kMiB - 100, 2);
  ASSERT_TRUE(drive.ssc().Write(Pattern(1000, 3), 0).ok());
  ASSERT_TRUE(drive.ssc().Write(a, 0).ok());
  ASSERT_TRUE(drive.ssc().Write(b, 0).ok());
  ASSERT_TRUE(drive.ssc().WriteFilemarks(1).ok());
  ASSERT_TRUE(drive.ssc().Rewind().ok());
  auto buffers = RealBuffers(4 * kMiB);
  ASSERT_NE(buffers, nullptr);
  CapturingLogger log;
  Diagnostics diag(log, "rts0", false);
  ReaderThread reader(drive.ssc(), *buffers, kBlock, diag);
  std::vector<uint8_t> got;
  ASSERT_NO_FATAL_FAILURE(ReadToTheFilemark(reader, 256 * 1024, &got));
  std::vector<uint8_t> want = Pattern(1000, 3);
  want.insert(want.end(), a.begin(), a.end());
  want.insert(want.end(), b.begin(), b.end());
  EXPECT_EQ(got, want);
  EXPECT_TRUE(reader.passed_filemark());
  EXPECT_EQ(reader.objects_read(), 3u);
}

}  // namespace
}  // namespace tsfs::unit_testing
