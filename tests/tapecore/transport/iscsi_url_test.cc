#include "tapecore/transport/iscsi_url.h"

#include <gtest/gtest.h>

namespace tsfs {
namespace {

TEST(IscsiUrlTest, HostPortTargetLun) {
  auto u = ParseIscsiUrl("iscsi://127.0.0.1:3267/iqn.2026-11.test:tape0/1");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 3267);
  EXPECT_EQ(u->target, "iqn.2026-11.test:tape0");
  EXPECT_EQ(u->lun, 1);
  EXPECT_TRUE(u->user.empty());
  EXPECT_EQ(u->Portal(), "127.0.0.1:3267");
}

TEST(IscsiUrlTest, DefaultPortIs3260) {
  auto u = ParseIscsiUrl("iscsi://tapehost/iqn.2007-09.jp.ne.peach.istgt:tape1/0");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "tapehost");
  EXPECT_EQ(u->port, 3260);
  EXPECT_EQ(u->lun, 0);
}

TEST(IscsiUrlTest, ChapUserAndSecret) {
  auto u = ParseIscsiUrl("iscsi://alice%s3cr3t-pass@10.0.0.5:3261/iqn.x:t/2");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->secret, "s3cr3t-pass");
  EXPECT_EQ(u->host, "10.0.0.5");
  EXPECT_EQ(u->port, 3261);
  EXPECT_EQ(u->Redacted(), "iscsi://alice%***@10.0.0.5:3261/iqn.x:t/2");
  EXPECT_EQ(u->Redacted().find("s3cr3t"), std::string::npos);
}

TEST(IscsiUrlTest, EscapedColonInTargetAsLibiscsiWritesIt) {
  auto u = ParseIscsiUrl("iscsi://h/iqn.2026-11.test%3Atape0/1");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->target, "iqn.2026-11.test:tape0");
}

TEST(IscsiUrlTest, Ipv6InBrackets) {
  auto u = ParseIscsiUrl("iscsi://[::1]:3290/iqn.x:t/0");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 3290);
  EXPECT_EQ(u->Portal(), "[::1]:3290");
}

struct BadUrl {
  const char* url;
  const char* reason;  // a word the message must contain
};

class IscsiBadUrlTest : public ::testing::TestWithParam<BadUrl> {};

TEST_P(IscsiBadUrlTest, RejectedWithReason) {
  auto u = ParseIscsiUrl(GetParam().url);
  ASSERT_FALSE(u.ok()) << GetParam().url;
  EXPECT_EQ(u.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(u.status().message().find(GetParam().reason), std::string::npos)
      << u.status().message();
  EXPECT_NE(u.status().message().find("iscsi://[user[%secret]@]host[:port]/target-iqn/lun"),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    All, IscsiBadUrlTest,
    ::testing::Values(
        BadUrl{"http://h/iqn.x:t/0", "iscsi://"}, BadUrl{"iscsi://h", "IQN"},
        BadUrl{"iscsi://h/iqn.x:t", "LUN"}, BadUrl{"iscsi://h/iqn.x:t/", "LUN"},
        BadUrl{"iscsi://h/iqn.x:t/one", "LUN"}, BadUrl{"iscsi://h/iqn.x:t/-1", "LUN"},
        BadUrl{"iscsi://h//0", "IQN"}, BadUrl{"iscsi:///iqn.x:t/0", "host"},
        BadUrl{"iscsi://h:/iqn.x:t/0", "port"}, BadUrl{"iscsi://h:99999/iqn.x:t/0", "port"},
        BadUrl{"iscsi://h:0/iqn.x:t/0", "port"}, BadUrl{"iscsi://h:32x/iqn.x:t/0", "port"},
        BadUrl{"iscsi://alice@h/iqn.x:t/0", "secret"}, BadUrl{"iscsi://%pw@h/iqn.x:t/0", "user"},
        BadUrl{"iscsi://h/iqn.x%3/0", "escape"}, BadUrl{"iscsi://[::1/iqn.x:t/0", "IPv6"}));

}  // namespace
}  // namespace tsfs
