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
        BadUrl{"iscsi://h/iqn.x%3/0", "escape"}, BadUrl{"iscsi://[::1/iqn.x:t/0", "IPv6"},
        BadUrl{"iscsi://[::1]x/iqn.x:t/0", "junk after ]"},
        BadUrl{"iscsi://[::1]:/iqn.x:t/0", "empty port"},
        BadUrl{"iscsi://h:x1/iqn.x:t/0", "port 'x1'"},
        BadUrl{"iscsi://h:99999999999/iqn.x:t/0", "port '99999999999'"},
        BadUrl{"iscsi://h/iqn.x:t/16384", "LUN '16384'"}, BadUrl{"iscsi://h/iqn.x:t/1x", "LUN"},
        BadUrl{"iscsi://h/iqn.x%!1/0", "escape"}, BadUrl{"iscsi://h/iqn.x%1!/0", "escape"},
        BadUrl{"iscsi://h/iqn.x%2Fy/0", "'/' in the target"},
        BadUrl{"iscsi://alice%@h/iqn.x:t/0", "empty CHAP secret"}));

TEST(IscsiUrlTest, Ipv6WithoutPortAndLowerCaseEscapes) {
  auto u = ParseIscsiUrl("iscsi://[fe80::1]/iqn.2026-11.test%3atape%2d0/16383");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->host, "fe80::1");
  EXPECT_EQ(u->port, kIscsiDefaultPort);
  EXPECT_EQ(u->target, "iqn.2026-11.test:tape-0");
  EXPECT_EQ(u->lun, 16383);
  EXPECT_EQ(u->Redacted(), "iscsi://[fe80::1]:3260/iqn.2026-11.test:tape-0/16383");
}

TEST(IscsiUrlTest, ChapUserLongerThanLibiscsiKeepsIsRefused) {
  auto u = ParseIscsiUrl("iscsi://" + std::string(256, 'u') + "%pw@h/iqn.x:t/0");
  ASSERT_FALSE(u.ok());
  EXPECT_NE(u.status().message().find("longer than 255 bytes"), std::string::npos)
      << u.status().message();
  EXPECT_TRUE(ParseIscsiUrl("iscsi://" + std::string(255, 'u') + "%pw@h/iqn.x:t/0").ok());
}

TEST(IscsiUrlSecretTest, SecretIsPercentDecoded) {
  auto u = ParseIscsiUrl("iscsi://alice%a%2Fb%25c%40d@h/iqn.x:t/0");
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->secret, "a/b%c@d");
  auto bad = ParseIscsiUrl("iscsi://alice%pa%zzword@h/iqn.x:t/0");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("%25"), std::string::npos) << bad.status().message();
  EXPECT_EQ(bad.status().message().find("pa%zzword"), std::string::npos) << "no secret in it";
  EXPECT_FALSE(ParseIscsiUrl("iscsi://alice%a%00b@h/iqn.x:t/0").ok()) << "NUL in the secret";
  EXPECT_FALSE(ParseIscsiUrl("iscsi://alice%" + std::string(256, 'x') + "@h/iqn.x:t/0").ok());
}

TEST(IscsiUrlSecretTest, UserWithoutSecretNamesTheWaysToGiveOne) {
  auto u = ParseIscsiUrl("iscsi://alice@h/iqn.x:t/0");
  ASSERT_FALSE(u.ok());
  for (const char* word : {"alice", "chap_secret_file", "chap-secret-file", "TSFS_CHAP_SECRET"}) {
    EXPECT_NE(u.status().message().find(word), std::string::npos) << u.status().message();
  }
}

TEST(IscsiUrlSecretTest, ErrorMessagesNeverHoldTheSecret) {
  for (const char* url : {"iscsi://u%hunter2x@h:0/iqn.x:t/0", "iscsi://u%hunter2x@h/iqn.x:t/z",
                          "iscsi://u%hunter2x/slash@h/iqn.x:t/0", "iscsi://u%hunter2x@",
                          "iscsi://u%hunter2x@[::1/iqn.x:t/0"}) {
    auto u = ParseIscsiUrl(url);
    ASSERT_FALSE(u.ok()) << url;
    EXPECT_EQ(u.status().message().find("hunter2x"), std::string::npos) << u.status().message();
  }
}

