// The tsfs program before and around its mount (fusefs/main.cc): what it
// says and its exit status for --version, a bad mount point, a library of
// the configuration (missing, and mounted), a mount the kernel refuses, a
// detached start with nowhere to log, an inline CHAP secret while
// detached, and a mount served by one thread (-s) with every unit option.
#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class CommandLineTest : public VtapeMountTest {
 protected:
  // tsfs with `args`, its standard error into a pipe (not a log file).
  ShellResult TsfsThroughPipe(const std::string& args) {
    return Sh("{ " + Quote(TsfsBinary()) + " " + args + " 2>&1; echo status=$?; } | cat");
  }
};

TEST_F(CommandLineTest, VersionNamesTsfsAndLibfuse) {
  ShellResult r = Sh(Quote(TsfsBinary()) + " --version");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out.rfind("tsfs ", 0), 0u) << r;
  EXPECT_NE(r.out.find("(libfuse 3."), std::string::npos) << r;
}

TEST_F(CommandLineTest, MountPointThatIsAFileIsRefused) {
  ASSERT_TRUE(Sh("echo x > " + Tmp("plain")).ok());
  ShellResult r = Sh(Quote(TsfsBinary()) + " " + Quote(Source()) + " " + Tmp("plain"));
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_EQ(r.err, "tsfs: mount point " + Tmp("plain") + ": not a directory\n") << r;
  EXPECT_EQ(ReadWholeFile(Tmp("plain")), "x\n");
}

TEST_F(CommandLineTest, LibraryNotInTheConfigurationIsRefused) {
  Sh("mkdir -p " + Mnt());
  ShellResult missing =
      Sh(Quote(TsfsBinary()) + " lib3 " + Mnt() + " -o config=" + Tmp("none.conf"));
  EXPECT_EQ(missing.status, 1) << missing;
  EXPECT_NE(missing.err.find("tsfs: lib3: "), std::string::npos) << missing;
  EXPECT_NE(missing.err.find("none.conf"), std::string::npos) << missing;
  ASSERT_TRUE(Sh("printf '[unit.0]\\ndevice = /dev/nst0\\n' > " + Tmp("t.conf")).ok());
  ShellResult absent = Sh(Quote(TsfsBinary()) + " lib3 " + Mnt() + " -o config=" + Tmp("t.conf"));
  EXPECT_EQ(absent.status, 1) << absent;
  EXPECT_NE(absent.err.find("library.3"), std::string::npos) << absent;
  EXPECT_FALSE(IsTsfsMounted(Mnt()));
}

// libN names [library.N] of the configuration: its changer's cartridges
// become directories, and what is written there lands on the cartridge.
// A catalog store that cannot be written (a file where the directory
// should be) is logged; the listing is kept in memory instead.
TEST_F(CommandLineTest, LibraryNamedInTheConfigurationMounts) {
  ASSERT_TRUE(Sh("mkdir " + Tmp("lib") + " && : > " + Tmp("lib/LIB001.tap")).ok());
  ASSERT_TRUE(Sh("printf '[library.3]\\nchanger = vtlib:%s?drives=1&slots=2&ie=0\\n' " +
                 Tmp("lib") + " > " + Tmp("lib.conf"))
                  .ok());
  ASSERT_TRUE(Sh("echo not-a-directory > " + Tmp("catalogs")).ok());
  TsfsMount mnt("lib3", Mnt());
  const std::string log = Tmp("tsfs.log");
  ShellResult m = Sh(Quote(TsfsBinary()) + " lib3 " + Mnt() + " -o config=" + Tmp("lib.conf") +
                     ",catalog_dir=" + Tmp("catalogs") + " 2>>" + log);
  ASSERT_TRUE(m.ok()) << m << ReadWholeFile(log);
  EXPECT_EQ(Sh("ls " + Mnt()).out, "LIB001\n");
  ASSERT_TRUE(Sh("echo on-the-cartridge > " + Mnt("LIB001/file000")).ok());
  EXPECT_NE(ReadWholeFile(log).find("LIB001: cannot keep the catalog: "), std::string::npos)
      << ReadWholeFile(log);
  EXPECT_EQ(Sh("ls " + Mnt("LIB001")).out, "file000\n");
  EXPECT_EQ(Sh("head -c 17 " + Mnt("LIB001/file000")).out, "on-the-cartridge\n");
  ASSERT_TRUE(mnt.Unmount().ok());
  EXPECT_NE(ReadWholeFile(Tmp("lib/LIB001.tap")).find("on-the-cartridge"), std::string::npos);
  EXPECT_EQ(ReadWholeFile(Tmp("catalogs")), "not-a-directory\n");
}

