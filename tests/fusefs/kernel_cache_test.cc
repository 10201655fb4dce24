// The kernel keeps names and attributes (kernel_cache.h): `ls -l` is served
// by READDIRPLUS alone, and every size or name tsfs changes is seen at once
// by the next stat, from any process, although the kernel may keep an
// attribute for seconds.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class KernelCacheTest : public VtapeMountTest {
 protected:
  // stat's size of `name` in the mount, or its error.
  std::string StatSize(const std::string& name) {
    ShellResult r = Sh("stat -c %s " + Quote(Mnt(name)) + " 2>&1");
    return r.out;
  }
};

TEST_F(KernelCacheTest, SizesAndNamesAreNeverStale) {
  MountTape();
  // Shown once (the kernel keeps it), then changed by tsfs itself.
  ASSERT_TRUE(Sh("head -c 1000 /dev/urandom > " + Quote(Tmp("a"))).ok());
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000"))).ok());
  ASSERT_TRUE(Sh("ls -l " + Quote(Mnt()) + " > /dev/null").ok());
  // The close padded the last block: 1024, seen at once.
  EXPECT_EQ(StatSize("file000"), "1024\n");

  // A file being written, from another process, while it grows (one
  // descriptor that nothing else closes: every close of it is a flush,
  // which pads the last block).
  const std::string fifo = Tmp("fifo");
  ASSERT_TRUE(Sh("mkfifo " + Quote(fifo)).ok());
  ShellResult start =
      Sh("python3 -c 'import os, sys\n"
         "fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)\n"
         "os.write(fd, bytes(700))\n"
         "open(sys.argv[2]).read()\n"
         "os.write(fd, bytes(300))\n"
         "os.close(fd)' " +
         Quote(Mnt("file001")) + " " + Quote(fifo) + " > /dev/null 2>&1 & echo started");
  ASSERT_TRUE(start.ok()) << start;
  ShellResult grown = Sh("for i in $(seq 100); do s=$(stat -c %s " + Quote(Mnt("file001")) +
                         " 2>/dev/null); [ \"$s\" = 700 ] && echo 700 && exit 0; sleep 0.05; " +
                         "done; echo \"$s\"");
  EXPECT_EQ(grown.out, "700\n");
  ASSERT_TRUE(Sh("echo go > " + Quote(fifo)).ok());
  ShellResult closed = Sh("for i in $(seq 200); do s=$(stat -c %s " + Quote(Mnt("file001")) +
                          " 2>/dev/null); [ \"$s\" = 1024 ] && echo 1024 && exit 0; " +
                          "sleep 0.05; done; echo \"$s\"");
  EXPECT_EQ(closed.out, "1024\n") << "after the writer's close";

  // mt erase through the mount: every name shown before is gone at once.
  ASSERT_TRUE(Sh("ls -l " + Quote(Mnt()) + " > /dev/null").ok());
  // (mt erase needs a tape file: it opens its device for writing.)
  ShellResult erase =
      Sh("mt -f " + Quote(Mnt()) + " rewind && mt -f " + Quote(Mnt("file000")) + " erase");
  ASSERT_TRUE(erase.ok()) << erase;
  EXPECT_NE(StatSize("file000").find("No such file"), std::string::npos);
  EXPECT_NE(StatSize("file001").find("No such file"), std::string::npos);
  EXPECT_EQ(Sh("ls " + Quote(Mnt())).out, "");
  // And the names come back with their new sizes.
  ASSERT_TRUE(Sh("head -c 5000 /dev/urandom > " + Quote(Mnt("file000"))).ok());
  EXPECT_EQ(StatSize("file000"), "5120\n");
}

}  // namespace
}  // namespace tsfs::fusefs_test
