// A whole tape library as one mount, on the vtape library and on tgtd's
// virtual tape library (2 drives, 6 cartridges): `ls` shows the volume
// tags; cp to two cartridges at once, tar to a third (which unloads the
// least recently used one), unmount, remount, every file cmp-equal; the
// robot moves exactly what the policy needs, counted from tsfs's log.
#include <gtest/gtest.h>

#include <string>

#include "tests/fusefs/mount_harness.h"
#include "tests/support/targets.h"
#include "tests/support/test_library.h"

namespace tsfs::fusefs_test {
namespace {

using testing::LibraryKind;

constexpr size_t kFileBytes = 3u << 20;
// A tape file ends in the zeros of its last 512-byte block.
constexpr const char* kNoPadding = " | tr -d '\\000'";

class LibraryMountTest : public ::testing::TestWithParam<LibraryKind> {
 protected:
  void SetUp() override {
    testing::LibraryOptions options;
    options.drives = 2;
    options.cartridges = 6;
    options.slots = 8;
    options.size_mb = 40;
    auto lib = testing::StartTestLibrary(GetParam(), options);
    if (!lib.ok() && lib.status().code() == ErrorCode::kNotFound && !testing::InCi()) {
      GTEST_SKIP() << lib.status().ToString();
    }
    ASSERT_TRUE(lib.ok()) << lib.status().ToString();
    lib_ = std::move(lib).value();
    lib_->vtlib.reset();  // tsfs opens its own; the test keeps only the images
    mnt_ = tmp_ / "mnt";
    log_ = tmp_ / "tsfs.log";
    Sh("mkdir -p " + Quote(mnt_) + " " + Quote(tmp_ / "src") + " " + Quote(tmp_ / "back"));
  }

  // tsfs as a user starts it, its log in a file (it detaches once ready).
  ShellResult MountLibrary(const std::string& options = "") {
    std::string cmd = Quote(TsfsBinary()) + " " + Quote(lib_->changer_source) + " " + Quote(mnt_) +
                      " -o catalog_dir=" + Quote(tmp_ / "catalogs");
    if (!options.empty()) cmd += "," + options;
    return Sh(cmd + " 2>>" + Quote(log_), 120);
  }
  ShellResult Unmount() {
    ShellResult r = Sh("fusermount3 -u " + Quote(mnt_));
    if (r.ok() && !WaitDaemonGone(mnt_)) {
      r.status = 1;
      r.err += "tsfs did not exit after the unmount";
    }
    return r;
  }
  // MOVE MEDIUM commands tsfs logged so far.
  int Moves() {
    const ShellResult r = Sh("grep -c 'robot moved' " + Quote(log_) + " || true");
    return r.out.empty() ? 0 : std::stoi(r.out);
  }
  std::string Log() { return ReadWholeFile(log_); }
  std::string Dir(int i) const { return mnt_ + "/" + lib_->barcode(i); }

  void TearDown() override {
    if (IsTsfsMounted(mnt_)) Unmount();
  }

