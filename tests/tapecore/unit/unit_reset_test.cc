// A drive reset (UNIT ATTENTION 29/00; vtape fail=CMD@BLOCK:reset puts the
// drive at BOT in variable-block mode first, as tgtd and istgt on a new
// session): the unit sets the block length again, checks it still has the
// same tape, and goes back to where it was, so that the next append lands
// after the last file and the next read finds its file.
#include <gtest/gtest.h>

#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpLocate10;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

constexpr uint8_t kOpModeSelect6 = 0x15;
constexpr const char* kResetLine =
    "the drive was reset or its session was logged in again: the block length and the position "
    "are set again";

// The reset answers the TEST UNIT READY before an append, at end of data
// (object 21): the unit goes back there and the new file follows file 2.
TEST(UnitResetTest, ResetAtEndOfDataAppendsAfterTheLastFile) {
  VtapeUnit t("capacity=16M");
  auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@21:reset");
  ASSERT_TRUE(t->Catalog().ok());  // scanned: at end of data
  t.cdbs().Clear();
  files.push_back(Pattern(2500, 4));
  EXPECT_EQ(AppendFile(t.unit(), files.back()), 3);
  EXPECT_TRUE(t.log().Contains(kResetLine));
  EXPECT_GE(t.cdbs().Count(kOpModeSelect6), 1u);
  ExpectFilesIntact(t.unit(), files);
}

// The reset answers a TEST UNIT READY at the start of file 1 (after file 0
// was read): the unit finds that start again.
TEST(UnitResetTest, ResetAtAFileStartGoesBackThere) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@7:reset");
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(files[0]));  // now at object 7
  t.cdbs().Clear();
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(t.log().Contains(kResetLine));
  EXPECT_EQ(st->file_number, 1);
  EXPECT_EQ(st->block_number, 0);
  EXPECT_EQ(t.cdbs().Count(kOpLocate10), 1u);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

// The reset answers an mt fsf's SPACE: the fsf fails (the drive did not
// space), the next command sets the drive up again, and as no catalog is
// known yet there is no place to go back to.
TEST(UnitResetTest, ResetAnsweringAnFsfFailsItAndTheNextWorks) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=space@0:reset");
  Status s = t->Ioctl(MtOp::kFsf, 1);
  ASSERT_FALSE(s.ok());
  ASSERT_NE(s.sense(), nullptr);
  EXPECT_TRUE(s.sense()->Is(SenseKey::kUnitAttention, 0x29, 0x00)) << s.ToString();
  t.cdbs().Clear();
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  EXPECT_TRUE(t.log().Contains(kResetLine));
  EXPECT_EQ(t.cdbs().Count(kOpModeSelect6), 1u);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
