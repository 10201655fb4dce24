// A UNIT ATTENTION (vtape fail=wfm@N:unitattention, 28/00) answering the
// WRITE FILEMARKS of a sync or of a close: the drive may no longer be where
// the file ends, so the unit writes nothing more to it (the next write
// fails, the close writes no filemark there) and learns the file's size by
// reading it. The bytes that reached the tape read back exactly.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tapecore/unit/diagnostics.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

TEST(WriteAttentionTest, AttentionOnASyncStopsTheFile) {
  VtapeUnit t("capacity=16M&fail=wfm@6:unitattention");
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto data = Pattern(3000, 1);  // 6 blocks: the sync's WFM at object 6
  ASSERT_TRUE(t->Write(data).ok());
  Status sync = t->Sync();
  ASSERT_FALSE(sync.ok());
  ASSERT_NE(sync.sense(), nullptr) << sync.ToString();
  EXPECT_TRUE(sync.sense()->Is(SenseKey::kUnitAttention, 0x28, 0x00)) << sync.ToString();
  Status more = t->Write(Pattern(1000, 2));
  EXPECT_EQ(more.code(), ErrorCode::kTransport) << more.ToString();
  EXPECT_NE(more.message().find("the drive was reset while the file was written"),
            std::string::npos)
      << more.ToString();
  Status closed = t->Close();
  EXPECT_FALSE(closed.ok());
  EXPECT_TRUE(t.log().Contains("it stays without filemark"));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].complete);
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(data));
}

TEST(WriteAttentionTest, AttentionOnTheClosingFilemark) {
  VtapeUnit t("capacity=16M&fail=wfm@6:unitattention");
  ASSERT_TRUE(t->OpenAppend().ok());
  const auto data = Pattern(3000, 3);
  ASSERT_TRUE(t->Write(data).ok());
  Status closed = t->Close();
  ASSERT_FALSE(closed.ok());
  ASSERT_NE(closed.sense(), nullptr) << closed.ToString();
  EXPECT_TRUE(closed.sense()->Is(SenseKey::kUnitAttention, 0x28, 0x00)) << closed.ToString();
  EXPECT_TRUE(t.log().Contains(std::string(kMsgCloseFilemark) + ": file 0"));
  // Its size is learned by reading it.
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_FALSE((*list)[0].complete);
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(data));
  list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE((*list)[0].size_known);
  EXPECT_EQ((*list)[0].blocks, 6u);
}

}  // namespace
}  // namespace tsfs
