// The read and write streams when they are misused or the drive fails a
// command of theirs: calls out of order, a failing drive flush (fsync), a
// failing SPACE at the close of a file read part-way, and a UNIT ATTENTION
// in the middle of a file. Each outcome asserted; earlier files intact.
#include <gtest/gtest.h>

#include <string>

#include "tapecore/unit/diagnostics.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

TEST(UnitStreamFailuresTest, CallsOutOfOrderAreRefused) {
  VtapeUnit t("capacity=16M");
  auto files = WriteThreeFiles(t.unit());
  Status w = t->Write(Pattern(10, 1));
  EXPECT_EQ(w.code(), ErrorCode::kBadSequence);  // EIO
  EXPECT_EQ(w.message(), "no file open for writing");
  std::vector<uint8_t> buf(10);
  Result<size_t> r = t->Read(buf);
  EXPECT_EQ(r.status().code(), ErrorCode::kBadSequence);
  EXPECT_EQ(r.status().message(), "no file open for reading");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  Status missing = t->OpenRead(3);
  EXPECT_EQ(missing.code(), ErrorCode::kNotFound);  // ENOENT
  EXPECT_EQ(missing.message(), "tape file 3 does not exist");
  EXPECT_EQ(t->OpenOverwrite(4).code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->OpenOverwrite(-1).code(), ErrorCode::kNotFound);
  // Overwriting "file 3" of three is an append at end of data.
  ASSERT_TRUE(t->OpenOverwrite(3).ok());
  files.push_back(Pattern(700, 4));
  ASSERT_TRUE(t->Write(files.back()).ok());
  ASSERT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

// fsync after the file is closed asks the drive to write out its buffer
// (WRITE FILEMARKS 0): its failure is fsync's error. File 0 is objects 0-5
// with its filemark at 6; the drive is then at 7.
TEST(UnitStreamFailuresTest, FailingDriveFlushAfterCloseIsSyncsError) {
  VtapeUnit t("capacity=16M&fail=wfm@7:medium");
  const std::vector<std::vector<uint8_t>> files = {Pattern(3000, 1)};
  ASSERT_EQ(AppendFile(t.unit(), files[0]), 0);
  ExpectCommandFailed(t->Sync(), t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on write file marks");
  EXPECT_TRUE(t->Sync().ok());  // once
  ExpectFilesIntact(t.unit(), files);
}

// fsync of the open file: every byte goes to the tape, then the drive
// flush; its failure is fsync's error and the file still closes whole.
TEST(UnitStreamFailuresTest, FailingDriveFlushOfAnOpenFile) {
  VtapeUnit t("capacity=16M&fail=wfm@6:hardware");
  const std::vector<std::vector<uint8_t>> files = {Pattern(3000, 1)};
  ASSERT_TRUE(t->OpenAppend().ok());
  ASSERT_TRUE(t->Write(files[0]).ok());
  ExpectCommandFailed(t->Sync(), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on write file marks");
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

// ts: closing a file read part-way spaces to the next file. When that
// SPACE fails, close says so, and the next read finds its file anyway.
TEST(UnitStreamFailuresTest, FailingSpaceAtCloseOfAPartRead) {
  UnitConfig config;
  config.buffer_kb = 64;  // the reader stops long before the filemark
  VtapeUnit t("capacity=16M&fail=space@0:medium", config);
  const std::vector<std::vector<uint8_t>> files = {Pattern(1 << 20, 1), Pattern(2000, 2)};
  for (const auto& f : files) ASSERT_GE(AppendFile(t.unit(), f), 0);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(4096);
  ASSERT_TRUE(t->Read(buf).ok());
  ExpectCommandFailed(t->Close(), t.log(), SenseKey::kMediumError, 0x11, 0x00,
                      "Media error on space");
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

// A UNIT ATTENTION answering a WRITE of file 1 (here 28/00: the drive may
// hold another tape now): the write fails, close writes no filemark where
// the drive may no longer be, and file 0 is untouched.
TEST(UnitStreamFailuresTest, UnitAttentionInTheMiddleOfAFile) {
  VtapeUnit t("capacity=16M&fail=write@20:unitattention");
  const std::vector<std::vector<uint8_t>> files = {Pattern(3000, 1)};
  ASSERT_EQ(AppendFile(t.unit(), files[0]), 0);
  Result<int> index = t->OpenAppend();
  ASSERT_TRUE(index.ok() && *index == 1) << index.status().ToString();
  Status failed;
  for (int i = 0; i < 16 && failed.ok(); ++i) failed = t->Write(Pattern(65536, 10 + i));
  Status closed = t->Close();
  EXPECT_FALSE(failed.ok() && closed.ok());
  EXPECT_TRUE(t.log().Contains(kMsgCloseFilemark));
  EXPECT_TRUE(t.log().Contains("it stays without filemark"));
  // The tape holds file 0, then the blocks of file 1 before object 20.
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_FALSE((*list)[1].complete);
  ExpectFilesIntact(t.unit(), files);
  const auto first = Pattern(65536, 10);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1),
            std::vector<uint8_t>(first.begin(), first.begin() + (20 - 7) * 512));
}

}  // namespace
}  // namespace tsfs
