// The index beside a .tap image: opening a large image reads O(1) bytes of
// it, and a missing, stale, torn or foreign index is rebuilt, never trusted.
#include "tapecore/vtape/tap_index.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "tapecore/vtape/tap_image.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {
namespace {

using testing::TapBytes;
using testing::TempDir;

void PutLe32At(int fd, uint64_t off, uint32_t v) {
  uint8_t b[4] = {static_cast<uint8_t>(v), static_cast<uint8_t>(v >> 8),
                  static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 24)};
  ASSERT_EQ(::pwrite(fd, b, 4, static_cast<off_t>(off)), 4);
}

// A sparse image of `records` records of `length` bytes, a tape mark, 3
// records of 512 bytes and a tape mark: only the headers are written.
uint64_t MakeSparseImage(const std::string& path, uint64_t records, uint32_t length) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  EXPECT_GE(fd, 0);
  uint64_t off = 0;
  for (uint64_t i = 0; i < records; ++i) {
    PutLe32At(fd, off, length);
    PutLe32At(fd, off + 4 + length, length);
    off += 8 + uint64_t{length};
  }
  PutLe32At(fd, off, 0);
  off += 4;
  for (int i = 0; i < 3; ++i) {
    PutLe32At(fd, off, 512);
    PutLe32At(fd, off + 516, 512);
    off += 520;
  }
  PutLe32At(fd, off, 0);
  off += 4;
  ::close(fd);
  return off;
}

struct Opened {
  TapImage::OpenCost cost;
  uint64_t size = 0;
  uint64_t data = 0;
  uint64_t file1 = 0;
};

Opened OpenAndClose(const std::string& path, bool read_only = true) {
  auto img = TapImage::Open(path, read_only, false);
  EXPECT_TRUE(img.ok()) << img.status().ToString();
  if (!img.ok()) return {};
  return {(*img)->open_cost(), (*img)->size(), (*img)->DataBytesBefore((*img)->size()),
          (*img)->FileStart(1)};
}

TEST(TapIndexTest, OpeningA20GBImageReadsNoMoreThanA20MBOne) {
  TempDir dir;
  const std::string big = dir.File("big.tap");
  const std::string small = dir.File("small.tap");
  const uint64_t big_bytes = MakeSparseImage(big, 320, 64u << 20);      // 20 GiB
  const uint64_t small_bytes = MakeSparseImage(small, 320, 64u << 10);  // 20 MiB
  ASSERT_GT(big_bytes, 20ull << 30);
  ASSERT_GT(small_bytes, 20ull << 20);

  // First open: no index, every header is read; the close writes the index.
  const Opened big_scan = OpenAndClose(big);
  EXPECT_FALSE(big_scan.cost.used_index);
  EXPECT_EQ(big_scan.cost.headers_scanned, 320u + 5);
  EXPECT_EQ(big_scan.size, 325u);
  EXPECT_EQ(big_scan.file1, 321u);

  // Every later open: the index, the image's last 64 KiB and two headers.
  const Opened big_open = OpenAndClose(big);
  const Opened small_scan = OpenAndClose(small);
  const Opened small_open = OpenAndClose(small);
  EXPECT_FALSE(small_scan.cost.used_index);
  for (const Opened* o : {&big_open, &small_open}) {
    EXPECT_TRUE(o->cost.used_index) << o->cost.index_note;
    EXPECT_EQ(o->cost.headers_scanned, 0u);
    EXPECT_LE(o->cost.image_bytes_read, (64u << 10) + 8);
    EXPECT_EQ(o->size, 325u);
    EXPECT_EQ(o->file1, 321u);
  }
  EXPECT_EQ(big_open.cost.image_bytes_read, small_open.cost.image_bytes_read);
  EXPECT_EQ(big_open.data, 320ull * (64u << 20) + 3 * 512);
  EXPECT_EQ(small_open.data, 320ull * (64u << 10) + 3 * 512);
}

