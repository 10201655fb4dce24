// The read paths only tgtd takes: a fixed READ that meets end of data or a
// record of another length answers MEDIUM ERROR 31/00 with no count of the
// good blocks (TARGETS.md), so the reader goes back to where that READ
// started (rewind, SPACE filemarks, SPACE blocks: tgtd has no LOCATE) and
// reads block by block. Every byte comes back exactly, and the files
// before and after still read.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/targets.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;

// Writes records straight to the target: each inner vector is one file of
// records (512 bytes: fixed blocks, other lengths: variable records); a
// filemark after each file unless `last_filemark` is false.
std::vector<std::vector<uint8_t>> WriteRecords(const std::string& uri,
                                               const std::vector<std::vector<size_t>>& files,
                                               bool last_filemark) {
  std::vector<std::vector<uint8_t>> out;
  auto t = OpenSource(uri);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return out;
  Ssc ssc(**t);
  for (int i = 0; i < 4; ++i) {
    if (ssc.TestUnitReady().ok()) break;
  }
  EXPECT_TRUE(ssc.Rewind().ok());
  uint32_t seed = 40;
  for (size_t f = 0; f < files.size(); ++f) {
    std::vector<uint8_t> bytes;
    for (size_t len : files[f]) {
      const auto data = Pattern(len, seed++);
      const uint32_t block = len == 512 ? 512 : 0;
      EXPECT_TRUE(ssc.ModeSelectBlockLength(block).ok());
      auto w = ssc.Write(data, block);
      EXPECT_TRUE(w.ok()) << w.status().ToString();
      bytes.insert(bytes.end(), data.begin(), data.end());
    }
    const bool mark = last_filemark || f + 1 < files.size();
    EXPECT_TRUE(ssc.WriteFilemarks(mark ? 1 : 0).ok());
    out.push_back(std::move(bytes));
  }
  return out;
}

std::unique_ptr<TapeUnit> OpenUnit(const std::string& uri, CapturingLogger& log,
                                   UnitConfig config = {}) {
  config.device = uri;
  auto unit = TapeUnit::Open(config, log);
  EXPECT_TRUE(unit.ok()) << unit.status().ToString();
  return unit.ok() ? std::move(unit).value() : nullptr;
}

// File 1 has no filemark and is longer than one READ: the READ that meets
// end of data is answered 31/00 after some blocks were read already, so
// the reader spaces back to file 1 and over those blocks.
TEST(ReaderTgtdPathsTest, EndOfDataWithoutFilemarkAfterSomeReads) {
  testing::TargetOptions options;
  options.size_mb = 32;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  std::vector<size_t> big(5000, 512);  // 2.5 MB: several READs
  const auto files = WriteRecords(target->uri(), {{512, 512, 512}, big}, false);
  ASSERT_EQ(files.size(), 2u);
  CapturingLogger log;
  UnitConfig config;
  config.buffer_kb = 256;
  auto unit = OpenUnit(target->uri(), log, config);
  ASSERT_NE(unit, nullptr);
  auto list = unit->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[1].complete);
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
  list = unit->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE((*list)[1].size_known);
  EXPECT_EQ((*list)[1].bytes, files[1].size());
  EXPECT_FALSE(log.Contains("Media error on read")) << "31/00 at end of data is no error";
  ASSERT_TRUE(unit->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(*unit, 0), files[0]);
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
}

// A record of another length in a file of fixed blocks: the fixed READ is
// answered 31/00, the blocks before the record are read one by one, and the
// record and the rest of the file as variable records with their exact
// lengths (tgtd garbles a read of another length).
TEST(ReaderTgtdPathsTest, OddRecordInAFixedBlockFile) {
  testing::TargetOptions options;
  options.size_mb = 16;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  const auto files =
      WriteRecords(target->uri(), {{512, 512, 512, 700, 512, 300, 512}, {512, 512}}, true);
  ASSERT_EQ(files.size(), 2u);
  CapturingLogger log;
  auto unit = OpenUnit(target->uri(), log);
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(ReadWholeFile(*unit, 0), files[0]);
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
  auto list = unit->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].bytes, files[0].size());
  EXPECT_EQ((*list)[0].blocks, 7u);
  EXPECT_FALSE(log.Contains("Media error on read"));
  ASSERT_TRUE(unit->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(*unit, 0, 100), files[0]);  // small reads: the same bytes
}

// The same with the odd record last and no filemark after it: block by
// block to the record, then variable reads to end of data.
TEST(ReaderTgtdPathsTest, OddLastRecordWithoutFilemark) {
  testing::TargetOptions options;
  options.size_mb = 16;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  const auto files = WriteRecords(target->uri(), {{512}, {512, 512, 1000}}, false);
  ASSERT_EQ(files.size(), 2u);
  CapturingLogger log;
  auto unit = OpenUnit(target->uri(), log);
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
  EXPECT_EQ(ReadWholeFile(*unit, 0), Padded(files[0]));
  // Appending writes the cut file's filemark first; file 1 stays.
  ASSERT_TRUE(unit->Ioctl(MtOp::kRewind, 0).ok());
  const auto third = Pattern(1500, 9);
  EXPECT_EQ(unit_testing::AppendFile(*unit, third), 2);
  ASSERT_TRUE(unit->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
  EXPECT_EQ(ReadWholeFile(*unit, 2), Padded(third));
}

// Variable records of 300 KiB (tgtd: read with the longest length seen):
// three fit a 1 MiB slot, the fourth waits for the next slot instead of
// being read into what is left of this one.
TEST(ReaderTgtdPathsTest, VariableRecordsThatDoNotFitWhatIsLeftOfASlot) {
  testing::TargetOptions options;
  options.size_mb = 16;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  const std::vector<size_t> records(5, 300 * 1024);
  const auto files = WriteRecords(target->uri(), {records, {700}}, true);
  ASSERT_EQ(files.size(), 2u);
  CapturingLogger log;
  UnitConfig config;
  config.buffer_kb = 2048;  // two slots of 1 MiB in each buffer
  auto unit = OpenUnit(target->uri(), log, config);
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(ReadWholeFile(*unit, 0, 100000), files[0]);
  EXPECT_EQ(ReadWholeFile(*unit, 1), files[1]);
  auto list = unit->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ((*list)[0].bytes, files[0].size());
  EXPECT_EQ((*list)[0].blocks, 5u);
}

}  // namespace
}  // namespace tsfs
