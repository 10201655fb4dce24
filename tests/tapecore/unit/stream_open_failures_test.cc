// Opening a stream when a command on the way fails (vtape fault rules):
// the TEST UNIT READY before an append or a read, the SPACE to end of data
// or to the file of an overwrite, the erase before a write from BOT, the
// retension of autoret. Each is refused with the drive's sense and ts
// words, logged, and leaves every file as it was; the next try works.
// And the close of a part-read file that has no filemark.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::kThreeFilesEndOfData;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

TEST(StreamOpenFailuresTest, NotReadyBeforeAnAppendRefusesIt) {
  VtapeUnit t("capacity=16M");
  auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@" + std::to_string(kThreeFilesEndOfData) + ":notready");
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 0).ok());
  Result<int> refused = t->OpenAppend();
  ExpectCommandFailed(refused.status(), t.log(), SenseKey::kNotReady, 0x04, 0x00,
                      "Tape not ready on test unit ready");
  files.push_back(Pattern(800, 4));
  EXPECT_EQ(AppendFile(t.unit(), files.back()), 3);
  ExpectFilesIntact(t.unit(), files);
}

TEST(StreamOpenFailuresTest, NotReadyBeforeAReadIsTheReadsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@7:notready");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());  // at object 7
  ASSERT_TRUE(t->OpenRead(1).ok());
  std::vector<uint8_t> buf(4096);
  Result<size_t> n = t->Read(buf);
  ExpectCommandFailed(n.status(), t.log(), SenseKey::kNotReady, 0x04, 0x00,
                      "Tape not ready on test unit ready");
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

TEST(StreamOpenFailuresTest, FailingSpaceToEndOfDataRefusesTheOverwriteThere) {
  VtapeUnit t("capacity=16M&fail=space@0:hardware");
  auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ExpectCommandFailed(t->OpenOverwrite(3), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on space");
  ASSERT_TRUE(t->OpenOverwrite(3).ok());
  files.push_back(Pattern(1200, 6));
  ASSERT_TRUE(t->Write(files.back()).ok());
  ASSERT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

TEST(StreamOpenFailuresTest, FailingSpaceToTheFileRefusesItsOverwrite) {
  VtapeUnit t("capacity=16M&fail=locate@1:medium,space@0:aborted");
  auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ExpectCommandFailed(t->OpenOverwrite(2), t.log(), SenseKey::kAbortedCommand, 0x4B, 0x00,
                      "Aborted command on space");
  EXPECT_TRUE(t.log().Contains("Media error on locate"));
  ExpectFilesIntact(t.unit(), files);
  ASSERT_TRUE(t->OpenOverwrite(2).ok());
  files[2] = Pattern(1700, 8);
  ASSERT_TRUE(t->Write(files[2]).ok());
  ASSERT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

// An ERASE before a write from BOT that fails with a medium error (not a
// refusal) refuses the write: nothing was erased, nothing written.
TEST(StreamOpenFailuresTest, FailingEraseRefusesTheWriteFromBot) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:medium");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ExpectCommandFailed(t->OpenOverwrite(0), t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on erase");
  EXPECT_FALSE(t.log().Contains("Illegal request on erase"));
  ExpectFilesIntact(t.unit(), files);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
}

// autoret: the first read after open retensions; a LOAD that fails then is
// the read's error, and the next read finds the file.
TEST(StreamOpenFailuresTest, FailingAutoretRetensionIsTheReadsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  UnitConfig config;
  config.autoret = true;
  t.Reopen("capacity=16M&fail=load@0:hardware", config);
  ASSERT_TRUE(t->OpenRead(1).ok());
  std::vector<uint8_t> buf(4096);
  Result<size_t> n = t->Read(buf);
  ExpectCommandFailed(n.status(), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on retension");
  EXPECT_TRUE(t->Close().ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

TEST(StreamOpenFailuresTest, ReadOfANegativeFileIsNotFound) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  Status s = t->OpenRead(-1);
  EXPECT_EQ(s.code(), ErrorCode::kNotFound) << s.ToString();
  EXPECT_NE(s.ToString().find("tape file -1 does not exist"), std::string::npos) << s.ToString();
  ExpectFilesIntact(t.unit(), files);
}

// ts: closing a file part-way spaces to the next file; the last file of a
// cut tape has no filemark, so that SPACE ends at end of data. The unit
// then knows no position, and every file still reads.
TEST(StreamOpenFailuresTest, ClosingAPartReadFileWithoutFilemarkEndsAtEndOfData) {
  VtapeUnit t;
  t.Drop();
  vtape::testing::TapBytes tap;
  const auto first = Pattern(1024, 1);
  std::vector<uint8_t> second;
  tap.Record({first.begin(), first.begin() + 512}).Record({first.begin() + 512, first.end()});
  tap.Mark();
  for (uint32_t i = 0; i < 2000; ++i) {  // 1 MB, no filemark: more than the buffers
    const auto block = Pattern(512, 100 + i);
    tap.Record(block);
    second.insert(second.end(), block.begin(), block.end());
  }
  tap.WriteTo(t.image());
  UnitConfig config;
  config.buffer_kb = 64;
  t.Reopen("", config);
  ASSERT_TRUE(t->OpenRead(1).ok());
  std::vector<uint8_t> buf(512);
  Result<size_t> n = t->Read(buf);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(*n, 512u);
  EXPECT_TRUE(std::equal(buf.begin(), buf.end(), second.begin()));
  ASSERT_TRUE(t->Close().ok());
  auto st = t->GetStatus();
  ASSERT_TRUE(st.ok());
  EXPECT_FALSE(st->file_number.has_value());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), first);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), second);
}

}  // namespace
}  // namespace tsfs
