// mt(1) (mt-st) on the mount point and on tape files, through FUSE ioctl.
#include <gtest/gtest.h>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class MtTest : public VtapeMountTest {};

TEST_F(MtTest, SupportedOperationsSucceedOthersAreRefused) {
  MountTape();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(Sh("echo " + std::to_string(i) + " > " + Mnt("file00" + std::to_string(i))).ok());
  }
  // The first operation after the writes must be rewind or retension (ts).
  for (const char* op : {"retension", "fsf 2", "eod", "rewind", "fsf 1"}) {
    ShellResult r = Sh(std::string("mt -f ") + Mnt() + " " + op);
    EXPECT_TRUE(r.ok()) << "mt " << op << ": " << r;
  }
  ShellResult st = Sh("mt -f " + Mnt() + " status");
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_NE(st.out.find("File number=1"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("ONLINE"), std::string::npos) << st.out;
  for (const char* op : {"bsf 1", "bsr 1", "fsr 1", "offline"}) {
    ShellResult r = Sh(std::string("mt -f ") + Mnt() + " " + op);
    EXPECT_EQ(r.status, 2) << "mt " << op << ": " << r;
    EXPECT_NE(r.err.find("Invalid argument"), std::string::npos) << "mt " << op << ": " << r;
  }
  // Through a tape file too.
  ShellResult rw = Sh("mt -f " + Mnt("file001") + " rewind");
  EXPECT_TRUE(rw.ok()) << rw;
  // Files are untouched by the motion.
  EXPECT_EQ(Sh("cat " + Mnt("file002") + " | head -c 2").out, "2\n");
}

TEST_F(MtTest, WeofAtEndOfDataAddsAnEmptyFile) {
  MountTape();
  ASSERT_TRUE(Sh("echo a > " + Mnt("file000")).ok());
  // ts: after a write only rewind (or retension) is accepted.
  ShellResult refused = Sh("mt -f " + Mnt() + " eod");
  EXPECT_EQ(refused.status, 2) << refused;
  EXPECT_NE(refused.err.find("Input/output error"), std::string::npos) << refused;
  ShellResult r = Sh("mt -f " + Mnt() + " rewind && mt -f " + Mnt() + " eod && mt -f " +
                     Mnt("file000") + " weof 1");
  ASSERT_TRUE(r.ok()) << r;
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].first, "file001");
  EXPECT_EQ(listed[1].second, 0u);
}

TEST_F(MtTest, WeofOnTheDirectoryIsRefusedByTheKernel) {
  MountTape();
  ShellResult r = Sh("mt -f " + Mnt() + " weof 1");
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_NE(r.err.find("Is a directory"), std::string::npos) << r;
}

TEST_F(MtTest, EraseEmptiesTheTape) {
  MountTape();
  ASSERT_TRUE(Sh("echo a > " + Mnt("file000") + " && echo b > " + Mnt("file001")).ok());
  ShellResult r = Sh("mt -f " + Mnt() + " rewind && mt -f " + Mnt("file000") + " erase");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_TRUE(ListSizes(Mnt()).empty());
  ASSERT_TRUE(Sh("echo c > " + Mnt("file000")).ok());
  EXPECT_EQ(Sh("head -c 2 " + Mnt("file000")).out, "c\n");
}

TEST_F(MtTest, OnlyRewindAfterWrite) {
  MountTape();
  // A descriptor that has written: weof refused, rewind accepted (and it
  // ends the file with its filemark).
  const std::string py =
      "import fcntl, os, struct, sys\n"
      "MTIOCTOP = 0x40086d01\n"
      "fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT)\n"
      "os.write(fd, b'x' * 1000)\n"
      "try:\n"
      "    fcntl.ioctl(fd, MTIOCTOP, struct.pack('hxxi', 5, 1))\n"
      "    print('weof accepted')\n"
      "except OSError as e:\n"
      "    print('weof errno', e.errno)\n"
      "fcntl.ioctl(fd, MTIOCTOP, struct.pack('hxxi', 6, 1))\n"
      "print('rewind ok')\n"
      "os.close(fd)\n";
  ShellResult r = Sh("python3 -c " + Quote(py) + " " + Mnt("file000"));
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "weof errno 5\nrewind ok\n") << r;
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].second, 1024u);
}

}  // namespace
}  // namespace tsfs::fusefs_test
