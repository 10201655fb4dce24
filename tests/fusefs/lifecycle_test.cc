// How a mount starts and ends beyond the plain case: an fstab line, units
// from a configuration file, a daemon stopped with a file still open,
// mount options that reach the unit, and the times and modes shown.
#include <signal.h>

#include <gtest/gtest.h>

#include <fstream>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class LifecycleTest : public VtapeMountTest {};

// An fstab line of type fuse.tsfs, read with `mount -T FILE MOUNTPOINT`
// (an alternative fstab, so the system's /etc/fstab is left alone). The
// program is named with the PROGRAM#SOURCE form of mount.fuse3 so the test
// runs this build's tsfs.
TEST_F(LifecycleTest, FstabLine) {
  const std::string fstab = Tmp("fstab");
  std::ofstream(fstab) << TsfsBinary() << "#" << Source() << " " << Mnt()
                       << " fuse noauto,norewind,defaults 0 0\n";
  TsfsMount mnt(Source(), Mnt());
  ShellResult m = Sh("mount -T " + fstab + " " + Mnt());
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(mnt.mounted());
  ASSERT_TRUE(Sh("echo fstab > " + Mnt("file000")).ok());
  ShellResult u = mnt.Unmount();
  ASSERT_TRUE(u.ok()) << u;
  MountTape();
  EXPECT_EQ(Sh("head -c 6 " + Mnt("file000")).out, "fstab\n");
}

TEST_F(LifecycleTest, UnitsFromAConfigurationFile) {
  const std::string conf = Tmp("tsbconf.conf");
  std::ofstream(conf) << "[unit.0]\ndevice = " << Source() << "\nbuffer-kb = 256\n";
  TsfsMount mnt("rts0", Mnt(), "config=" + conf);
  ShellResult m = mnt.Mount();
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(Sh("echo unit0 > " + Mnt("file000")).ok());
  ASSERT_TRUE(mnt.Unmount().ok());
  // rts8 is unit 0 without the rewind.
  TsfsMount again("rts8", Mnt(), "config=" + conf);
  m = again.Mount();
  ASSERT_TRUE(m.ok()) << m;
  EXPECT_EQ(Sh("head -c 6 " + Mnt("file000")).out, "unit0\n");
  ASSERT_TRUE(again.Unmount().ok());
  // A broken file: named with its line, and nothing is mounted.
  std::ofstream(conf) << "[unit.0]\ndevice = " << Source() << "\nspeed = 9\n";
  ShellResult bad = Sh(Quote(TsfsBinary()) + " rts0 " + Mnt() + " -o config=" + conf);
  EXPECT_NE(bad.status, 0);
  EXPECT_NE(bad.err.find(conf + ":3"), std::string::npos) << bad;
  EXPECT_FALSE(IsTsfsMounted(Mnt()));
  ShellResult missing = Sh(Quote(TsfsBinary()) + " rts3 " + Mnt() + " -o config=" + conf);
  EXPECT_NE(missing.status, 0);
}

// The daemon told to stop while a file is being written: the unit finishes
// it (filemark) before the process ends; nothing written is lost.
TEST_F(LifecycleTest, StoppedDaemonFinishesTheOpenFile) {
  TsfsMount& mnt = MountTape();
  ASSERT_EQ(TsfsDaemons(mnt.mountpoint()).size(), 1u);
  const pid_t daemon = TsfsDaemons(mnt.mountpoint()).front();
  // The daemon is this test's child (subreaper): once it exits it stays a
  // zombie until reaped, so the shell waits for state Z, not for kill -0.
  const std::string stat = "/proc/" + std::to_string(daemon) + "/stat";
  ShellResult r =
      Sh("exec 3> " + Mnt("file000") + "; echo still-open >&3; kill -TERM " +
         std::to_string(daemon) + "; i=0; while [ -e " + stat + " ] && ! grep -q ') Z' " + stat +
         " && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; echo waited=$i; " + "exec 3>&-");
  EXPECT_TRUE(WaitDaemonGone(mnt.mountpoint()));
  EXPECT_FALSE(mnt.mounted());
  MountTape();
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 1u) << r;
  EXPECT_EQ(Sh("head -c 11 " + Mnt("file000")).out, "still-open\n");
}

TEST_F(LifecycleTest, TimesAreTheMountTimeAndOptionsReachTheUnit) {
  TsfsMount& first_mount = MountTape("", "buffer_kb=64,uid=1234,gid=4321");
  MakeDataFile(Tmp("d"), 300000, 1);  // several buffers of 64 KiB
  ASSERT_TRUE(Sh("cp " + Tmp("d") + " " + Mnt("file000") + " && echo x > " + Mnt("file001")).ok());
  // A file whose size changed while this mount showed it gets a later ctime
  // (tar and rsync notice the change), so the written files' times are only
  // all the mount time in the next mount.
  ASSERT_TRUE(first_mount.Unmount().ok());
  MountTape("", "buffer_kb=64,uid=1234,gid=4321");
  ShellResult st =
      Sh("stat -c '%Y %X %Z %u %g' " + Mnt() + " " + Mnt("file000") + " " + Mnt("file001"));
  ASSERT_TRUE(st.ok()) << st;
  std::istringstream lines(st.out);
  std::string first, line;
  std::getline(lines, first);
  EXPECT_NE(first.find(" 1234 4321"), std::string::npos) << st.out;
  const std::string t = first.substr(0, first.find(' '));
  EXPECT_EQ(first.substr(0, 3 * t.size() + 2), t + " " + t + " " + t) << st.out;
  while (std::getline(lines, line)) EXPECT_EQ(line, first) << st.out;
  EXPECT_TRUE(Sh("head -c 300000 " + Mnt("file000") + " | cmp - " + Tmp("d")).ok());
}

}  // namespace
}  // namespace tsfs::fusefs_test
