// CHAP secrets stay secret on a real mount against a private tgtd that
// requires CHAP: from a root-only file, from TSFS_CHAP_SECRET and inline (with
// a warning), the secret is in no place another local user can read
// (/proc/mounts, /proc/PID/cmdline, ps; /proc/PID/environ is root-only and
// scrubbed too) nor in the log; a wrong, missing or exposed secret is refused
// with a clear message.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "tests/fusefs/mount_harness.h"
#include "tests/support/targets.h"

namespace tsfs::fusefs_test {
namespace {

constexpr const char* kUser = "tsfsuser";

// One secret per test process: ctest runs these tests in parallel, and one
// test's `ps` must not find the secret another test just handed to its shell.
const std::string& Secret() {
  static const std::string secret = "Hush-" + std::to_string(getpid()) + "-Tsfs";
  return secret;
}

class SecretMountTest : public ::testing::Test {
 protected:
  static testing::TargetOptions Chap() {
    testing::TargetOptions o;
    o.size_mb = 20;
    o.chap_user = kUser;
    o.chap_secret = Secret();
    return o;
  }
  // iscsi://USER[%SECRET]@127.0.0.1:PORT/IQN/LUN of the target.
  static std::string Uri(const testing::TapeTarget& target, const std::string& secret = "") {
    const std::string rest = target.uri().substr(std::string("iscsi://").size());
    return std::string("iscsi://") + kUser + (secret.empty() ? "" : "%" + secret) + "@" + rest;
  }
  std::string SecretFile(const std::string& secret, mode_t mode = 0600) {
    const std::string path = dir_ / "chap.secret";
    Sh("printf '%s\\n' " + Quote(secret) + " > " + Quote(path));
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  // Writes and reads back one file: the mount really works.
  void RoundTrip(TsfsMount& mnt) {
    MakeDataFile(dir_ / "data", 20000, 7);
    ShellResult cp = Sh("cp " + dir_ / "data" + " " + mnt / "file000");
    ASSERT_TRUE(cp.ok()) << cp;
    ShellResult cmp = Sh("cmp -n 20000 " + dir_ / "data" + " " + mnt / "file000");
    EXPECT_TRUE(cmp.ok()) << cmp;
  }
  // No world-readable place holds the secret while `mountpoint` is mounted.
  static void ExpectHiddenFromOtherUsers(const std::string& mountpoint) {
    const std::string mounts = ReadWholeFile("/proc/mounts");
    EXPECT_NE(mounts.find(mountpoint), std::string::npos) << mounts;
    EXPECT_EQ(mounts.find(Secret()), std::string::npos) << mounts;
    const ShellResult ps = Sh("ps -eo args");
    EXPECT_NE(ps.out.find(mountpoint), std::string::npos) << ps.out;
    EXPECT_EQ(ps.out.find(Secret()), std::string::npos) << ps.out;
    const std::vector<pid_t> daemons = TsfsDaemons(mountpoint);
    ASSERT_EQ(daemons.size(), 1u);
    const std::string proc = "/proc/" + std::to_string(daemons[0]);
    const std::string cmdline = ReadWholeFile(proc + "/cmdline");
    EXPECT_NE(cmdline.find(mountpoint), std::string::npos);
    EXPECT_EQ(cmdline.find(Secret()), std::string::npos) << cmdline;
    // environ: only its owner (root) may read it; and it is scrubbed as well.
    struct stat st {};
    ASSERT_EQ(::stat((proc + "/environ").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0400u);
    EXPECT_EQ(st.st_uid, 0u);
    EXPECT_EQ(ReadWholeFile(proc + "/environ").find(Secret()), std::string::npos);
  }
  TempDir dir_;
};

TEST_F(SecretMountTest, FromARootOnlyFile) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  TsfsMount mnt(Uri(*target), dir_ / "mnt", "chap_secret_file=" + SecretFile(Secret()));
  ShellResult m = mnt.Mount();
  ASSERT_TRUE(m.ok()) << m << target->LogTail();
  EXPECT_EQ(m.err.find("warning"), std::string::npos) << m;
  RoundTrip(mnt);
  ExpectHiddenFromOtherUsers(mnt.mountpoint());
  EXPECT_NE(ReadWholeFile("/proc/mounts").find(Uri(*target)), std::string::npos)
      << "the file-system name is the source as given";
  ShellResult u = mnt.Unmount();
  EXPECT_TRUE(u.ok()) << u;
}

TEST_F(SecretMountTest, FromTheEnvironment) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  const std::string mountpoint = dir_ / "mnt";
  TsfsMount mnt(Uri(*target), mountpoint);
  // Through the environment of this process, never on a shell's command line.
  setenv("TSFS_CHAP_SECRET", Secret().c_str(), 1);
  ShellResult m = Sh(Quote(TsfsBinary()) + " " + Quote(Uri(*target)) + " " + Quote(mountpoint));
  unsetenv("TSFS_CHAP_SECRET");
  ASSERT_TRUE(m.ok()) << m << target->LogTail();
  RoundTrip(mnt);
  ExpectHiddenFromOtherUsers(mountpoint);
}

// Inline still works, with a warning, and is masked everywhere: the test runs
// tsfs in the foreground to read every line it logs.
TEST_F(SecretMountTest, InlineWarnsAndIsMaskedInTheLog) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  const std::string mountpoint = dir_ / "mnt";
  const std::string log = dir_ / "tsfs.log";
  TsfsMount mnt(Uri(*target, Secret()), mountpoint);
  ASSERT_TRUE(Sh(Quote(TsfsBinary()) + " -f " + Quote(Uri(*target, Secret())) + " " +
                 Quote(mountpoint) + " > " + Quote(log) + " 2>&1 &")
                  .ok());
  for (int i = 0; i < 600 && !mnt.mounted(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(mnt.mounted()) << ReadWholeFile(log);
  RoundTrip(mnt);
  ExpectHiddenFromOtherUsers(mountpoint);
  EXPECT_NE(ReadWholeFile("/proc/mounts").find(std::string("iscsi://") + kUser + "%***@"),
            std::string::npos);
  ShellResult u = mnt.Unmount();
  EXPECT_TRUE(u.ok()) << u;
  const std::string text = ReadWholeFile(log);
  EXPECT_NE(text.find("warning: the CHAP secret is given in the command line"), std::string::npos)
      << text;
  EXPECT_NE(text.find(std::string("iscsi://") + kUser + "%***@"), std::string::npos) << text;
  EXPECT_NE(text.find("mounted on"), std::string::npos) << text;
  EXPECT_EQ(text.find(Secret()), std::string::npos) << text;
}

TEST_F(SecretMountTest, WrongSecretIsRefused) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  TsfsMount mnt(Uri(*target), dir_ / "mnt", "chap_secret_file=" + SecretFile("Wrong-Secret-99"));
  ShellResult m = mnt.Mount();
  ASSERT_FALSE(m.ok()) << m;
  EXPECT_FALSE(mnt.mounted());
  EXPECT_NE(m.err.find("login to iSCSI target"), std::string::npos) << m;
  EXPECT_NE(m.err.find("refused"), std::string::npos) << m;
  EXPECT_EQ(m.err.find("Wrong-Secret-99"), std::string::npos) << m;
}

TEST_F(SecretMountTest, MissingSecretIsRefusedBeforeAnyLogin) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  TsfsMount mnt(Uri(*target), dir_ / "mnt");
  ShellResult m = mnt.Mount();
  ASSERT_FALSE(m.ok()) << m;
  EXPECT_FALSE(mnt.mounted());
  EXPECT_NE(m.err.find("has no secret"), std::string::npos) << m;
  EXPECT_NE(m.err.find("chap_secret_file=PATH"), std::string::npos) << m;
  EXPECT_NE(m.err.find("TSFS_CHAP_SECRET"), std::string::npos) << m;
}

TEST_F(SecretMountTest, SecretFileOthersCanReadIsRefused) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, Chap());
  const std::string file = SecretFile(Secret(), 0644);
  TsfsMount mnt(Uri(*target), dir_ / "mnt", "chap_secret_file=" + file);
  ShellResult m = mnt.Mount();
  ASSERT_FALSE(m.ok()) << m;
  EXPECT_FALSE(mnt.mounted());
  EXPECT_NE(m.err.find(file + ": mode 0644"), std::string::npos) << m;
  EXPECT_NE(m.err.find("chmod 600"), std::string::npos) << m;
  EXPECT_EQ(m.err.find(Secret()), std::string::npos) << m;
}

}  // namespace
}  // namespace tsfs::fusefs_test
