// The catalog on vtape: O(files) tape motion, an incomplete last file,
// rebuilt after a tape change; tapes written elsewhere in variable records;
// appending at a verified end of data; positioning by LOCATE.
#include <gtest/gtest.h>

#include <fstream>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::kOpLocate10;
using unit_testing::kOpRead6;
using unit_testing::kOpReadPosition;
using unit_testing::kOpRewind;
using unit_testing::kOpSpace6;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

// SIMH .tap bytes, written by hand as another program would have.
class SimhImage {
 public:
  SimhImage& Record(const std::vector<uint8_t>& data) {
    Le32(static_cast<uint32_t>(data.size()));
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    if (data.size() & 1) bytes_.push_back(0);
    Le32(static_cast<uint32_t>(data.size()));
    return *this;
  }
  SimhImage& Mark() {
    Le32(0);
    return *this;
  }
  void WriteTo(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes_.data()),
            static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  void Le32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

std::vector<uint8_t> Cat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

TEST(TapeUnitCatalogTest, BuiltWithOneSpacePerFile) {
  VtapeUnit t("capacity=32M");
  const size_t sizes[] = {100 * 1024, 512, 0, 70000, 3 * 1024 * 1024};
  for (size_t i = 0; i < std::size(sizes); ++i) {
    AppendFile(t.unit(), Pattern(sizes[i], static_cast<uint32_t>(i)));
  }
  t.Reopen();  // a fresh unit knows nothing yet
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), std::size(sizes));
  for (size_t i = 0; i < std::size(sizes); ++i) {
    EXPECT_EQ((*files)[i].index, static_cast<int>(i));
    EXPECT_EQ((*files)[i].blocks, (sizes[i] + 511) / 512) << i;
    EXPECT_TRUE((*files)[i].size_known);
    EXPECT_TRUE((*files)[i].complete);
  }
  // O(files), not O(bytes): per file one READ of its first record (an
  // empty file's READ meets its filemark) and one SPACE to the next file,
  // plus the READ that meets end of data.
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), std::size(sizes) - 1);
  EXPECT_EQ(t.cdbs().Count(kOpRead6), std::size(sizes) + 1);
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 1u);
  // Cached: asking again moves nothing.
  t.cdbs().Clear();
  ASSERT_TRUE(t->Catalog().ok());
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), 0u);
  EXPECT_EQ(t.cdbs().Count(0x00), 0u);  // not even TEST UNIT READY
}

TEST(TapeUnitCatalogTest, OneFileIsTheCatalogsEntryWithoutTapeMotionOnceKnown) {
  VtapeUnit t("capacity=16M");
  const size_t sizes[] = {2048, 0, 5000};
  for (size_t i = 0; i < std::size(sizes); ++i) {
    AppendFile(t.unit(), Pattern(sizes[i], static_cast<uint32_t>(i)));
  }
  t.Reopen();
  // The first call reads the catalog as Catalog() would.
  auto first = t->CatalogFile(2);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  ASSERT_TRUE(first->has_value());
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  t.cdbs().Clear();
  for (int i = 0; i < 3; ++i) {
    auto one = t->CatalogFile(i);
    ASSERT_TRUE(one.ok()) << one.status().ToString();
    ASSERT_TRUE(one->has_value()) << i;
    const TapeFileInfo& f = **one;
    EXPECT_EQ(f.index, i);
    EXPECT_EQ(f.blocks, (*files)[static_cast<size_t>(i)].blocks) << i;
    EXPECT_EQ(f.bytes, (*files)[static_cast<size_t>(i)].bytes) << i;
    EXPECT_EQ(f.size_known, (*files)[static_cast<size_t>(i)].size_known) << i;
    EXPECT_EQ(f.first_record, (*files)[static_cast<size_t>(i)].first_record) << i;
  }
  for (int past : {3, 100, -1}) {
    auto none = t->CatalogFile(past);
    ASSERT_TRUE(none.ok()) << none.status().ToString();
    EXPECT_FALSE(none->has_value()) << past;
  }
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), 0u);
  EXPECT_EQ(t.cdbs().Count(0x00), 0u);
}

TEST(TapeUnitCatalogTest, LastFileWithoutFilemarkIsListedWithItsBlocks) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1024, 1));
  {
    // A crash mid-write: three blocks of a second file, no filemark.
    Ssc ssc(t.cdbs().inner());
    ASSERT_TRUE(ssc.ModeSelectBlockLength(512).ok());
    auto w = ssc.Write(Pattern(3 * 512, 2), 512);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
  }
  t.Reopen();
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  EXPECT_TRUE((*files)[0].complete);
  EXPECT_FALSE((*files)[1].complete);
  EXPECT_EQ((*files)[1].blocks, 3u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Pattern(3 * 512, 2));
  // Appending ends the incomplete file first, so its blocks stay its own.
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(AppendFile(t.unit(), Pattern(600, 3)), 2);
  files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_TRUE((*files)[1].complete);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Pattern(3 * 512, 2));
  EXPECT_EQ(ReadWholeFile(t.unit(), 2), Padded(Pattern(600, 3)));
}

