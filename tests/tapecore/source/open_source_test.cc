#include "tapecore/source/open_source.h"

#include <gtest/gtest.h>

#include "tests/support/targets.h"

namespace tsfs {
namespace {

TEST(OpenSourceTest, UnknownSourceNamesItAndTheAcceptedForms) {
  auto t = OpenSource("tape0");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("'tape0'"), std::string::npos) << t.status().message();
  EXPECT_NE(t.status().message().find("iscsi://"), std::string::npos);
  EXPECT_NE(t.status().message().find("/dev/nstN"), std::string::npos);
  EXPECT_NE(t.status().message().find("vtape:"), std::string::npos);
}

TEST(OpenSourceTest, EmptySourceIsInvalid) {
  auto t = OpenSource("");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
}

TEST(OpenSourceTest, MissingDevicePathIsNotFound) {
  auto t = OpenSource("/dev/nst-tsfs-missing");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(t.status().message().find("/dev/nst-tsfs-missing"), std::string::npos);
}

TEST(OpenSourceTest, MissingOtherPathIsNotFound) {
  auto t = OpenSource("/nonexistent-tsfs/drive");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kNotFound);
}

TEST(OpenSourceTest, NonDevicePathGoesToSgAndIsRefused) {
  auto t = OpenSource("/dev/null");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("not a SCSI generic device"), std::string::npos);
}

TEST(OpenSourceTest, MalformedIscsiUrlIsInvalid) {
  auto t = OpenSource("iscsi://host-only");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("iscsi://host-only"), std::string::npos);
}

TEST(OpenSourceTest, VtapeSourcesGoToVtape) {
  for (const std::string source : {"vtape:/nonexistent-tsfs/t.tap", "/nonexistent-tsfs/t.tap"}) {
    auto t = OpenSource(source);
    if (t.ok()) continue;  // vtape may create images
    EXPECT_EQ(t.status().message().find("unknown tape source"), std::string::npos)
        << t.status().message();
    EXPECT_NE(t.status().message().find("/nonexistent-tsfs/t.tap"), std::string::npos)
        << t.status().message();
  }
}

TEST(OpenSourceTest, IscsiSourceReachesTgtd) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd);
  auto t = OpenSource(target->uri());
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->Describe(), target->uri());
}

}  // namespace
}  // namespace tsfs
