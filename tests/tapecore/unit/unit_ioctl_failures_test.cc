// The mt operations of ts(4) when the drive fails them: each gives the
// sense of the failure and its ts diagnostic (in the Status and the log),
// and no earlier file is lost. The three files of WriteThreeFiles lie at
// objects 0-5, 7-16 and 18-19 with filemarks after each (end of data 21);
// the probe at open only touches objects 0 and 1, so a fault rule at 2 or
// later is left for the operation under test.
#include <gtest/gtest.h>

#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpErase;
using unit_testing::kOpRewind;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

TEST(UnitIoctlFailuresTest, FailingRewindLeavesThePositionUnknown) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=rewind@3:hardware");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 2).ok());  // object 18
  Status s = t->Ioctl(MtOp::kRewind, 0);
  ExpectCommandFailed(s, t.log(), SenseKey::kHardwareError, 0x44, 0x00, "Hardware error on rewind");
  ExpectFilesIntact(t.unit(), files);  // the next rewind works
}

TEST(UnitIoctlFailuresTest, FailingFsfIsAMediaErrorOnSpace) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=space@0:medium");
  ExpectCommandFailed(t->Ioctl(MtOp::kFsf, 1), t.log(), SenseKey::kMediumError, 0x11, 0x00,
                      "Media error on space");
  // The position is unknown now: the read of file 1 finds it from the catalog.
  EXPECT_EQ(unit_testing::ReadWholeFile(t.unit(), 1), unit_testing::Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

TEST(UnitIoctlFailuresTest, NegativeCountIsRefusedBeforeAnyCommand) {
  VtapeUnit t("capacity=16M");
  Status s = t->Ioctl(MtOp::kFsf, -1);
  EXPECT_EQ(s.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(s.context(), "mt fsf");
  EXPECT_EQ(s.message(), "negative count");
  EXPECT_TRUE(t.cdbs().Cdbs().empty());
}

// A failing WRITE FILEMARKS at end of data leaves the catalog unsure (the
// filemark may be on the tape): it is read again, and finds the files.
TEST(UnitIoctlFailuresTest, FailingWeofDropsTheCatalogAndLosesNothing) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=wfm@0:medium");
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 0).ok());
  ExpectCommandFailed(t->Ioctl(MtOp::kWeof, 1), t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on write file marks");
  t.cdbs().Clear();
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), files.size());
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 1u);  // scanned again
  ExpectFilesIntact(t.unit(), files);
}

TEST(UnitIoctlFailuresTest, FailingRetensionIsTheLoadsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=load@0:hardware");
  ExpectCommandFailed(t->Ioctl(MtOp::kRetension, 0), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on retension");
  ASSERT_TRUE(t->Ioctl(MtOp::kRetension, 0).ok());  // the rule fired once
  ExpectFilesIntact(t.unit(), files);
}

// An ERASE that fails with a medium error did not erase: the files stay.
TEST(UnitIoctlFailuresTest, FailingEraseKeepsTheFiles) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:medium");
  ExpectCommandFailed(t->Ioctl(MtOp::kErase, 0), t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on erase");
  ExpectFilesIntact(t.unit(), files);
}

TEST(UnitIoctlFailuresTest, FailingRewindBeforeTheEraseKeepsTheFiles) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=rewind@2:hardware");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  ExpectCommandFailed(t->Ioctl(MtOp::kErase, 0), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on rewind");
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);
  ExpectFilesIntact(t.unit(), files);
}

// A drive that refuses ERASE (ILLEGAL REQUEST 24/00, with and without
// IMMED): mt erase gives the refusal, again without asking the drive the
// second time; a write from BOT goes on without erasing.
TEST(UnitIoctlFailuresTest, RefusedEraseIsUnsupportedAndAWriteFromBotGoesOn) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:illegal*2");
  Status s = t->Ioctl(MtOp::kErase, 0);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported) << s.ToString();  // EINVAL for an mt op
  ASSERT_NE(s.sense(), nullptr);
  EXPECT_TRUE(s.sense()->Is(SenseKey::kIllegalRequest, 0x24, 0x00));
  EXPECT_NE(s.ToString().find("Illegal request on erase"), std::string::npos) << s.ToString();
  EXPECT_TRUE(t.log().Contains("Illegal request on erase"));
  EXPECT_EQ(t.cdbs().Count(kOpErase), 2u);  // with IMMED, then without
  ExpectFilesIntact(t.unit(), files);

  t.cdbs().Clear();
  Status again = t->Ioctl(MtOp::kErase, 0);
  EXPECT_EQ(again.code(), ErrorCode::kUnsupported);
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);

  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());
  const auto mine = Pattern(2000, 9);
  ASSERT_TRUE(t->Write(mine).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);
  ExpectFilesIntact(t.unit(), {mine});
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
}

// IMMED refused alone: the erase is done in one long command.
TEST(UnitIoctlFailuresTest, EraseWithoutImmedWhenImmedIsRefused) {
  VtapeUnit t("capacity=16M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:illegal");
  ASSERT_TRUE(t->Ioctl(MtOp::kErase, 0).ok());
  EXPECT_EQ(t.cdbs().Count(kOpErase), 2u);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(AppendFile(t.unit(), Pattern(100, 1)), 0);
}

// mt eod needs the catalog: a scan that fails is the operation's error.
TEST(UnitIoctlFailuresTest, FailingCatalogScanIsTheEodsError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=read@7:medium");  // the first record of file 1
  Status s = t->Ioctl(MtOp::kEod, 0);
  ExpectCommandFailed(s, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on read");
  EXPECT_NE(s.ToString().find("catalog"), std::string::npos) << s.ToString();
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 0).ok());
  EXPECT_EQ(AppendFile(t.unit(), Pattern(100, 4)), 3);
}

}  // namespace
}  // namespace tsfs
