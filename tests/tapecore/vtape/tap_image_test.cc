// TapImage: parsing hand-built SIMH images, writing, truncating.
#include "tapecore/vtape/tap_image.h"

#include <gtest/gtest.h>

#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {
namespace {

using testing::ReadFileBytes;
using testing::TapBytes;
using testing::TempDir;

Result<std::unique_ptr<TapImage>> Load(const TempDir& dir, const TapBytes& b) {
  const std::string path = dir.File("t.tap");
  b.WriteTo(path);
  return TapImage::Open(path, false, false);
}

TEST(TapImageTest, EmptyFileIsABlankTape) {
  TempDir dir;
  auto img = Load(dir, TapBytes());
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ((*img)->size(), 0u);
  EXPECT_EQ((*img)->DataBytesBefore(0), 0u);
  EXPECT_TRUE((*img)->warning().empty());
}

TEST(TapImageTest, RecordsMarksAndOddLengths) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Record(512, 2).Mark().Record(3, 0xAB).Record(10240, 4).Mark().Mark();
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  TapImage& t = **img;
  ASSERT_EQ(t.size(), 7u);
  EXPECT_EQ(t.Object(0).kind, ObjectKind::kRecord);
  EXPECT_EQ(t.Object(2).kind, ObjectKind::kTapeMark);
  EXPECT_EQ(t.Object(3).length, 3u);
  EXPECT_EQ(t.Object(4).length, 10240u);
  EXPECT_EQ(t.Object(4).offset, 2u * 520 + 4 + 12);  // 3-byte record: 4 + 3 + pad + 4
  EXPECT_EQ(t.DataBytesBefore(7), 1024u + 3 + 10240);
  EXPECT_EQ(t.TapeMarksBefore(6), 2u);
  EXPECT_EQ(t.NextTapeMark(0), 2u);
  EXPECT_EQ(t.NextTapeMark(3), 5u);
  EXPECT_EQ(t.PrevTapeMark(5), 2);
  EXPECT_EQ(t.PrevTapeMark(2), -1);
  EXPECT_EQ(t.FileStart(1), 3u);
  EXPECT_EQ(t.FileStart(3), 7u);
  EXPECT_EQ(t.CountRecords(0, 10, 512), 2u);
  std::vector<uint8_t> rec(3);
  ASSERT_TRUE(t.ReadRecord(3, rec).ok());
  EXPECT_EQ(rec, std::vector<uint8_t>(3, 0xAB));
  std::vector<uint8_t> two(1024);
  ASSERT_TRUE(t.ReadRecords(0, 2, 512, two.data()).ok());
  EXPECT_EQ(two[0], 1);
  EXPECT_EQ(two[1023], 2);
}

TEST(TapImageTest, BadRecordIsIndexedAsBad) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Record(std::vector<uint8_t>(100, 7), 0x8).Record(512, 3);
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ((*img)->Object(1).kind, ObjectKind::kBadRecord);
  EXPECT_EQ((*img)->Object(1).length, 100u);
  EXPECT_EQ((*img)->size(), 3u);
}

TEST(TapImageTest, EndOfMediumMarkerEndsTheTape) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Mark().Le32(0xFFFFFFFF).Record(512, 9);  // data after EOM is not tape
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ((*img)->size(), 2u);
}

TEST(TapImageTest, EraseGapIsSkipped) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Le32(0xFFFFFFFE).Record(512, 2);
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  ASSERT_EQ((*img)->size(), 2u);
  std::vector<uint8_t> two(1024);
  ASSERT_TRUE((*img)->ReadRecords(0, 2, 512, two.data()).ok());
  EXPECT_EQ(two[512], 2);
}

TEST(TapImageTest, MissingTrailingLengthLoadsThePrefix) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Mark().Le32(512).Raw(std::vector<uint8_t>(512, 2));  // no trailer
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ((*img)->size(), 2u);
  EXPECT_NE((*img)->warning().find("cut short"), std::string::npos);
  // The next write replaces the torn tail: the file is a valid image again.
  std::vector<uint8_t> d(512, 5);
  ASSERT_TRUE((*img)->AppendRecords(d.data(), 512, 1).ok());
  TapBytes want;
  want.Record(512, 1).Mark().Record(512, 5);
  EXPECT_EQ(ReadFileBytes(dir.File("t.tap")), want.bytes());
}

TEST(TapImageTest, TornLengthAtTheEndIsIgnored) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Raw({0x00, 0x02});
  auto img = Load(dir, b);
  ASSERT_TRUE(img.ok()) << img.status().ToString();
  EXPECT_EQ((*img)->size(), 1u);
  EXPECT_FALSE((*img)->warning().empty());
}

