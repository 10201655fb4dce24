// fsync/flush paths of the write stream: the SPACE back over a padded last
// block failing when the file goes on, a sync after a write that failed in
// the background (reported once, then left to close), and a sync with no
// file open and nothing written.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectFilesIntact;
using unit_testing::kOpWriteFilemarks;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;

// 700 bytes, synced: two blocks on tape, the second zero-padded. More data
// backs over that block first (SPACE -1 at object 2); when that fails the
// write is refused and the file keeps what was synced.
TEST(SyncFailurePathsTest, FailingSpaceBackOverThePaddedBlock) {
  VtapeUnit t("capacity=16M&fail=space@2:medium");
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto first = Pattern(700, 1);
  ASSERT_TRUE(t->Write(first).ok());
  ASSERT_TRUE(t->Sync().ok());
  Status more = t->Write(Pattern(300, 2));
  EXPECT_EQ(more.code(), ErrorCode::kIo) << more.ToString();
  EXPECT_NE(more.message().find("cannot go back over the padded last block"), std::string::npos)
      << more.ToString();
  EXPECT_TRUE(t.log().Contains("Media error on space"));
  EXPECT_TRUE(t->Close().ok());
  ExpectFilesIntact(t.unit(), {first});
}

// A WRITE that fails in the background: the sync reports it (with its ts
// words), a second sync does not report it again, close says the rest.
TEST(SyncFailurePathsTest, BackgroundWriteFailureIsReportedByTheSyncOnce) {
  VtapeUnit t("capacity=16M&fail=write@0:medium");
  ASSERT_TRUE(t->OpenAppend().ok());
  ASSERT_TRUE(t->Write(Pattern(2000, 3)).ok());  // buffered
  Status s = t->Sync();
  ASSERT_FALSE(s.ok());
  ASSERT_NE(s.sense(), nullptr) << s.ToString();
  EXPECT_TRUE(s.sense()->Is(SenseKey::kMediumError, 0x0C, 0x00)) << s.ToString();
  EXPECT_TRUE(t.log().Contains("Media error on write"));
  EXPECT_TRUE(t->Sync().ok());  // reported before
  Status closed = t->Close();
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  // Close writes the filemark: file 0 exists, with no block of the failed
  // WRITE in it.
  EXPECT_TRUE(closed.ok()) << closed.ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].blocks, 0u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_TRUE(unit_testing::ReadWholeFile(t.unit(), 0).empty());
}

TEST(SyncFailurePathsTest, SyncWithNothingWrittenSendsNothing) {
  VtapeUnit t("capacity=16M");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  t.cdbs().Clear();
  EXPECT_TRUE(t->Sync().ok());
  EXPECT_EQ(t.cdbs().Count(kOpWriteFilemarks), 0u);
}

}  // namespace
}  // namespace tsfs
