// The CHAP secret of a unit: the tsbconf key chap-secret-file, the command
// line's file, TSFS_CHAP_SECRET, an inline secret, and which one wins.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tapecore/transport/iscsi_url.h"
#include "tapecore/unit/unit_config.h"
#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

class ChapConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::TempDir::Create("chapconf");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(dir).value();
  }
  std::string SecretFile(const std::string& name, const std::string& secret, mode_t mode = 0600) {
    const std::string path = dir_.File(name);
    std::ofstream(path) << secret << "\n";
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  static UnitConfig Device(const std::string& device) {
    UnitConfig cfg;
    cfg.device = device;
    return cfg;
  }
  static std::string SecretOf(const UnitConfig& cfg) {
    auto u = ParseIscsiUrl(cfg.device);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? u->secret : "";
  }
  testing::TempDir dir_;
};

TEST_F(ChapConfigTest, TsbconfKey) {
  auto r = ParseTsbconf(
      "[unit.0]\ndevice = iscsi://alice@h/iqn.x:t/1\nchap-secret-file = /etc/tsfs/u0.chap\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].chap_secret_file, "/etc/tsfs/u0.chap");
  auto relative =
      ParseTsbconf("[unit.0]\ndevice = iscsi://alice@h/iqn.x:t/1\nchap-secret-file = u0\n", "t");
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.status().message().find(":3:"), std::string::npos);
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos);
  auto no_user = ParseTsbconf("[unit.2]\ndevice = /dev/sg1\nchap-secret-file = /x\n", "t.conf");
  ASSERT_FALSE(no_user.ok());
  EXPECT_NE(no_user.status().message().find("[unit.2] chap-secret-file"), std::string::npos)
      << no_user.status().message();
}

TEST_F(ChapConfigTest, NameNeverShowsTheSecret) {
  EXPECT_EQ(Device("iscsi://alice%pw12345@h/iqn.x:t/1").Name(), "iscsi://alice%***@h/iqn.x:t/1");
}

TEST_F(ChapConfigTest, FileFromTheCommandLineWinsOverTheTsbconfKey) {
  UnitConfig cfg = Device("iscsi://alice@h/iqn.x:t/1");
  cfg.chap_secret_file = SecretFile("conf", "from-tsbconf");
  UnitConfig both = cfg;
  auto o = ApplyChapSecret(both, {SecretFile("opt", "from-option"), "from-env"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(*o, ChapSecretOrigin::kFile);
  EXPECT_EQ(SecretOf(both), "from-option");
  auto c = ApplyChapSecret(cfg, {"", "from-env"});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(SecretOf(cfg), "from-tsbconf");
  EXPECT_EQ(cfg.Name().find("from-tsbconf"), std::string::npos);
}

TEST_F(ChapConfigTest, EnvironmentWhenNoFile) {
  UnitConfig cfg = Device("iscsi://alice@h/iqn.x:t/1");
  auto o = ApplyChapSecret(cfg, {"", "env/secret%1"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(*o, ChapSecretOrigin::kEnvironment);
  EXPECT_EQ(SecretOf(cfg), "env/secret%1");
  // Ignored where no CHAP user is named; inline wins over it.
  UnitConfig plain = Device("iscsi://h/iqn.x:t/1");
  EXPECT_EQ(*ApplyChapSecret(plain, {"", "env"}), ChapSecretOrigin::kNone);
  EXPECT_EQ(plain.device, "iscsi://h/iqn.x:t/1");
  UnitConfig inline_cfg = Device("iscsi://alice%inline1@h/iqn.x:t/1");
  EXPECT_EQ(*ApplyChapSecret(inline_cfg, {"", "env"}), ChapSecretOrigin::kInline);
  EXPECT_EQ(SecretOf(inline_cfg), "inline1");
}

TEST_F(ChapConfigTest, Refusals) {
  // A user and no secret anywhere: the message names every way to give one.
  UnitConfig none = Device("iscsi://alice@h/iqn.x:t/1");
  auto missing = ApplyChapSecret(none, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kInvalidArgument);
  for (const char* word : {"alice", "chap_secret_file", "chap-secret-file", "TSFS_CHAP_SECRET"}) {
    EXPECT_NE(missing.status().message().find(word), std::string::npos)
        << missing.status().message();
  }
  // A file for a source without a CHAP user.
  UnitConfig vtape = Device("vtape:/t.tap");
  auto not_iscsi = ApplyChapSecret(vtape, {SecretFile("v", "pw"), ""});
  ASSERT_FALSE(not_iscsi.ok());
  EXPECT_NE(not_iscsi.status().message().find("no CHAP user"), std::string::npos);
  // Inline and a file: two secrets.
  UnitConfig twice = Device("iscsi://alice%inline2@h/iqn.x:t/1");
  auto two = ApplyChapSecret(twice, {SecretFile("t", "pw"), ""});
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("two CHAP secrets"), std::string::npos);
  EXPECT_EQ(two.status().message().find("inline2"), std::string::npos);
  // A file others can read.
  UnitConfig open_file = Device("iscsi://alice@h/iqn.x:t/1");
  auto readable = ApplyChapSecret(open_file, {SecretFile("r", "pw", 0644), ""});
  ASSERT_FALSE(readable.ok());
  EXPECT_EQ(readable.status().code(), ErrorCode::kPermission);
}

}  // namespace
}  // namespace tsfs