TEST(TapIndexTest, AStaleIndexIsRebuilt) {
  TempDir dir;
  const std::string path = dir.File("t.tap");
  TapBytes().Record(512, 1).Mark().WriteTo(path);
  EXPECT_FALSE(OpenAndClose(path).cost.used_index);
  EXPECT_TRUE(OpenAndClose(path).cost.used_index);

  // Another program appends a file: size and mtime change.
  {
    std::ofstream f(path, std::ios::binary | std::ios::app);
    const uint8_t rec[] = {4, 0, 0, 0, 9, 9, 9, 9, 4, 0, 0, 0, 0, 0, 0, 0};
    f.write(reinterpret_cast<const char*>(rec), sizeof rec);
  }
  Opened o = OpenAndClose(path);
  EXPECT_FALSE(o.cost.used_index);
  EXPECT_NE(o.cost.index_note.find("stale"), std::string::npos) << o.cost.index_note;
  EXPECT_EQ(o.size, 4u);
  EXPECT_TRUE(OpenAndClose(path).cost.used_index);

  // The same size and bytes but another mtime: not trusted either.
  struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 678}};
  ASSERT_EQ(::utimensat(AT_FDCWD, path.c_str(), times, 0), 0);
  EXPECT_FALSE(OpenAndClose(path).cost.used_index);
  EXPECT_TRUE(OpenAndClose(path).cost.used_index);
}

TEST(TapIndexTest, MissingTornOrForeignIndexIsRebuilt) {
  TempDir dir;
  const std::string path = dir.File("t.tap");
  TapBytes().Record(512, 1).Record(512, 2).Mark().Record(100, 3).Mark().WriteTo(path);
  OpenAndClose(path);
  const std::string index = IndexPathFor(path);

  // Torn: one byte changed.
  {
    std::fstream f(index, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(70);
    f.put('\x7f');
  }
  Opened o = OpenAndClose(path);
  EXPECT_FALSE(o.cost.used_index);
  EXPECT_NE(o.cost.index_note.find("torn"), std::string::npos) << o.cost.index_note;
  EXPECT_EQ(o.size, 5u);

  // Missing.
  ASSERT_EQ(::unlink(index.c_str()), 0);
  o = OpenAndClose(path);
  EXPECT_FALSE(o.cost.used_index);
  EXPECT_EQ(o.size, 5u);

  // Foreign: the index of another image (another inode) copied beside it.
  const std::string other = dir.File("other.tap");
  TapBytes().Record(512, 1).Record(512, 2).Mark().Record(100, 3).Mark().WriteTo(other);
  OpenAndClose(other);
  ASSERT_EQ(std::rename(IndexPathFor(other).c_str(), index.c_str()), 0);
  o = OpenAndClose(path);
  EXPECT_FALSE(o.cost.used_index);
  EXPECT_EQ(o.size, 5u);
}

TEST(TapIndexTest, WritesThroughTheImageKeepTheIndexTrue) {
  TempDir dir;
  const std::string path = dir.File("t.tap");
  {
    auto img = TapImage::Open(path, false, true);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
    std::vector<uint8_t> data(512 * 10, 7);
    ASSERT_TRUE((*img)->AppendRecords(data.data(), 512, 10).ok());
    ASSERT_TRUE((*img)->AppendTapeMarks(1).ok());
    ASSERT_TRUE((*img)->AppendRecords(data.data(), 512, 3).ok());
    ASSERT_TRUE((*img)->AppendTapeMarks(1).ok());
    ASSERT_TRUE((*img)->Truncate(12).ok());  // cut inside file 1
  }
  Opened o = OpenAndClose(path, false);
  EXPECT_TRUE(o.cost.used_index) << o.cost.index_note;
  EXPECT_EQ(o.size, 12u);
  EXPECT_EQ(o.data, 11u * 512);
  EXPECT_EQ(o.file1, 11u);
}

}  // namespace
}  // namespace tsfs::vtape