// A mount the kernel refuses after the tape was opened (blksize= is for
// fuseblk only): exit status 1 with libfuse's reason, no mount left, and
// the tape released (its files intact for the next mount).
TEST_F(CommandLineTest, MountTheKernelRefusesReleasesTheTape) {
  MountTape();
  ASSERT_TRUE(Sh("echo kept > " + Mnt("file000")).ok());
  ASSERT_TRUE(mount_->Unmount().ok());
  ShellResult r =
      Sh(Quote(TsfsBinary()) + " " + Quote(Source()) + " " + Mnt() + " -o blksize=4096");
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_NE(r.err.find("mount failed: Invalid argument"), std::string::npos) << r;
  EXPECT_FALSE(IsTsfsMounted(Mnt()));
  EXPECT_TRUE(WaitDaemonGone(Mnt()));
  MountTape();
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file000")).out, "kept\n");
}

// Detached, with standard error neither a file nor a system log there:
// tsfs says at start that its diagnostics will be lost (when this machine
// has no /dev/log), then mounts.
TEST_F(CommandLineTest, DetachedWithNowhereToLogSaysSo) {
  TsfsMount mnt(Source(), Mnt());
  ShellResult r = TsfsThroughPipe(Quote(Source()) + " " + Mnt());
  EXPECT_NE(r.out.find("status=0"), std::string::npos) << r;
  ASSERT_TRUE(mnt.mounted());
  const bool has_syslog = access("/dev/log", W_OK) == 0;
  EXPECT_EQ(r.out.find("no system log (/dev/log)") != std::string::npos, !has_syslog) << r;
  ASSERT_TRUE(Sh("echo kept > " + Mnt("file000")).ok());
  ASSERT_TRUE(mnt.Unmount().ok());
}

// An inline CHAP secret, detached without a log file: the warning goes to
// standard error (masked), and a target that cannot be reached fails the
// start with the parent's exit status 1.
TEST_F(CommandLineTest, InlineSecretWarningReachesTheTerminalWhenDetached) {
  Sh("mkdir -p " + Mnt());
  ShellResult r = TsfsThroughPipe("iscsi://alice%s3cr3t-words@127.0.0.1:1/iqn.2000-01.x:t/1 " +
                                  Mnt() + " -o short_timeout=2");
  EXPECT_NE(r.out.find("status=1"), std::string::npos) << r;
  EXPECT_NE(r.out.find("warning: the CHAP secret is given in the command line"), std::string::npos)
      << r;
  EXPECT_NE(r.out.find("cannot open iscsi://alice%***@127.0.0.1:1/"), std::string::npos) << r;
  EXPECT_EQ(r.out.find("s3cr3t-words"), std::string::npos) << r;
  EXPECT_FALSE(IsTsfsMounted(Mnt()));
  // The same secret in a unit's device URL: the warning names that place.
  ASSERT_TRUE(Sh("printf '[unit.0]\\ndevice = "
                 "iscsi://alice%%s3cr3t-words@127.0.0.1:1/iqn.2000-01.x:t/1\\n' "
                 "> " +
                 Tmp("u.conf"))
                  .ok());
  ShellResult conf = TsfsThroughPipe("rts0 " + Mnt() + " -o config=" + Tmp("u.conf"));
  EXPECT_NE(conf.out.find("status=1"), std::string::npos) << conf;
  EXPECT_NE(
      conf.out.find("warning: the CHAP secret is given in the configuration file's device URL"),
      std::string::npos)
      << conf;
  EXPECT_EQ(conf.out.find("s3cr3t-words"), std::string::npos) << conf;
}

// -s: one thread serves every request; the unit options of the command
// line all apply, and data goes on and comes back whole. Started from a
// working directory that was removed (no current directory: the absolute
// source and mount point are enough).
TEST_F(CommandLineTest, SingleThreadedMountWithEveryUnitOption) {
  TsfsMount mnt(Source(), Mnt());
  ShellResult m = Sh("mkdir " + Tmp("gone") + " && cd " + Tmp("gone") + " && rmdir " + Tmp("gone") +
                     " && " + Quote(TsfsBinary()) + " -s " + Quote(Source()) + " " + Mnt() +
                     " -o write_watermark=50,read_watermark=25,long_timeout=600,io_timeout=30,"
                     "position_timeout=60,short_timeout=5,buffer_kb=128,catalog_dir=none");
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(mnt.mounted());
  MakeDataFile(Tmp("d"), 700000, 8);
  ASSERT_TRUE(Sh("cp " + Tmp("d") + " " + Mnt("file000") + " && echo b > " + Mnt("file001")).ok());
  EXPECT_TRUE(Sh("cmp -n 700000 " + Mnt("file000") + " " + Tmp("d")).ok());
  EXPECT_EQ(Sh("cat " + Mnt("file001")).out.substr(0, 2), "b\n");
  ShellResult u = mnt.Unmount();
  ASSERT_TRUE(u.ok()) << u;
}

}  // namespace
}  // namespace tsfs::fusefs_test