TEST(TapImageTest, MismatchedTrailerIsCorrupt) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Le32(100).Raw(std::vector<uint8_t>(100, 0)).Le32(99).Mark();
  auto img = Load(dir, b);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), ErrorCode::kCorrupt);
  EXPECT_NE(img.status().message().find("trailing length 99"), std::string::npos)
      << img.status().message();
}

TEST(TapImageTest, GarbageIsCorruptNotACrash) {
  TempDir dir;
  std::vector<uint8_t> garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 4096; ++i) {
    x = x * 1103515245 + 12345;
    garbage.push_back(static_cast<uint8_t>(x >> 16));
  }
  TapBytes b;
  b.Raw(garbage);
  auto img = Load(dir, b);
  // Random bytes either fail to parse or (improbably) form a torn tail; both
  // must come back as values.
  if (!img.ok()) {
    EXPECT_EQ(img.status().code(), ErrorCode::kCorrupt);
  } else {
    EXPECT_FALSE((*img)->warning().empty());
  }
}

TEST(TapImageTest, UnknownClassIsCorrupt) {
  TempDir dir;
  TapBytes b;
  b.Le32(0x30000010).Raw(std::vector<uint8_t>(16, 0)).Le32(0x30000010);
  auto img = Load(dir, b);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), ErrorCode::kCorrupt);
  EXPECT_NE(img.status().message().find("30000010"), std::string::npos);
}

TEST(TapImageTest, MissingFileIsNotFoundUnlessCreate) {
  TempDir dir;
  auto img = TapImage::Open(dir.File("none.tap"), false, false);
  ASSERT_FALSE(img.ok());
  EXPECT_EQ(img.status().code(), ErrorCode::kNotFound);
  auto created = TapImage::Open(dir.File("none.tap"), false, true);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ((*created)->size(), 0u);
}

TEST(TapImageTest, WritesAreSimhRecordsAndTruncate) {
  TempDir dir;
  auto img = Load(dir, TapBytes());
  ASSERT_TRUE(img.ok());
  TapImage& t = **img;
  std::vector<uint8_t> blocks(3 * 512);
  for (size_t i = 0; i < blocks.size(); ++i) blocks[i] = static_cast<uint8_t>(i / 512 + 1);
  ASSERT_TRUE(t.AppendRecords(blocks.data(), 512, 3).ok());
  ASSERT_TRUE(t.AppendTapeMarks(1).ok());
  std::vector<uint8_t> odd(5, 9);
  ASSERT_TRUE(t.AppendRecords(odd.data(), 5, 1).ok());
  TapBytes want;
  want.Record(512, 1).Record(512, 2).Record(512, 3).Mark().Record(5, 9);
  EXPECT_EQ(ReadFileBytes(dir.File("t.tap")), want.bytes());
  // Cut after the second block: the file ends there.
  ASSERT_TRUE(t.Truncate(2).ok());
  EXPECT_EQ(t.size(), 2u);
  TapBytes cut;
  cut.Record(512, 1).Record(512, 2);
  EXPECT_EQ(ReadFileBytes(dir.File("t.tap")), cut.bytes());
  // Reopening gives the same tape.
  auto again = TapImage::Open(dir.File("t.tap"), true, false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->size(), 2u);
  EXPECT_EQ((*again)->DataBytesBefore(2), 1024u);
}

TEST(TapImageTest, ManyFixedBlocksAreOneRunAndFewWrites) {
  TempDir dir;
  auto img = Load(dir, TapBytes());
  ASSERT_TRUE(img.ok());
  std::vector<uint8_t> data(2048 * 512, 0x5A);
  ASSERT_TRUE((*img)->AppendRecords(data.data(), 512, 2048).ok());
  EXPECT_LE((*img)->write_syscalls(), 2u);
  EXPECT_EQ((*img)->CountRecords(0, 5000, 512), 2048u);
  std::vector<uint8_t> back(data.size());
  ASSERT_TRUE((*img)->ReadRecords(0, 2048, 512, back.data()).ok());
  EXPECT_EQ(back, data);
}

TEST(TapImageTest, ReadOnlyImageRefusesWrites) {
  TempDir dir;
  TapBytes().Record(512, 1).WriteTo(dir.File("t.tap"));
  auto img = TapImage::Open(dir.File("t.tap"), true, false);
  ASSERT_TRUE(img.ok());
  EXPECT_TRUE((*img)->read_only());
  EXPECT_EQ((*img)->AppendTapeMarks(1).code(), ErrorCode::kReadOnly);
}

}  // namespace
}  // namespace tsfs::vtape
