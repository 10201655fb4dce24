// A mount over a real tgtd survives the target: killed and restarted on the
// same port and image (idle, mid-write, mid-read) or stopped for longer than
// the command timeout, the mount works again without an unmount (tsfs(8),
// WHEN THE TARGET GOES AWAY). Only the daemons the fixture started are
// signalled.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/fusefs/foreground_mount.h"
#include "tests/fusefs/mount_harness.h"
#include "tests/support/targets.h"

namespace tsfs::fusefs_test {
namespace {

testing::TargetOptions SmallTape() {
  testing::TargetOptions options;
  options.size_mb = 64;
  return options;
}

class ReconnectTest : public ::testing::Test {
 protected:
  std::string Tmp(const std::string& name) const { return tmp_ / name; }
  std::string Mnt(const std::string& name = "") const {
    return name.empty() ? tmp_ / "mnt" : tmp_ / ("mnt/" + name);
  }
  // cmp of the first `size` bytes of a local file and a tape file.
  ShellResult Cmp(const std::string& local, const std::string& tape_file, size_t size) {
    return Sh("cmp -n " + std::to_string(size) + " " + Quote(Tmp(local)) + " " +
                  Quote(Mnt(tape_file)),
              60);
  }

  TempDir tmp_;
};

TEST_F(ReconnectTest, TargetRestartedWhileIdle) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 200'000, 2);
  ForegroundTsfs tsfs(target->uri(), Mnt(), "", Tmp("log"));
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ShellResult cp = Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000")));
  ASSERT_TRUE(cp.ok()) << cp;
  // Read back once: the open waits for cp's release (the filemark), so the
  // mount is idle when the target goes.
  ASSERT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();

  ASSERT_TRUE(target->Restart().ok());

  // The mount works again: the file written before reads back, a new one
  // appends after it.
  ShellResult read = Cmp("a", "file000", 300'000);
  EXPECT_TRUE(read.ok()) << read << tsfs.Log();
  cp = Sh("cp " + Quote(Tmp("b")) + " " + Quote(Mnt("file001")));
  EXPECT_TRUE(cp.ok()) << cp << tsfs.Log();
  EXPECT_TRUE(Cmp("b", "file001", 200'000).ok()) << tsfs.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
  const auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 2u) << tsfs.Log();
  EXPECT_EQ(listed[0].second, Padded(300'000));
  EXPECT_EQ(listed[1].second, Padded(200'000));
}

}  // namespace
}  // namespace tsfs::fusefs_test