  std::unique_ptr<testing::TestLibrary> lib_;
  TempDir tmp_;
  std::string mnt_;
  std::string log_;
};

TEST_P(LibraryMountTest, TwoAtOnceThenAThirdRemountAndCompare) {
  MakeDataFile(tmp_ / "a", kFileBytes, 1);
  MakeDataFile(tmp_ / "b", kFileBytes, 2);
  MakeDataFile(tmp_ / "src/c1", kFileBytes / 3, 3);
  MakeDataFile(tmp_ / "src/c2", 1000, 4);
  ShellResult m = MountLibrary();
  ASSERT_TRUE(m.ok()) << m << Log();
  ShellResult ls = Sh("ls " + Quote(mnt_));
  ASSERT_TRUE(ls.ok()) << ls;
  EXPECT_EQ(ls.out, "LIB001\nLIB002\nLIB003\nLIB004\nLIB005\nLIB006\n") << Log();
  EXPECT_EQ(Moves(), 0) << "mounting and listing the library moves nothing\n" << Log();

  // Two cartridges in two drives at the same time.
  ShellResult two =
      Sh("cp " + Quote(tmp_ / "a") + " " + Quote(Dir(0) + "/file000") + " & cp " +
         Quote(tmp_ / "b") + " " + Quote(Dir(1) + "/file000") + " & wait %1 && wait %2");
  ASSERT_TRUE(two.ok()) << two << Log();
  EXPECT_EQ(Moves(), 2) << Log();
  // A third: the least recently used idle drive gives its cartridge back.
  ShellResult tar =
      Sh("tar -cf " + Quote(Dir(2) + "/file000") + " -C " + Quote(tmp_ / "src") + " c1 c2");
  ASSERT_TRUE(tar.ok()) << tar << Log();
  EXPECT_EQ(Moves(), 4) << Log();
  EXPECT_EQ(Sh("ls " + Quote(Dir(2))).out, "file000\n");
  ASSERT_TRUE(Unmount().ok()) << Log();
  EXPECT_EQ(Moves(), 6) << "unmount puts both loaded cartridges home\n" << Log();

  // Remount: the directories of cartridges in their slots are listed from
  // the catalogs kept in the first mount, without a move.
  m = MountLibrary();
  ASSERT_TRUE(m.ok()) << m << Log();
  ShellResult sizes = Sh("stat -c '%n %s' " + Quote(Dir(0) + "/file000") + " " +
                         Quote(Dir(1) + "/file000") + " && ls " + Quote(Dir(2)));
  ASSERT_TRUE(sizes.ok()) << sizes;
  EXPECT_EQ(Moves(), 6) << Log();
  EXPECT_NE(sizes.out.find("file000 " + std::to_string(Padded(kFileBytes))), std::string::npos)
      << sizes;
  ShellResult cmp = Sh("cmp -n " + std::to_string(kFileBytes) + " " + Quote(tmp_ / "a") + " " +
                       Quote(Dir(0) + "/file000") + " && cmp -n " + std::to_string(kFileBytes) +
                       " " + Quote(tmp_ / "b") + " " + Quote(Dir(1) + "/file000") + " && tar -xf " +
                       Quote(Dir(2) + "/file000") + " -C " + Quote(tmp_ / "back") + " && cmp " +
                       Quote(tmp_ / "src/c1") + " " + Quote(tmp_ / "back/c1") + " && cmp " +
                       Quote(tmp_ / "src/c2") + " " + Quote(tmp_ / "back/c2"));
  ASSERT_TRUE(cmp.ok()) << cmp << Log();
  // LIB001, LIB002 loaded; LIB003 took LIB001's drive: 2 + 2 moves.
  EXPECT_EQ(Moves(), 10) << Log();
  ASSERT_TRUE(Unmount().ok()) << Log();
  EXPECT_EQ(Moves(), 12) << Log();
}

// A cartridge moved behind tsfs's back (another program drives tgtd's
// robot; the vtape library lives inside tsfs, so only tgtd can show it):
// tsfs notices it at the next access and writes to the right cartridge.
TEST_P(LibraryMountTest, CartridgeMovedBehindTheBackIsNoticed) {
  if (GetParam() != LibraryKind::kTgtd) GTEST_SKIP() << "needs a robot shared by two programs";
  ASSERT_TRUE(MountLibrary().ok()) << Log();
  ASSERT_TRUE(Sh("echo first > " + Quote(Dir(0) + "/file000")).ok()) << Log();
  // LIB001 is in drive 0. Someone unloads it and puts LIB004 there.
  const std::string tstape = Quote(TstapeBinary()) + " changer " + Quote(lib_->changer_source);
  ShellResult moved = Sh(tstape + " unload 0 && " + tstape + " load 4 0");
  ASSERT_TRUE(moved.ok()) << moved;
  ShellResult second = Sh("echo second > " + Quote(Dir(0) + "/file001"));
  ASSERT_TRUE(second.ok()) << second << Log();
  EXPECT_NE(Log().find("moved out of the drive"), std::string::npos) << Log();
  EXPECT_EQ(
      Sh("cat " + Quote(Dir(0) + "/file000") + " " + Quote(Dir(0) + "/file001") + kNoPadding).out,
      "first\nsecond\n")
      << Log();
  // LIB004 got nothing.
  EXPECT_EQ(Sh("ls " + Quote(Dir(3))).out, "") << Log();
  ASSERT_TRUE(Unmount().ok()) << Log();
}

// A drive LUN removed from tgtd while the library is mounted (the vtape
// library's drive going away is LibraryMountFaultsTest's): the mount goes on
// through the other drive; the cartridge in the removed drive cannot be
// taken out by tgtd's robot (53/02), so its files are EIO and nothing of it
// is written anywhere else.
TEST_P(LibraryMountTest, ADriveLunRemovedTheOtherServes) {
  if (GetParam() != LibraryKind::kTgtd) GTEST_SKIP() << "needs a drive removed from outside";
  ASSERT_TRUE(MountLibrary().ok()) << Log();
  ASSERT_TRUE(Sh("echo one > " + Quote(Dir(0) + "/file000")).ok()) << Log();  // drive 0
  ASSERT_TRUE(Sh("echo two > " + Quote(Dir(1) + "/file000")).ok()) << Log();  // drive 1
  ASSERT_TRUE(lib_->RemoveDrive(0).ok());
  // LIB003 needs a drive: drive 0 (least recently used) is asked first and
  // found gone; LIB002 leaves drive 1 for it.
  ShellResult three = Sh("echo three > " + Quote(Dir(2) + "/file000"));
  ASSERT_TRUE(three.ok()) << three << Log();
  EXPECT_NE(Log().find(") is gone: its logical unit is no longer there"), std::string::npos)
      << Log();
  ShellResult stuck = Sh("cat " + Quote(Dir(0) + "/file000"));
  EXPECT_NE(stuck.status, 0) << stuck;
  EXPECT_NE(stuck.err.find("Input/output error"), std::string::npos) << stuck << Log();
  EXPECT_EQ(
      Sh("cat " + Quote(Dir(1) + "/file000") + " " + Quote(Dir(2) + "/file000") + kNoPadding).out,
      "two\nthree\n")
      << Log();
  EXPECT_EQ(Sh("ls " + Quote(Dir(3))).out, "") << Log();
  ASSERT_TRUE(Unmount().ok()) << Log();
}

INSTANTIATE_TEST_SUITE_P(Libraries, LibraryMountTest,
                         ::testing::Values(LibraryKind::kVtlib, LibraryKind::kTgtd),
                         [](const auto& info) { return testing::LibraryKindName(info.param); });

}  // namespace
}  // namespace tsfs::fusefs_test

