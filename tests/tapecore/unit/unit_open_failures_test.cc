// Opening, status, release and the catalog when the drive fails a command
// or the caller asks for what cannot be: each outcome asserted (the Status
// with its sense and ts diagnostic, the log, the ErrorCode that fusefs maps
// to an errno), and no file lost.
#include <gtest/gtest.h>

#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpRewind;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

// A unit opened on a fresh image with these vtape options, expected to fail.
Status OpenFails(const std::string& options, CapturingLogger& log, UnitConfig config = {}) {
  auto dir = testing::TempDir::Create("unit_open");
  EXPECT_TRUE(dir.ok());
  config.device =
      "vtape:" + dir->File("t.tap") + "?create" + (options.empty() ? "" : "&") + options;
  auto unit = TapeUnit::Open(config, log);
  EXPECT_FALSE(unit.ok());
  return unit.ok() ? Status::Ok() : unit.status();
}

TEST(UnitOpenFailuresTest, DriveNotReadyAtOpen) {
  CapturingLogger log;
  Status s = OpenFails("fail=tur@0:notready", log);
  ExpectCommandFailed(s, log, SenseKey::kNotReady, 0x04, 0x00, "Tape not ready on test unit ready");
  EXPECT_NE(s.context().find("open vtape:"), std::string::npos) << s.ToString();
}

TEST(UnitOpenFailuresTest, FailingProbeFailsTheOpen) {
  CapturingLogger log;
  ExpectCommandFailed(OpenFails("fail=rewind@0:hardware", log), log, SenseKey::kHardwareError, 0x44,
                      0x00, "Hardware error on rewind");
}

TEST(UnitOpenFailuresTest, ConfigurationsThatCannotWorkAreRefused) {
  CapturingLogger log;
  UnitConfig config;
  config.block_size = 0;
  EXPECT_EQ(OpenFails("", log, config).code(), ErrorCode::kInvalidArgument);
  config.block_size = 4096;
  config.buffer_kb = 2;
  Status small = OpenFails("", log, config);
  EXPECT_EQ(small.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(small.message().find("buffer-kb must hold at least one block"), std::string::npos);
  EXPECT_EQ(TapeUnit::Open(UnitConfig{}, log).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(TapeUnit::Open(UnitConfig{}, nullptr, log).status().code(),
            ErrorCode::kInvalidArgument);
}

// ts: the rts0..rts7 names rewind at release. A failing REWIND is the
// release's error (logged); a second release has nothing to do.
TEST(UnitOpenFailuresTest, FailingRewindAtRelease) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=rewind@2:hardware");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  ExpectCommandFailed(t->Release(), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on rewind");
  t.cdbs().Clear();
  EXPECT_TRUE(t->Release().ok());
  EXPECT_TRUE(t.cdbs().Cdbs().empty());
  ExpectFilesIntact(t.unit(), files);
}

// A new session answers the release's REWIND with UNIT ATTENTION: once more.
TEST(UnitOpenFailuresTest, UnitAttentionAtReleaseRewindsAgain) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=rewind@2:unitattention");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  EXPECT_TRUE(t->Release().ok());
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 2u);
  ExpectFilesIntact(t.unit(), files);
}

// Status with a drive that stops answering ready: offline, not an error.
TEST(UnitOpenFailuresTest, StatusOfADriveThatIsNotReadyIsOffline) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@2:notready");
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_FALSE(st->online);
  EXPECT_TRUE(t.log().Contains("Tape not ready on test unit ready"));
  Status check = t->CheckMedium();  // the rule fired once
  EXPECT_TRUE(check.ok()) << check.ToString();
  st = t->GetStatus();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->online);
  ExpectFilesIntact(t.unit(), files);
}

// An open file that has not read yet has not scanned the tape: the
// catalog is not known and the drive is not free to find it (EBUSY).
TEST(UnitOpenFailuresTest, CatalogWhileAFileIsOpenBeforeAnyScanIsBusy) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M");
  ASSERT_TRUE(t->OpenRead(1).ok());
  auto list = t->Catalog();
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), ErrorCode::kBusy);
  EXPECT_NE(list.status().ToString().find("the tape is busy with an open file"), std::string::npos);
  EXPECT_EQ(t->CatalogFile(0).status().code(), ErrorCode::kBusy);
  ASSERT_TRUE(t->Close().ok());
  list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), files.size());
}

}  // namespace
}  // namespace tsfs
