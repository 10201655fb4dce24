// What one descriptor may do after another thing on it (fusefs/open_file.cc),
// through a real vtape mount with the system calls a program makes: the
// errno of tsfs(8)'s table, and nothing of the tape lost or changed.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class DescriptorRulesTest : public VtapeMountTest {};

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

// A new file opened O_RDWR is being written: a read on it is the ts
// "illegal read after write" (EIO) before and after data, and the file
// keeps what was written.
TEST_F(DescriptorRulesTest, ReadOnTheDescriptorWritingANewFileIsEio) {
  MountTape();
  ShellResult r =
      Py("fd = os.open(m + '/file000', os.O_RDWR | os.O_CREAT)\n"
         "print(err(os.read, fd, 10))\n"
         "os.write(fd, b'written\\n')\n"
         "print(err(os.pread, fd, 10, 0))\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EIO\nEIO\n");
  EXPECT_EQ(Sh("head -c 8 " + Mnt("file000")).out, "written\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 1u);
}

// Reading: a skip past the end stops at the filemark (0 bytes, no error);
// fsync of a reader does nothing; an mt operation through the reading
// descriptor ends its stream, and the next read opens the file again at
// the descriptor's offset; mt status works through a file.
TEST_F(DescriptorRulesTest, ReaderSkipsPastTheEndAndSurvivesAnMtOperation) {
  MountTape();
  MakeDataFile(Tmp("d"), 10000, 4);
  ASSERT_TRUE(
      Sh("cp " + Tmp("d") + " " + Mnt("file000") + " && echo one > " + Mnt("file001")).ok());
  ShellResult r =
      Py("import fcntl, struct\n"
         "MTIOCTOP, MTIOCGET, MTFSF = 0x40086d01, 0x80306d02, 1\n"
         "data = open(sys.argv[2], 'rb').read()\n"
         "fd = os.open(m + '/file000', os.O_RDONLY)\n"
         "print(os.pread(fd, 100, 1 << 20) == b'', os.pread(fd, 100, 2 << 20) == b'')\n"
         "os.close(fd)\n"
         "fd = os.open(m + '/file000', os.O_RDONLY)\n"
         "print(os.read(fd, 100) == data[:100], err(os.fsync, fd))\n"
         "fcntl.ioctl(fd, MTIOCTOP, struct.pack('hi', MTFSF, 1))\n"
         "print(os.read(fd, 100) == data[100:200])\n"
         "print(len(fcntl.ioctl(fd, MTIOCGET, bytes(48))))\n"
         "os.close(fd)\n",
         Tmp("d"));
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "True True\nTrue ok\nTrue\n48\n");
  EXPECT_TRUE(Sh("head -c 10000 " + Mnt("file000") + " | cmp - " + Tmp("d")).ok());
  EXPECT_EQ(Sh("head -c 4 " + Mnt("file001")).out, "one\n");
}

// Overwriting through an O_RDWR descriptor: a write after a read is EIO, a
// write not at 0 ESPIPE (above); after mt rewind (which ends the written
// file with its filemark) the next write and read are EIO, nothing added.
TEST_F(DescriptorRulesTest, OverwriteEndedByRewindRefusesTheNextWrite) {
  MountTape("", "overwrite");
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000") + " && echo one > " + Mnt("file001")).ok());
  ShellResult r =
      Py("import fcntl, struct\n"
         "MTIOCTOP, MTREW = 0x40086d01, 6\n"
         "fd = os.open(m + '/file000', os.O_RDWR)\n"
         "os.write(fd, b'cero\\n')\n"
         "fcntl.ioctl(fd, MTIOCTOP, struct.pack('hi', MTREW, 1))\n"
         "print(err(os.write, fd, b'lost'), err(os.read, fd, 4))\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EIO EIO\n");
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 1u);  // overwriting file000 cut the tape there
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file000")).out, "cero\n");
}

// ts: after a write only rewind and retension (which write the filemark
// first) are allowed. Another mt operation through the writing descriptor
// is EIO and leaves the file open for more writes; nothing is lost.
TEST_F(DescriptorRulesTest, OtherMtOperationOnTheWritingDescriptorIsEioAndWritingGoesOn) {
  MountTape();
  ShellResult r =
      Py("import fcntl, struct\n"
         "MTIOCTOP, MTFSF, MTEOM = 0x40086d01, 1, 12\n"
         "fd = os.open(m + '/file000', os.O_WRONLY | os.O_CREAT)\n"
         "os.write(fd, b'before\\n')\n"
         "print(err(fcntl.ioctl, fd, MTIOCTOP, struct.pack('hi', MTFSF, 1)),\n"
         "      err(fcntl.ioctl, fd, MTIOCTOP, struct.pack('hi', MTEOM, 1)))\n"
         "os.write(fd, b'after\\n')\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EIO EIO\n");
  EXPECT_EQ(Sh("head -c 13 " + Mnt("file000")).out, "before\nafter\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 1u);
}

}  // namespace
}  // namespace tsfs::fusefs_test
