// Starting and stopping tsfs as a user does: tsfs itself, mount -t
// fuse.tsfs, errors before mounting, --help, statfs, unmount + remount.
#include <gtest/gtest.h>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class MountTest : public VtapeMountTest {};

TEST_F(MountTest, HelpListsEveryOption) {
  ShellResult r = Sh(Quote(TsfsBinary()) + " --help");
  ASSERT_TRUE(r.ok()) << r;
  for (const char* word : {"config=", "norewind", "overwrite", "ro", "buffer_kb=", "-f", "-d"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

TEST_F(MountTest, MissingImageFailsBeforeMounting) {
  ShellResult r = Sh(Quote(TsfsBinary()) + " vtape:" + Tmp("nope.tap") + " " + Tmp("m1") +
                     "; echo status=$?; mkdir -p " + Tmp("m1"));
  ShellResult again = Sh("mkdir -p " + Tmp("m2") + "; " + Quote(TsfsBinary()) +
                         " vtape:" + Tmp("nope.tap") + " " + Tmp("m2"));
  EXPECT_NE(again.status, 0);
  EXPECT_NE(again.err.find("nope.tap"), std::string::npos) << again;
  EXPECT_FALSE(IsTsfsMounted(Tmp("m2")));
  EXPECT_NE(r.err.find("m1"), std::string::npos) << r;  // no mount point: said so
}

TEST_F(MountTest, UnknownOptionFailsBeforeMounting) {
  Sh("mkdir -p " + Tmp("m"));
  ShellResult r = Sh(Quote(TsfsBinary()) + " " + Source() + " " + Tmp("m") + " -o bogus_option");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find("bogus_option"), std::string::npos) << r;
  EXPECT_FALSE(IsTsfsMounted(Tmp("m")));
  ShellResult u = Sh(Quote(TsfsBinary()) + " " + Source());
  EXPECT_EQ(u.status, 2) << u;
}

// mount(8) runs mount.fuse3 with no PATH at all, so /bin/sh looks the type
// up in its default path: tsfs must be installed there (cmake --install puts
// it in /usr/local/bin). The test installs this build's tsfs under a private
// type name in /usr/local/sbin, so it never replaces an installed tsfs.
TEST_F(MountTest, MountTypeFuseTsfsAndUmount) {
  const std::string type = "tsfs-test-" + std::to_string(getpid());
  const std::string link = "/usr/local/sbin/" + type;
  ASSERT_TRUE(Sh("mkdir -p /usr/local/sbin && ln -sf " + Quote(TsfsBinary()) + " " + link).ok());
  struct Unlink {
    std::string path;
    ~Unlink() { unlink(path.c_str()); }
  } unlink_link{link};
  TsfsMount mnt(Source(), Mnt(), "norewind");
  ShellResult m =
      Sh("mount -t fuse." + type + " " + Quote(Source()) + " " + Mnt() + " -o norewind,defaults");
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(mnt.mounted());  // fstype fuse.tsfs: tsfs names its own subtype
  ASSERT_TRUE(Sh("echo via-mount > " + Mnt("file000")).ok());
  ShellResult u = Sh("umount " + Mnt());
  ASSERT_TRUE(u.ok()) << u;
  ASSERT_TRUE(WaitDaemonGone(Mnt()));
  MountTape();
  EXPECT_EQ(Sh("head -c 10 " + Mnt("file000")).out, "via-mount\n");
}

// The other form of mount.fuse3: `mount -t fuse PROGRAM#SOURCE`.
TEST_F(MountTest, MountTypeFuseWithProgramInSource) {
  TsfsMount mnt(Source(), Mnt());
  ShellResult m = Sh("mount -t fuse " + Quote(TsfsBinary() + "#" + Source()) + " " + Mnt());
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(mnt.mounted());
  ASSERT_TRUE(Sh("echo x > " + Mnt("file000") + " && ls " + Mnt()).ok());
  ShellResult u = mnt.Unmount();
  ASSERT_TRUE(u.ok()) << u;
}

TEST_F(MountTest, StatfsShowsCapacity) {
  MountTape("capacity=10M");
  ShellResult df = Sh("stat -f -c '%S %b %a' " + Mnt());
  ASSERT_TRUE(df.ok()) << df;
  unsigned long bsize = 0, blocks = 0, avail = 0;
  ASSERT_EQ(std::sscanf(df.out.c_str(), "%lu %lu %lu", &bsize, &blocks, &avail), 3) << df.out;
  EXPECT_EQ(bsize * blocks, 10ul << 20);
  EXPECT_LE(avail, blocks);
  ASSERT_TRUE(Sh("head -c 1000000 /dev/zero > " + Mnt("file000")).ok());
  ShellResult df2 = Sh("stat -f -c '%a' " + Mnt());
  EXPECT_LT(std::stoul(df2.out), avail) << df2.out;
}

TEST_F(MountTest, ShellRedirectionWritesOneFile) {
  MountTape();
  // The shell opens, dups and closes before the command writes; builtins,
  // external commands and a group all make exactly one tape file each.
  ASSERT_TRUE(Sh("echo builtin > " + Mnt("file000")).ok());
  ASSERT_TRUE(Sh("printf 'ext\\n' > " + Mnt("file001")).ok());
  ASSERT_TRUE(Sh("{ echo a; printf 'b\\n'; echo c | cat; } > " + Mnt("file002")).ok());
  ASSERT_TRUE(Sh("exec 3> " + Mnt("file003") + "; echo d >&3; printf 'e\\n' >&3; exec 3>&-").ok());
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 4u);
  EXPECT_EQ(Sh("head -c 6 " + Mnt("file002")).out, "a\nb\nc\n");
  EXPECT_EQ(Sh("head -c 4 " + Mnt("file003")).out, "d\ne\n");
}

}  // namespace
}  // namespace tsfs::fusefs_test
