// Error paths of the unit that the normal streams never take, each with
// its outcome asserted (the Status and its ts words, the log, nothing lost):
// a write call that fails part-way is not counted as accepted, the end of
// data check before an append failing, SPACE to end of data failing, and
// the REWIND and SPACE of positioning for a read failing.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kThreeFilesEndOfData;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

// ts: "the call fails as a whole". A write whose bytes were partly copied
// into the buffers when the background write failed does not count them
// as accepted, so the overflow message says no byte of an earlier,
// successful call was lost.
TEST(UnitFailurePathsTest, AFailingWriteCallIsNotCountedAsAccepted) {
  UnitConfig config;
  config.buffer_kb = 64;
  // Block 200 lies in the second buffer of the second call.
  VtapeUnit t("capacity=16M&fail=write@200:overflow", config);
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto first = Pattern(64 * 1024, 21);
  const auto second = Pattern(1024 * 1024, 22);
  ASSERT_TRUE(t->Write(first).ok());
  Status failed = t->Write(second);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.code(), ErrorCode::kNoSpace);
  EXPECT_NE(failed.message().find("Volume overflow on write"), std::string::npos)
      << failed.ToString();
  EXPECT_NE(failed.message().find(": 0 bytes written earlier did not reach the tape"),
            std::string::npos)
      << failed.ToString();
  EXPECT_TRUE(t.log().Contains("Volume overflow on write"));
  EXPECT_TRUE(t->Close().ok());  // reported once; the filemark is written
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  const auto back = ReadWholeFile(t.unit(), 0);
  ASSERT_EQ(back.size(), 200u * 512);  // the blocks before the failing one
  EXPECT_TRUE(std::equal(first.begin(), first.end(), back.begin()));
  EXPECT_TRUE(
      std::equal(back.begin() + static_cast<long>(first.size()), back.end(), second.begin()));
}

// Before an append the unit reads at end of data: a READ that fails there
// refuses the append with its ts words and leaves the tape as it was.
TEST(UnitFailurePathsTest, FailingEndOfDataCheckRefusesTheAppend) {
  VtapeUnit t("capacity=16M&fail=read@" + std::to_string(kThreeFilesEndOfData) + ":medium");
  const auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());  // not at end of data any more
  Result<int> refused = t->OpenAppend();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kScsi);
  EXPECT_NE(refused.status().ToString().find("Media error on read"), std::string::npos)
      << refused.status().ToString();
  EXPECT_TRUE(t.log().Contains("Media error on read"));
  EXPECT_EQ(t->stream(), StreamKind::kNone);
  // Once the drive answers again, the append goes after the last file.
  auto more = files;
  more.push_back(Pattern(700, 4));
  EXPECT_EQ(AppendFile(t.unit(), more.back()), 3);
  ExpectFilesIntact(t.unit(), more);
}

TEST(UnitFailurePathsTest, FailingSpaceToEndOfDataRefusesTheAppend) {
  VtapeUnit t("capacity=16M&fail=space@0:hardware");
  const auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  Result<int> refused = t->OpenAppend();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().ToString().find("Hardware error on space"), std::string::npos)
      << refused.status().ToString();
  EXPECT_TRUE(t.log().Contains("Hardware error on space"));
  auto more = files;
  more.push_back(Pattern(2000, 5));
  EXPECT_EQ(AppendFile(t.unit(), more.back()), 3);
  ExpectFilesIntact(t.unit(), more);
}

// Reading file 0 from further on rewinds: a failing REWIND is the read's
// error, and the next read finds the file. (A fresh unit: the probe at
// open rewinds from objects 0 and 1.)
TEST(UnitFailurePathsTest, FailingRewindBeforeAReadIsTheReadsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=rewind@2:hardware");
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));  // leaves the tape at file 2
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(4096);
  Result<size_t> n = t->Read(buf);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().ToString().find("Hardware error on rewind"), std::string::npos)
      << n.status().ToString();
  EXPECT_TRUE(t.log().Contains("Hardware error on rewind"));
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

// File 2 is reached with LOCATE; when that fails the unit rewinds and
// spaces; a SPACE that fails then is the read's error.
TEST(UnitFailurePathsTest, FailingLocateThenSpaceIsTheReadsError) {
  VtapeUnit t("capacity=16M&fail=locate@1:medium,space@0:aborted");
  const auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());  // ts: no read after a write before it
  ASSERT_TRUE(t->OpenRead(2).ok());
  std::vector<uint8_t> buf(4096);
  Result<size_t> n = t->Read(buf);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().ToString().find("Aborted command on space"), std::string::npos)
      << n.status().ToString();
  EXPECT_TRUE(t.log().Contains("Media error on locate"));
  EXPECT_TRUE(t.log().Contains("Aborted command on space"));
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

// Where LOCATE fails and the tape is past the file, the unit rewinds to
// space from BOT: a REWIND that fails then is the read's error.
TEST(UnitFailurePathsTest, FailingLocateThenRewindIsTheReadsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=locate@1:medium,rewind@5:hardware");
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 0).ok());  // scanned from BOT, now at object 21
  ASSERT_TRUE(t->OpenRead(2).ok());
  std::vector<uint8_t> buf(4096);
  Result<size_t> n = t->Read(buf);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().ToString().find("Hardware error on rewind"), std::string::npos)
      << n.status().ToString();
  EXPECT_TRUE(t.log().Contains("Media error on locate"));
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