namespace tsfs::fusefs_test {
namespace {

// The vtape library's faults through a real mount.
class LibraryMountFaultsTest : public ::testing::Test {
 protected:
  // `extra`: vtlib fault options; one more cartridge without a barcode
  // (007.tap) is put in slot 7; slot 8 stays empty.
  void Start(const std::string& extra) {
    testing::LibraryOptions options;
    options.cartridges = 6;
    options.slots = 8;
    options.size_mb = 10;
    auto lib = testing::StartTestLibrary(LibraryKind::kVtlib, options, extra);
    ASSERT_TRUE(lib.ok()) << lib.status().ToString();
    lib_ = std::move(lib).value();
    lib_->vtlib.reset();
    ASSERT_TRUE(
        Sh("cp " + Quote(lib_->dir.File("LIB006.tap")) + " " + Quote(lib_->dir.File("007.tap")))
            .ok());
    mnt_ = tmp_ / "mnt";
    Sh("mkdir -p " + Quote(mnt_));
    // Catalogs of its own: cartridges of every run are called LIB001...,
    // and a catalog left in the default store by an earlier run would list
    // file000 on a tape that does not have it.
    const std::string cmd = Quote(TsfsBinary()) + " " + Quote(lib_->changer_source) + " " +
                            Quote(mnt_) + " -o catalog_dir=" + Quote(tmp_ / "catalogs") + " 2>>" +
                            Quote(tmp_ / "tsfs.log");
    ShellResult m = Sh(cmd);
    ASSERT_TRUE(m.ok()) << m << ReadWholeFile(tmp_ / "tsfs.log");
  }
  void TearDown() override {
    if (!mnt_.empty() && IsTsfsMounted(mnt_)) {
      Sh("fusermount3 -u " + Quote(mnt_));
      WaitDaemonGone(mnt_);
    }
  }
  std::string Path(const std::string& rel) const { return mnt_ + "/" + rel; }
  std::string Log() { return ReadWholeFile(tmp_ / "tsfs.log"); }