TEST(IscsiUrlSecretTest, Redact) {
  EXPECT_EQ(RedactIscsiSecret("iscsi://u%s3cr3t@h:3261/iqn.x:t/1"),
            "iscsi://u%***@h:3261/iqn.x:t/1");
  EXPECT_EQ(RedactIscsiSecret("iscsi://u%s/x@y@h/q/1"), "iscsi://u%***@h/q/1");
  EXPECT_EQ(RedactIscsiSecret("iscsi://u@h/iqn.x%3At/1"), "iscsi://u@h/iqn.x%3At/1");
  EXPECT_EQ(RedactIscsiSecret("iscsi://h/iqn.x%3At/1"), "iscsi://h/iqn.x%3At/1");
  EXPECT_EQ(RedactIscsiSecret("vtape:/a%b@c.tap"), "vtape:/a%b@c.tap");
  EXPECT_EQ(RedactIscsiSecret("rts0"), "rts0");
  EXPECT_TRUE(HasInlineChapSecret("iscsi://u%***@h/q/1"));
  EXPECT_FALSE(HasInlineChapSecret("iscsi://u@h/q/1"));
  EXPECT_EQ(ChapUser("iscsi://alice%x@h/q/1"), "alice");
  EXPECT_EQ(ChapUser("iscsi://alice@h/q/1"), "alice");
  EXPECT_EQ(ChapUser("iscsi://h/q/1"), "");
  EXPECT_EQ(ChapUser("iscsi://alice@h"), "alice") << "no path at all";
  EXPECT_EQ(ChapUser("/dev/sg1"), "");
}

TEST(IscsiUrlSecretTest, WithChapSecretRoundTripsAnySecret) {
  const std::string odd = "a/b@c%d:e f+g=h\\i,j~k";
  auto url = WithChapSecret("iscsi://alice@[::1]:3290/iqn.x%3At/2", odd);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  auto u = ParseIscsiUrl(*url);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->user, "alice");
  EXPECT_EQ(u->secret, odd);
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 3290);
  EXPECT_EQ(u->target, "iqn.x:t");
  EXPECT_EQ(u->lun, 2);
  EXPECT_EQ(RedactIscsiSecret(*url), "iscsi://alice%***@[::1]:3290/iqn.x%3At/2");
}

TEST(IscsiUrlSecretTest, WithChapSecretRoundTripsEveryByte) {
  std::string every;
  for (int c = 1; c < 256; ++c) every += static_cast<char>(c);
  auto url = WithChapSecret("iscsi://bob@h/iqn.x:t/0", every);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->rfind("iscsi://bob%", 0), 0u) << *url;
  // Letters, digits and -._~ stay as they are; everything else is escaped.
  EXPECT_NE(url->find("%2C-.%2F0123456789%3A"), std::string::npos) << *url;
  EXPECT_NE(url->find("%5D%5E_%60abc"), std::string::npos) << *url;
  EXPECT_NE(url->find("xyz%7B%7C%7D~%7F%80"), std::string::npos) << *url;
  auto u = ParseIscsiUrl(*url);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->secret, every);
}

TEST(IscsiUrlSecretTest, WithChapSecretRefusals) {
  auto empty_user = WithChapSecret("iscsi://@h/iqn.x:t/0", "pw");
  ASSERT_FALSE(empty_user.ok());
  EXPECT_NE(empty_user.status().message().find("no CHAP user"), std::string::npos);
  auto no_user = WithChapSecret("iscsi://h/iqn.x:t/0", "pw");
  ASSERT_FALSE(no_user.ok());
  EXPECT_NE(no_user.status().message().find("no CHAP user"), std::string::npos);
  auto twice = WithChapSecret("iscsi://u%inline99@h/iqn.x:t/0", "pw");
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("two CHAP secrets"), std::string::npos);
  EXPECT_EQ(twice.status().message().find("inline99"), std::string::npos);
  EXPECT_FALSE(WithChapSecret("vtape:/t.tap", "pw").ok());
  EXPECT_FALSE(WithChapSecret("iscsi://u@h/iqn.x:t/0", "").ok());
  EXPECT_FALSE(WithChapSecret("iscsi://u@h/iqn.x:t/0", std::string("a\0b", 3)).ok());
}

}  // namespace
}  // namespace tsfs
