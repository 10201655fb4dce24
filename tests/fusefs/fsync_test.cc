// fsync(2) on a file being written: the bytes so far are on the medium
// when it returns 0 (the last block padded, backed over by the next write,
// so the file has no zeros inside); a drive that cannot flush makes fsync
// fail with EIO and the ts message in the log, and loses nothing.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/foreground_mount.h"
#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

// Writes argv[2] in two parts with an fsync after the first; prints what
// fsync answered and how big the image file was right after it.
constexpr const char* kWriteWithFsync =
    "import errno, os, sys\n"
    "data = open(sys.argv[2], 'rb').read()\n"
    "fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT, 0o644)\n"
    "os.write(fd, data[:700])\n"
    "try:\n"
    "    os.fsync(fd)\n"
    "    print('fsync ok')\n"
    "except OSError as e:\n"
    "    print('fsync ' + errno.errorcode[e.errno])\n"
    "print('image', os.path.getsize(sys.argv[3]))\n"
    "os.write(fd, data[700:])\n"
    "os.close(fd)\n"
    "print('closed')\n";

class FsyncTest : public VtapeMountTest {};

TEST_F(FsyncTest, FsyncPutsTheBytesOnTheMediumAndTheFileContinues) {
  MountTape("", "catalog_dir=none");
  MakeDataFile(Tmp("d"), 1024, 31);
  ShellResult r = Sh("python3 -c " + Quote(kWriteWithFsync) + " " + Quote(Mnt("file000")) + " " +
                     Quote(Tmp("d")) + " " + Quote(Image()));
  ASSERT_TRUE(r.ok()) << r;
  // Two 512-byte records (the second one padded) with their length words.
  EXPECT_EQ(r.out, "fsync ok\nimage 1040\nclosed\n") << r;
  auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].second, 1024u);
  ShellResult cmp = Sh("cmp " + Quote(Tmp("d")) + " " + Quote(Mnt("file000")));
  EXPECT_TRUE(cmp.ok()) << "zeros inside the file after fsync: " << cmp;
}

TEST_F(FsyncTest, FailingDriveFlushIsEioAtFsyncAndLosesNothing) {
  const std::string log = Tmp("tsfs.log");
  MakeDataFile(Tmp("d"), 1024, 32);
  {
    ForegroundTsfs tsfs(Source("fail=wfm@0:medium"), Mnt(), "catalog_dir=none", log);
    ASSERT_TRUE(tsfs.started()) << tsfs.Log();
    ShellResult r = Sh("python3 -c " + Quote(kWriteWithFsync) + " " + Quote(Mnt("file000")) + " " +
                       Quote(Tmp("d")) + " " + Quote(Image()));
    ASSERT_TRUE(r.ok()) << r << "\n" << tsfs.Log();
    EXPECT_NE(r.out.find("fsync EIO\n"), std::string::npos) << r;
    EXPECT_NE(r.out.find("closed\n"), std::string::npos) << r;  // the next flush worked
    EXPECT_NE(tsfs.Log().find("Media error on write file marks"), std::string::npos) << tsfs.Log();
    ASSERT_TRUE(Sh("fusermount3 -u " + Quote(Mnt())).ok());
    EXPECT_TRUE(tsfs.Exited(std::chrono::seconds(60)));
  }
  MountTape("", "catalog_dir=none");
  ShellResult cmp = Sh("cmp " + Quote(Tmp("d")) + " " + Quote(Mnt("file000")));
  EXPECT_TRUE(cmp.ok()) << cmp;
}

}  // namespace
}  // namespace tsfs::fusefs_test
