// mt operations around streams and checks, beyond unit_ioctl_failures_test.cc:
// the drive not ready for an ioctl, mt weof 0, mt fsf 1 through a file being
// read (the close already went to the next file), mt rewind through a file
// whose filemark fails (the close's error is returned, the rewind done), and
// autoret's retension failing before the first ioctl.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

// The TEST UNIT READY of the ioctl (after the open's two) answers NOT READY.
TEST(UnitIoctlSequenceTest, DriveNotReadyFailsTheIoctl) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@0:notready+2");
  const uint64_t rewinds = t.vtape().Stats().rewinds;
  Status s = t->Ioctl(MtOp::kRewind, 1);
  ExpectCommandFailed(s, t.log(), SenseKey::kNotReady, 0x04, 0x00,
                      "Tape not ready on test unit ready");
  EXPECT_EQ(t.vtape().Stats().rewinds, rewinds);
  ExpectFilesIntact(t.unit(), files);
}

// mt weof 0 writes nothing (and is not a write: a read may follow).
TEST(UnitIoctlSequenceTest, WeofZeroWritesNothing) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  const uint64_t marks = t.vtape().Stats().filemarks_written;
  ASSERT_TRUE(t->Ioctl(MtOp::kWeof, 0).ok());
  EXPECT_EQ(t.vtape().Stats().filemarks_written, marks);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

// mt fsf 1 on a descriptor that has read part of file 0: closing the read
// stream went to the start of file 1 already, so that is where it ends.
TEST(UnitIoctlSequenceTest, FsfThroughAFileBeingReadCountsTheClose) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M");
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(512);
  Result<size_t> n = t->Read(buf);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(*n, 512u);
  EXPECT_EQ(buf, std::vector<uint8_t>(files[0].begin(), files[0].begin() + 512));
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_EQ(st->file_number, 1);
  EXPECT_EQ(st->block_number, 0);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), Padded(files[1]));
  ExpectFilesIntact(t.unit(), files);
}

// mt rewind through a file being written whose filemark fails: the ioctl
// returns the close's error; the rewind was done all the same.
TEST(UnitIoctlSequenceTest, RewindThroughAFailingCloseReturnsTheClosesError) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=wfm@0:medium");
  Result<int> index = t->OpenAppend();
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ASSERT_TRUE(t->Write(Pattern(1024, 8)).ok());
  Status s = t->Ioctl(MtOp::kRewind, 1);
  ExpectCommandFailed(s, t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on write file marks");
  EXPECT_EQ(t.vtape().Stats().position, 0u);
  ExpectFilesIntact(t.unit(), files);
}

// autoret: the first ioctl retensions first; when that fails the ioctl
// fails with it and has not run. The retension is tried once per tape
// change (Retension clears the request first): the next ioctl just runs.
TEST(UnitIoctlSequenceTest, AutoretRetensionFailingFailsTheFirstIoctl) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  UnitConfig config;
  config.autoret = true;
  t.Reopen("capacity=16M&fail=load@0:hardware", config);
  Status s = t->Ioctl(MtOp::kEod, 1);
  ExpectCommandFailed(s, t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on retension");
  EXPECT_EQ(t.vtape().Stats().retensions, 0u);
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 1).ok());
  EXPECT_EQ(t.vtape().Stats().retensions, 0u);
  EXPECT_EQ(t.vtape().Stats().position, unit_testing::kThreeFilesEndOfData);
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