TEST(TapeUnitCatalogTest, RebuiltAfterATapeChange) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1024, 4));
  AppendFile(t.unit(), Pattern(1024, 5));
  ASSERT_EQ(t->Catalog()->size(), 2u);
  // Another tape: one file of 10 blocks.
  const std::string other = t.dir("other.tap");
  SimhImage img;
  for (int i = 0; i < 10; ++i) img.Record(Pattern(512, 100 + i));
  img.Mark();
  img.WriteTo(other);
  ASSERT_TRUE(t.vtape().ChangeTape(other).ok());
  t.cdbs().Clear();
  // The catalog alone asks the drive nothing: still the old tape's.
  ASSERT_EQ(t->Catalog()->size(), 2u);
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), 0u);
  EXPECT_EQ(t.cdbs().Count(0x00), 0u);  // not even TEST UNIT READY
  // The TEST UNIT READY an open sends notices the change.
  ASSERT_TRUE(t->CheckMedium().ok());
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].blocks, 10u);
  EXPECT_GE(t.cdbs().Count(kOpRead6), 2u);  // really scanned again
  EXPECT_GE(t.cdbs().Count(kOpSpace6), 1u);
  EXPECT_TRUE(t.log().Contains("tape changed"));
}

TEST(TapeUnitCatalogTest, VariableRecordTapesReadAsOneByteStream) {
  VtapeUnit t("capacity=16M");
  // tar-like: 10240-byte records, a short last record, then a second file.
  const auto r0 = Pattern(10240, 1), r1 = Pattern(10240, 2), r2 = Pattern(10240, 3);
  const auto s0 = Pattern(10240, 4), s1 = Pattern(1000, 5), s2 = Pattern(10240, 6);
  SimhImage img;
  img.Record(r0).Record(r1).Record(r2).Mark().Record(s0).Record(s1).Record(s2).Mark();
  t.Drop();
  img.WriteTo(t.image());
  t.Reopen();
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0, 3000), Cat({r0, r1, r2}));
  EXPECT_EQ(ReadWholeFile(t.unit(), 1, 4096), Cat({s0, s1, s2}));
  // Once read, the size is the real byte count; objects are records.
  files = t->Catalog();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ((*files)[0].blocks, 3u);
  EXPECT_EQ((*files)[0].bytes, 3u * 10240);
  EXPECT_EQ((*files)[1].blocks, 3u);
  EXPECT_EQ((*files)[1].bytes, 2u * 10240 + 1000);
  EXPECT_TRUE((*files)[1].size_exact);
}

TEST(TapeUnitCatalogTest, AppendsAtAVerifiedEndOfData) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(2048, 7));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  t.cdbs().Clear();
  EXPECT_EQ(AppendFile(t.unit(), Pattern(2048, 8)), 1);
  // SPACE end-of-data, then a READ that must answer end of data, before
  // anything is written.
  const auto cdbs = t.cdbs().Cdbs();
  size_t space_eod = cdbs.size(), verify = cdbs.size(), write = cdbs.size();
  for (size_t i = 0; i < cdbs.size(); ++i) {
    if (cdbs[i][0] == kOpSpace6 && (cdbs[i][1] & 0x07) == 3 && space_eod == cdbs.size()) {
      space_eod = i;
    }
    if (cdbs[i][0] == kOpRead6 && i > space_eod && verify == cdbs.size()) verify = i;
    if (cdbs[i][0] == unit_testing::kOpWrite6 && write == cdbs.size()) write = i;
  }
  ASSERT_LT(space_eod, cdbs.size());
  ASSERT_LT(verify, cdbs.size());
  EXPECT_LT(verify, write);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Pattern(2048, 7));
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Pattern(2048, 8));
}

TEST(TapeUnitCatalogTest, LocatesWhereTheDriveCan) {
  VtapeUnit t("capacity=16M");
  for (int i = 0; i < 5; ++i) AppendFile(t.unit(), Pattern(4096, 10 + i));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  t.cdbs().Clear();
  EXPECT_EQ(ReadWholeFile(t.unit(), 3), Pattern(4096, 13));
  EXPECT_EQ(t.cdbs().Count(kOpLocate10), 1u);  // vtape: LOCATE is safe and trusted
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), 0u);
  // Behind the current file: LOCATE back, no rewind needed.
  t.cdbs().Clear();
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Pattern(4096, 11));
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 0u);
  (void)kOpReadPosition;
}

TEST(TapeUnitCatalogTest, OverwriteTruncatesTheTapeThere) {
  VtapeUnit t("capacity=16M");
  for (int i = 0; i < 3; ++i) AppendFile(t.unit(), Pattern(1024, 20 + i));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenOverwrite(1).ok());
  ASSERT_TRUE(t->Write(Pattern(5000, 30)).ok());
  ASSERT_TRUE(t->Close().ok());
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[1].blocks, 10u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Pattern(1024, 20));
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(Pattern(5000, 30)));
  EXPECT_EQ(t->OpenOverwrite(5).code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tsfs
