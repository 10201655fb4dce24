// What a tape administrator expects at the edges: a non-empty mount point
// is refused unless -o nonempty, every write on a write-protected tape is
// EROFS, a refused mt operation after a write logs ts's diagnostic, and the
// tape is free once tsfs has logged its unmount.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/foreground_mount.h"
#include "tests/fusefs/mount_harness.h"
#include "tests/fusefs/vtape_fixture.h"

namespace tsfs::fusefs_test {
namespace {

class AdminRulesTest : public VtapeMountTest {};

TEST_F(AdminRulesTest, NonEmptyMountPointIsRefusedUnlessNonempty) {
  ASSERT_TRUE(Sh("mkdir -p " + Mnt() + " && echo kept > " + Mnt("notes")).ok());
  TsfsMount refused(Source(), Mnt());
  ShellResult r = refused.Mount();
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_NE(r.err.find("is not empty (-o nonempty mounts over it)"), std::string::npos) << r;
  EXPECT_FALSE(refused.mounted());

  TsfsMount over(Source(), Mnt(), "nonempty");
  ShellResult ok = over.Mount();
  ASSERT_TRUE(ok.ok()) << ok;
  EXPECT_TRUE(over.mounted());
  EXPECT_TRUE(Sh("echo a > " + Mnt("file000")).ok());
  EXPECT_EQ(ListSizes(Mnt()).size(), 1u);
  ASSERT_TRUE(over.Unmount().ok());
  EXPECT_EQ(ReadWholeFile(Mnt("notes")), "kept\n");  // hidden, never touched

  ShellResult help = Sh(TsfsBinary() + " --help");
  EXPECT_NE(help.out.find("nonempty"), std::string::npos) << help;
}

// Python: the errno of each way of writing on the mount, one line each.
constexpr const char* kEveryWrite = R"PY(
import errno, os, sys
m = sys.argv[1]
def attempt(what, call):
    try:
        os.close(call())
        print(what, 'ok')
    except OSError as e:
        print(what, errno.errorcode[e.errno])
attempt('create', lambda: os.open(m + '/file001', os.O_WRONLY | os.O_CREAT))
attempt('wrong-name', lambda: os.open(m + '/file005', os.O_WRONLY | os.O_CREAT))
attempt('existing-wronly', lambda: os.open(m + '/file000', os.O_WRONLY))
attempt('existing-trunc', lambda: os.open(m + '/file000', os.O_WRONLY | os.O_TRUNC))
attempt('existing-rdwr', lambda: os.open(m + '/file000', os.O_RDWR))
attempt('read', lambda: os.open(m + '/file000', os.O_RDONLY))
)PY";

TEST_F(AdminRulesTest, EveryWriteOnAWriteProtectedTapeIsErofs) {
  MountTape();
  ASSERT_TRUE(Sh("echo kept > " + Mnt("file000")).ok());
  for (const char* mount_options : {"", "overwrite"}) {
    Remount("ro", mount_options);
    ShellResult r = Sh("python3 -c " + Quote(kEveryWrite) + " " + Mnt());
    ASSERT_TRUE(r.ok()) << r;
    EXPECT_EQ(r.out,
              "create EROFS\nwrong-name EROFS\nexisting-wronly EROFS\nexisting-trunc EROFS\n"
              "existing-rdwr EROFS\nread ok\n")
        << "-o " << mount_options << ": " << r;
    ShellResult weof = Sh("mt -f " + Mnt("file000") + " weof 1");
    EXPECT_NE(weof.err.find("Read-only file system"), std::string::npos) << weof;
  }
  EXPECT_EQ(Sh("cat " + Mnt("file000") + " | tr -d '\\0'").out, "kept\n");
  EXPECT_EQ(ListSizes(Mnt()).size(), 1u);
}

TEST_F(AdminRulesTest, MtOperationAfterAWriteLogsTheTsDiagnostic) {
  const std::string log = Tmp("tsfs.log");
  ForegroundTsfs tsfs(Source(), Mnt(), "", log);
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ASSERT_TRUE(Sh("echo a > " + Mnt("file000")).ok());
  ShellResult fsf = Sh("mt -f " + Mnt() + " fsf 1");
  EXPECT_NE(fsf.err.find("Input/output error"), std::string::npos) << fsf;
  EXPECT_NE(tsfs.Log().find("tsioctl: bad operation after write"), std::string::npos) << tsfs.Log();
  // Through the written file's own descriptor the same.
  ASSERT_TRUE(Sh("echo b > " + Mnt("file001")).ok());
  ShellResult eod = Sh("mt -f " + Mnt("file001") + " eod");
  EXPECT_NE(eod.status, 0) << eod;
  ASSERT_TRUE(Sh("mt -f " + Mnt() + " rewind && mt -f " + Mnt() + " fsf 1").ok());
}

// Detached (no -f) with standard error sent to a file: the daemon's
// diagnostics go on there (this machine may have no system log at all).
TEST_F(AdminRulesTest, DetachedTsfsLogsToTheFileGivenAsStandardError) {
  const std::string log = Tmp("tsfs.log");
  TsfsMount mount(Source(), Mnt());  // unmounts at the end
  ShellResult r =
      Sh(Quote(TsfsBinary()) + " " + Quote(Source()) + " " + Quote(Mnt()) + " 2>>" + Quote(log));
  ASSERT_TRUE(r.ok()) << r << ReadWholeFile(log);
  ASSERT_TRUE(Sh("echo a > " + Mnt("file000")).ok());
  ShellResult fsf = Sh("mt -f " + Mnt() + " fsf 1");
  EXPECT_NE(fsf.err.find("Input/output error"), std::string::npos) << fsf;
  EXPECT_NE(ReadWholeFile(log).find("tsioctl: bad operation after write"), std::string::npos)
      << ReadWholeFile(log);
  ASSERT_TRUE(mount.Unmount().ok());
  EXPECT_NE(ReadWholeFile(log).find("unmounted"), std::string::npos) << ReadWholeFile(log);
}

// The unmount command returns before tsfs has rewound the tape and let go
// of it (tsfs(8), UNMOUNTING); its last line, "unmounted", comes once it
// has, so a script that waits for that line can open the tape at once. The
// README's demo ran `tstape list` right after the unmount and found the
// image still locked ("in use by another vtape").
TEST_F(AdminRulesTest, TheTapeIsFreeOnceTsfsHasLoggedUnmounted) {
  const std::string log = Tmp("tsfs.log");
  TsfsMount mount(Source(), Mnt());  // unmounts at the end if a step failed
  ShellResult r =
      Sh(Quote(TsfsBinary()) + " " + Quote(Source()) + " " + Quote(Mnt()) + " 2>>" + Quote(log));
  ASSERT_TRUE(r.ok()) << r << ReadWholeFile(log);
  ASSERT_TRUE(Sh("head -c 1000 /dev/urandom > " + Mnt("file000")).ok());
  ShellResult after =
      Sh("fusermount3 -u " + Quote(Mnt()) + " && for i in $(seq 1000); do grep -q unmounted " +
         Quote(log) + " && break; sleep 0.01; done && flock -n " + Quote(Image()) + " true && " +
         Quote(TstapeBinary()) + " list " + Quote(Source()));
  ASSERT_TRUE(after.ok()) << after << ReadWholeFile(log);
  EXPECT_NE(after.out.find("1024"), std::string::npos) << after;  // 1000 bytes, 2 blocks
}

}  // namespace
}  // namespace tsfs::fusefs_test
