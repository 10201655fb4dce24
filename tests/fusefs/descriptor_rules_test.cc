// What one descriptor may do after another thing on it (fusefs/open_file.cc),
// through a real vtape mount with the system calls a program makes: the
// errno of tsfs(8)'s table, and nothing of the tape lost or changed.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class DescriptorRulesTest : public VtapeMountTest {
 protected:
  // Runs a Python program with the mount point as argv[1]; its output.
  ShellResult Py(const std::string& body) {
    const std::string py =
        "import errno, os, sys\n"
        "m = sys.argv[1]\n"
        "def err(f, *a):\n"
        "    try:\n"
        "        f(*a)\n"
        "        return 'ok'\n"
        "    except OSError as e:\n"
        "        return errno.errorcode[e.errno]\n" +
        body;
    return Sh("python3 -c " + Quote(py) + " " + Mnt());
  }
};

// A descriptor writing a new file may only go forward from where it is.
TEST_F(DescriptorRulesTest, WritingElsewhereThanTheEndIsEspipe) {
  MountTape();
  ShellResult r =
      Py("fd = os.open(m + '/file000', os.O_WRONLY | os.O_CREAT)\n"
         "os.write(fd, b'abc')\n"
         "print(err(os.pwrite, fd, b'x', 0), err(os.pwrite, fd, b'x', 10))\n"
         "os.write(fd, b'def')\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "ESPIPE ESPIPE\n");
  EXPECT_EQ(Sh("head -c 6 " + Mnt("file000")).out, "abcdef");
}

// A close of a copy of the descriptor (a shell's dup) does not end the file:
// the writer goes on. An mt rewind on the writing descriptor does (ts rule:
// the filemark first); its next write cannot add to the finished file.
TEST_F(DescriptorRulesTest, WriteAfterARewindOnTheSameDescriptorIsEio) {
  MountTape();
  ShellResult r =
      Py("import fcntl, struct\n"
         "MTIOCTOP, MTREW = 0x40086d01, 6\n"
         "fd = os.open(m + '/file000', os.O_WRONLY | os.O_CREAT)\n"
         "os.write(fd, b'kept\\n')\n"
         "os.close(os.dup(fd))\n"
         "os.write(fd, b'more\\n')\n"
         "fcntl.ioctl(fd, MTIOCTOP, struct.pack('hi', MTREW, 1))\n"
         "print(err(os.write, fd, b'lost'))\n"
         "os.close(fd)\n"
         "fd = os.open(m + '/file001', os.O_WRONLY | os.O_CREAT)\n"
         "os.write(fd, b'next\\n')\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EIO\n");
  EXPECT_EQ(Sh("head -c 10 " + Mnt("file000")).out, "kept\nmore\n");
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file001")).out, "next\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 2u);
}

// O_RDWR on an existing file is what mt opens: it may move the tape and
// read, but writing over the file needs -o overwrite.
TEST_F(DescriptorRulesTest, ReadWriteDescriptorOnAnExistingFile) {
  MountTape();
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000") + " && echo one > " + Mnt("file001")).ok());
  ShellResult r =
      Py("fd = os.open(m + '/file000', os.O_RDWR)\n"
         "print(err(os.write, fd, b'x'))\n"
         "print(os.read(fd, 5))\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EPERM\nb'zero\\n'\n");

  Remount("", "overwrite");
  r =
      Py("fd = os.open(m + '/file000', os.O_RDWR)\n"
         "os.read(fd, 2)\n"
         "print(err(os.write, fd, b'x'))\n"  // the file is being read
         "os.close(fd)\n"
         "fd = os.open(m + '/file001', os.O_RDWR)\n"
         "print(err(os.pwrite, fd, b'x', 3))\n"  // overwriting starts at 0
         "os.write(fd, b'uno\\n')\n"
         "print(err(os.pread, fd, 4, 0))\n"  // no read after a write
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EIO\nESPIPE\nEIO\n");
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file000")).out, "zero\n");
  EXPECT_EQ(Sh("head -c 4 " + Mnt("file001")).out, "uno\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 2u);
}

}  // namespace
}  // namespace tsfs::fusefs_test
