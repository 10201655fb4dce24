// The rows of tsfs(8)'s errno table that no everyday program reaches:
// truncate, ioctl requests other than mt's, mt with bad arguments, an mt
// operation while another file streams, opens with unusual flags. Each
// through a real vtape mount by the system call itself, with the errno of
// the table and the tape unchanged after it.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class SyscallErrorsTest : public VtapeMountTest {};

// Only a truncation to 0 of a file just opened for writing is accepted
// (what `truncate -s 0` and O_TRUNC without atomic O_TRUNC send); with
// overwrite it cuts the tape at that file.
TEST_F(SyscallErrorsTest, TruncateOnlyToZeroOfAFileJustOpenedForWriting) {
  MountTape("", "overwrite");
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000") + " && echo one > " + Mnt("file001")).ok());
  ShellResult r =
      Py("fd = os.open(m + '/file002', os.O_WRONLY | os.O_CREAT)\n"
         "print(err(os.ftruncate, fd, 0))\n"
         "os.write(fd, b'two\\n')\n"
         "print(err(os.ftruncate, fd, 0), err(os.ftruncate, fd, 100))\n"
         "os.close(fd)\n"
         "print(err(os.truncate, m + '/file000', 0), err(os.truncate, m + '/file000', 3))\n"
         "fd = os.open(m + '/file000', os.O_RDONLY)\n"
         "print(os.read(fd, 5))\n"
         "os.close(fd)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "ok\nEPERM EPERM\nEPERM EPERM\nb'zero\\n'\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 3u);
  EXPECT_EQ(Sh("head -c 4 " + Mnt("file002")).out, "two\n");

  ShellResult cut = Sh("truncate -s 0 " + Mnt("file001"));
  ASSERT_TRUE(cut.ok()) << cut;
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[1].second, 0u);
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file000")).out, "zero\n");
}

// ioctl: a negative mt count and an operation outside the set are EINVAL,
// block device requests ENXIO, any other request ENOTTY; none moves the
// tape or changes a file.
TEST_F(SyscallErrorsTest, IoctlRequestsOutsideMtAndBadMtArguments) {
  MountTape();
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000")).ok());
  ShellResult r = Py(
      "import fcntl, struct\n"
      "MTIOCTOP, BLKGETSIZE64, OTHER = 0x40086d01, 0x80081272, 0x80047801\n"
      "d = os.open(m, os.O_RDONLY)\n"
      "print(err(fcntl.ioctl, d, MTIOCTOP, struct.pack('hi', 6, -1)))\n"  // rewind -1
      "print(err(fcntl.ioctl, d, MTIOCTOP, struct.pack('hi', 99, 1)))\n"
      "print(err(fcntl.ioctl, d, BLKGETSIZE64, bytes(8)))\n"
      "print(err(fcntl.ioctl, d, OTHER, bytes(4)))\n"
      "os.close(d)\n"
      "f = os.open(m + '/file000', os.O_RDONLY)\n"
      "print(err(fcntl.ioctl, f, BLKGETSIZE64, bytes(8)), err(fcntl.ioctl, f, OTHER, bytes(4)))\n"
      "print(os.read(f, 5))\n"
      "os.close(f)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EINVAL\nEINVAL\nENXIO\nENOTTY\nENXIO ENOTTY\nb'zero\\n'\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 1u);
}

// An mt operation through the directory, or through an idle descriptor of
// another file, while a file is being written: EBUSY after the short busy
// wait (the writer's process still holds it), and the file written goes on.
TEST_F(SyscallErrorsTest, MtOperationWhileAnotherFileIsWrittenIsEbusy) {
  MountTape();
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000")).ok());
  ShellResult r =
      Py("import fcntl, struct\n"
         "MTIOCTOP, MTREW = 0x40086d01, 6\n"
         "idle = os.open(m + '/file000', os.O_RDONLY)\n"
         "w = os.open(m + '/file001', os.O_WRONLY | os.O_CREAT)\n"
         "os.write(w, b'one\\n')\n"
         "d = os.open(m, os.O_RDONLY)\n"
         "print(err(fcntl.ioctl, d, MTIOCTOP, struct.pack('hi', MTREW, 1)))\n"
         "print(err(fcntl.ioctl, idle, MTIOCTOP, struct.pack('hi', MTREW, 1)))\n"
         "os.write(w, b'more\\n')\n"
         "os.close(w)\n"
         "print(err(fcntl.ioctl, d, MTIOCTOP, struct.pack('hi', MTREW, 1)))\n"
         "os.close(d)\n"
         "os.close(idle)\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EBUSY\nEBUSY\nok\n");
  EXPECT_EQ(Sh("head -c 9 " + Mnt("file001")).out, "one\nmore\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 2u);
}

// Flags that ask to write an existing file without -o overwrite: EPERM
// whichever way they ask (O_RDONLY|O_TRUNC, O_RDWR|O_APPEND, O_WRONLY);
// a directory is not a tape file (EISDIR) and an unknown name ENOENT.
TEST_F(SyscallErrorsTest, OpenFlagsThatWouldWriteAnExistingFile) {
  MountTape();
  ASSERT_TRUE(Sh("echo zero > " + Mnt("file000")).ok());
  ShellResult r = Py(
      "f = m + '/file000'\n"
      "def opened(path, flags):\n"
      "    os.close(os.open(path, flags))\n"
      "print(err(opened, f, os.O_RDONLY | os.O_TRUNC), err(opened, f, os.O_RDWR | os.O_APPEND),\n"
      "      err(opened, f, os.O_WRONLY))\n"
      "print(err(opened, m + '/file0', os.O_RDONLY), err(opened, m + '/file001', os.O_RDONLY))\n"
      "print(err(opened, m, os.O_WRONLY))\n");
  ASSERT_TRUE(r.ok()) << r;
  EXPECT_EQ(r.out, "EPERM EPERM EPERM\nENOENT ENOENT\nEISDIR\n");
  EXPECT_EQ(Sh("head -c 5 " + Mnt("file000")).out, "zero\n");
}

}  // namespace
}  // namespace tsfs::fusefs_test