  std::unique_ptr<testing::TestLibrary> lib_;
  TempDir tmp_;
  std::string mnt_;
};

TEST_F(LibraryMountFaultsTest, NamesEmptySlotAndWriteProtection) {
  Start("ro=LIB002");
  ShellResult ls = Sh("ls " + Quote(mnt_));
  EXPECT_EQ(ls.out, "LIB001\nLIB002\nLIB003\nLIB004\nLIB005\nLIB006\nslot007\n") << ls;
  // The root has no drive: df counts its cartridges, mt is refused (ENOTTY).
  ShellResult df = Sh("stat -f -c '%S %b %c' " + Quote(mnt_));
  EXPECT_EQ(df.out, "512 0 7\n") << df;
  ShellResult mt = Sh("mt -f " + Quote(mnt_) + " status");
  EXPECT_NE(mt.status, 0);
  EXPECT_NE(mt.err.find("Inappropriate ioctl for device"), std::string::npos) << mt;
  // The lookup before every create: getattr of a name in a cartridge no
  // drive holds is answered from the cartridge's catalog (tsfs once died
  // here on the unit it did not have).
  ShellResult absent = Sh("stat " + Quote(Path("LIB003/file000")));
  EXPECT_NE(absent.err.find("No such file or directory"), std::string::npos) << absent;
  ShellResult empty = Sh("ls " + Quote(Path("slot008")));
  EXPECT_NE(empty.status, 0);
  EXPECT_NE(empty.err.find("No such file or directory"), std::string::npos) << empty;
  ShellResult ro = Sh("echo x > " + Quote(Path("LIB002/file000")));
  EXPECT_NE(ro.status, 0);
  EXPECT_NE(ro.err.find("Read-only file system"), std::string::npos) << ro;
  EXPECT_EQ(Sh("ls " + Quote(Path("LIB002"))).out, "");  // nothing reached the tape
  ASSERT_TRUE(Sh("echo untagged > " + Quote(Path("slot007/file000"))).ok());
  EXPECT_EQ(Sh("cat " + Quote(Path("slot007/file000")) + kNoPadding).out, "untagged\n");
  // Its size once it is back out of reach, from the catalog last seen.
  EXPECT_EQ(Sh("stat -c %s " + Quote(Path("slot007/file000"))).out,
            std::to_string(Padded(9)) + "\n");
  // df of a cartridge no drive holds: its one file, no capacity known.
  EXPECT_EQ(Sh("stat -f -c '%b %c' " + Quote(Path("slot007"))).out, "0 1\n");
  // A new name in the root would be a new cartridge: refused.
  EXPECT_NE(Sh("echo x > " + Quote(Path("LIB009"))).status, 0);
  EXPECT_NE(Sh("mkdir " + Quote(Path("LIB009"))).status, 0);
}

// The move home at the unmount fails (the second move of the robot): the
// unmount still ends, the failure is logged, and the file written is on
// the cartridge.
TEST_F(LibraryMountFaultsTest, AFailedMoveHomeAtUnmountIsLoggedAndLosesNothing) {
  Start("failmove=2");
  ASSERT_TRUE(Sh("echo kept > " + Quote(Path("LIB001/file000"))).ok());
  ShellResult u = Sh("fusermount3 -u " + Quote(mnt_));
  ASSERT_TRUE(u.ok()) << u;
  ASSERT_TRUE(WaitDaemonGone(mnt_));
  EXPECT_NE(Log().find("closing the library: "), std::string::npos) << Log();
  EXPECT_NE(ReadWholeFile(lib_->dir.File("LIB001.tap")).find("kept\n"), std::string::npos);
}

TEST_F(LibraryMountFaultsTest, RobotFailureIsEioAndTheCartridgeStaysReachable) {
  Start("failmove=1&missing=LIB004");
  ShellResult failed = Sh("echo x > " + Quote(Path("LIB001/file000")));
  EXPECT_NE(failed.status, 0);
  EXPECT_NE(failed.err.find("Input/output error"), std::string::npos) << failed;
  // The changer says LIB001 never left its slot: the next access loads it.
  ASSERT_TRUE(Sh("echo y > " + Quote(Path("LIB001/file000"))).ok());
  EXPECT_EQ(Sh("cat " + Quote(Path("LIB001/file000")) + kNoPadding).out, "y\n");
  // A cartridge the inventory lists but the robot does not find.
  ShellResult missing = Sh("ls " + Quote(Path("LIB004")));
  EXPECT_NE(missing.status, 0) << missing;
  EXPECT_EQ(Sh("ls " + Quote(mnt_) + " | grep -c LIB004").out, "0\n");
}

// gone=0@2: drive 0 stops answering once the robot has made two moves. The
// mount goes on through drive 1: the cartridge that was in drive 0 is taken
// home by the robot and read and written through drive 1.
TEST_F(LibraryMountFaultsTest, ADriveThatGoesAwayAndTheOtherServes) {
  Start("gone=0@2");
  constexpr size_t kBytes = 1u << 20;
  MakeDataFile(tmp_ / "a", kBytes, 7);
  MakeDataFile(tmp_ / "b", kBytes, 8);
  const std::string a = Quote(tmp_ / "a"), b = Quote(tmp_ / "b");
  const std::string n = " -n " + std::to_string(kBytes) + " ";
  ASSERT_TRUE(Sh("cp " + a + " " + Quote(Path("LIB001/file000"))).ok()) << Log();  // drive 0
  ASSERT_TRUE(Sh("cp " + b + " " + Quote(Path("LIB002/file000"))).ok()) << Log();  // drive 1
  ShellResult through_one =
      Sh("cmp" + n + a + " " + Quote(Path("LIB001/file000")) + " && cp " + b + " " +
         Quote(Path("LIB001/file001")) + " && cmp" + n + b + " " + Quote(Path("LIB001/file001")) +
         " && cmp" + n + b + " " + Quote(Path("LIB002/file000")));
  ASSERT_TRUE(through_one.ok()) << through_one << Log();
  EXPECT_EQ(Sh("grep -c ') is gone: it does not answer' " + Quote(tmp_ / "tsfs.log")).out, "1\n")
      << Log();
  EXPECT_EQ(Sh("ls " + Quote(Path("LIB001"))).out, "file000\nfile001\n");
  EXPECT_EQ(Sh("ls " + Quote(Path("LIB002"))).out, "file000\n");
  EXPECT_EQ(Sh("ls " + Quote(Path("LIB003"))).out, "") << Log();
  ASSERT_TRUE(Sh("fusermount3 -u " + Quote(mnt_)).ok());
  ASSERT_TRUE(WaitDaemonGone(mnt_));
  // Nothing reached a cartridge that was not written.
  EXPECT_EQ(Sh("stat -c %s " + Quote(lib_->dir.File("LIB003.tap"))).out, "0\n");
}

// gone + stuck: the cartridge in the gone drive cannot be taken out; its
// files give EIO, the other cartridges are served by drive 1.
TEST_F(LibraryMountFaultsTest, ACartridgeStuckInAGoneDriveIsEio) {
  Start("gone=0@2&stuck=0");
  ASSERT_TRUE(Sh("echo one > " + Quote(Path("LIB001/file000"))).ok()) << Log();
  ASSERT_TRUE(Sh("echo two > " + Quote(Path("LIB002/file000"))).ok()) << Log();
  ShellResult stuck = Sh("cat " + Quote(Path("LIB001/file000")));
  EXPECT_NE(stuck.status, 0) << stuck;
  EXPECT_NE(stuck.err.find("Input/output error"), std::string::npos) << stuck << Log();
  EXPECT_NE(Sh("echo more > " + Quote(Path("LIB001/file001"))).status, 0);
  ASSERT_TRUE(Sh("echo three > " + Quote(Path("LIB003/file000"))).ok()) << Log();
  EXPECT_EQ(
      Sh("cat " + Quote(Path("LIB002/file000")) + " " + Quote(Path("LIB003/file000")) + kNoPadding)
          .out,
      "two\nthree\n")
      << Log();
  // Listed from the catalog seen before the drive went.
  EXPECT_EQ(Sh("ls " + Quote(Path("LIB001"))).out, "file000\n");
  EXPECT_NE(Log().find("cartridge LIB001 stays in the drive at element 256"), std::string::npos)
      << Log();
}

// tsfs given a drive where a changer belongs (a tsbconf library whose
// changer is a tape): a clear error, exit status 1, nothing mounted.
TEST(LibraryMountErrorsTest, AChangerThatIsNotAChanger) {
  TempDir tmp;
  Sh("mkdir -p " + Quote(tmp / "mnt"));
  ASSERT_TRUE(Sh(Quote(TstapeBinary()) + " mkvtape " + Quote(tmp / "drive.tap")).ok());
  ASSERT_TRUE(Sh("printf '[library.0]\\nchanger = %s\\n' " + Quote(tmp / "drive.tap") + " > " +
                 Quote(tmp / "tsbconf"))
                  .ok());
  ShellResult r = Sh(Quote(TsfsBinary()) + " lib0 " + Quote(tmp / "mnt") +
                     " -o config=" + Quote(tmp / "tsbconf"));
  EXPECT_EQ(r.status, 1) << r;
  EXPECT_NE(r.err.find("not a media changer: peripheral device type 0x01 (tape)"),
            std::string::npos)
      << r;
  EXPECT_FALSE(IsTsfsMounted(tmp / "mnt"));
}

TEST(LibraryMountErrorsTest, NoLibraryDirectoryIsAClearError) {
  TempDir tmp;
  Sh("mkdir -p " + Quote(tmp / "mnt"));
  ShellResult r = Sh(Quote(TsfsBinary()) + " vtlib:" + tmp / "none" + " " + Quote(tmp / "mnt"));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find(tmp / "none"), std::string::npos) << r;
  EXPECT_FALSE(IsTsfsMounted(tmp / "mnt"));
}

}  // namespace
}  // namespace tsfs::fusefs_test
