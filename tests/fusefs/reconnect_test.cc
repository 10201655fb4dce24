// A mount over a real tgtd survives the target: killed and restarted on the
// same port and image (idle, mid-write, mid-read) or stopped for longer than
// the command timeout, the mount works again without an unmount (tsfs(8),
// WHEN THE TARGET GOES AWAY). Only the daemons the fixture started are
// signalled.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "tests/fusefs/foreground_mount.h"
#include "tests/fusefs/mount_harness.h"
#include "tests/support/targets.h"

namespace tsfs::fusefs_test {
namespace {

testing::TargetOptions SmallTape() {
  testing::TargetOptions options;
  options.size_mb = 64;
  return options;
}

class ReconnectTest : public ::testing::Test {
 protected:
  std::string Tmp(const std::string& name) const { return tmp_ / name; }
  std::string Mnt(const std::string& name = "") const {
    return name.empty() ? tmp_ / "mnt" : tmp_ / ("mnt/" + name);
  }
  // cmp of the first `size` bytes of a local file and a tape file.
  ShellResult Cmp(const std::string& local, const std::string& tape_file, size_t size) {
    return Sh(
        "cmp -n " + std::to_string(size) + " " + Quote(Tmp(local)) + " " + Quote(Mnt(tape_file)),
        60);
  }

  // Waits (bounded) for a file the test's shell creates.
  static bool WaitFor(const std::string& path, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      if (access(path.c_str(), F_OK) == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  std::string Go() const { return "while [ ! -e " + Quote(Tmp("go")) + " ]; do sleep 0.05; done"; }
  void Release() { Sh("touch " + Quote(Tmp("go"))); }

  TempDir tmp_;
};

TEST_F(ReconnectTest, TargetRestartedWhileIdle) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 200'000, 2);
  ForegroundTsfs tsfs(target->uri(), Mnt(), "", Tmp("log"));
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ShellResult cp = Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000")));
  ASSERT_TRUE(cp.ok()) << cp;
  // Read back once: the open waits for cp's release (the filemark), so the
  // mount is idle when the target goes.
  ASSERT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();

  ASSERT_TRUE(target->Restart().ok());

  // The mount works again: the file written before reads back, a new one
  // appends after it.
  ShellResult read = Cmp("a", "file000", 300'000);
  EXPECT_TRUE(read.ok()) << read << tsfs.Log();
  cp = Sh("cp " + Quote(Tmp("b")) + " " + Quote(Mnt("file001")));
  EXPECT_TRUE(cp.ok()) << cp << tsfs.Log();
  EXPECT_TRUE(Cmp("b", "file001", 200'000).ok()) << tsfs.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
  const auto listed = ListSizes(Mnt());
  ASSERT_EQ(listed.size(), 2u) << tsfs.Log();
  EXPECT_EQ(listed[0].second, Padded(300'000));
  EXPECT_EQ(listed[1].second, Padded(200'000));
}

// ts rule: what was being written when the target died fails with EIO on
// the next write or close; what reached the tape of it stays as a tape file
// without filemark; every earlier file is intact; the next file appends.
TEST_F(ReconnectTest, TargetRestartedMidWrite) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 8'000'000, 2);
  MakeDataFile(Tmp("c"), 100'000, 3);
  ForegroundTsfs tsfs(target->uri(), Mnt(), "", Tmp("log"));
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000"))).ok()) << tsfs.Log();

  // 3 MB go in and reach the tape (head's close flushes them), the target
  // restarts, then the rest of the data and the last close.
  auto writer = std::async(std::launch::async, [&] {
    return Sh("exec 3> " + Quote(Mnt("file001")) + "; head -c 3000000 " + Quote(Tmp("b")) +
              " >&3; touch " + Quote(Tmp("half")) + "; " + Go() + "; tail -c +3000001 " +
              Quote(Tmp("b")) + " >&3; echo write=$?; exec 3>&-; echo close=$?");
  });
  ASSERT_TRUE(WaitFor(Tmp("half"), std::chrono::seconds(60)));
  ASSERT_TRUE(target->Restart().ok());
  Release();
  ShellResult w = writer.get();
  EXPECT_TRUE(w.out.find("write=1") != std::string::npos ||
              w.out.find("close=1") != std::string::npos)
      << "the write or the close after the restart must fail: " << w << tsfs.Log();
  EXPECT_NE(w.err.find("Input/output error"), std::string::npos) << w;

  // Without an unmount: the earlier file is intact, the partial one holds
  // what reached the tape (a prefix of what was written), a new one appends.
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
  // head's close (a flush) put its 3 MB on the tape, the last block padded:
  // that much is there, the rest may be.
  ShellResult part =
      Sh("cat " + Quote(Mnt("file001")) + " > " + Quote(Tmp("got")) + " && stat -c %s " +
         Quote(Tmp("got")) + " && cmp -n 3000000 " + Quote(Tmp("got")) + " " + Quote(Tmp("b")));
  EXPECT_TRUE(part.ok()) << part << tsfs.Log();
  EXPECT_GE(std::stoull("0" + part.out), Padded(3'000'000)) << part;
  EXPECT_LE(std::stoull("0" + part.out), Padded(8'000'000)) << part;
  ShellResult cp = Sh("cp " + Quote(Tmp("c")) + " " + Quote(Mnt("file002")));
  EXPECT_TRUE(cp.ok()) << cp << tsfs.Log();
  EXPECT_TRUE(Cmp("c", "file002", 100'000).ok()) << tsfs.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
  EXPECT_EQ(ListSizes(Mnt()).size(), 3u) << tsfs.Log();
  EXPECT_NE(tsfs.Log().find("tsclose: error writing file mark on close"), std::string::npos)
      << tsfs.Log();
}

// A read in progress fails once with EIO (after the data read before);
// a new open of the same file reads it whole.
TEST_F(ReconnectTest, TargetRestartedMidRead) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 8'000'000, 2);
  ForegroundTsfs tsfs(target->uri(), Mnt(), "", Tmp("log"));
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000"))).ok()) << tsfs.Log();
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("b")) + " " + Quote(Mnt("file001"))).ok()) << tsfs.Log();

  auto reader = std::async(std::launch::async, [&] {
    return Sh("exec 3< " + Quote(Mnt("file001")) + "; dd bs=1M count=2 iflag=fullblock of=" +
              Quote(Tmp("part1")) + " <&3 2>/dev/null; touch " + Quote(Tmp("half")) + "; " + Go() +
              "; cat <&3 > " + Quote(Tmp("part2")) + "; echo read=$?; exec 3<&-");
  });
  ASSERT_TRUE(WaitFor(Tmp("half"), std::chrono::seconds(60)));
  ASSERT_TRUE(target->Restart().ok());
  Release();
  ShellResult r = reader.get();
  EXPECT_NE(r.out.find("read=1"), std::string::npos) << r << tsfs.Log();
  // What came before the error is the file's data.
  ShellResult prefix = Sh("cat " + Quote(Tmp("part1")) + " " + Quote(Tmp("part2")) + " > " +
                          Quote(Tmp("got")) + "; n=$(stat -c %s " + Quote(Tmp("got")) +
                          "); cmp -n $n " + Quote(Tmp("got")) + " " + Quote(Tmp("b")));
  EXPECT_TRUE(prefix.ok()) << prefix;

  EXPECT_TRUE(Cmp("b", "file001", 8'000'000).ok()) << tsfs.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
}

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// Short command timeouts so a stopped target is noticed in seconds.
constexpr const char* kShortTimeouts = "short_timeout=1,io_timeout=2,position_timeout=2";

// tgtd stopped (SIGSTOP) for longer than the command timeout, then
// continued: metadata answers meanwhile, an open fails after the short
// timeout, and the mount works again afterwards.
TEST_F(ReconnectTest, TargetStoppedLongerThanTheTimeout) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 200'000, 2);
  ForegroundTsfs tsfs(target->uri(), Mnt(), kShortTimeouts, Tmp("log"));
  ASSERT_TRUE(tsfs.started()) << tsfs.Log();
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000"))).ok()) << tsfs.Log();
  // Idle when the target stops: cp's release (the filemark) is done once
  // another open got the drive.
  ASSERT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();

  target->Freeze(true);
  auto t0 = Clock::now();
  ShellResult ls = Sh(
      "ls -l " + Quote(Mnt()) + " && stat " + Quote(Mnt("file000")) + " && df " + Quote(Mnt()), 30);
  const double ls_s = SecondsSince(t0);
  EXPECT_TRUE(ls.ok()) << ls;
  EXPECT_LT(ls_s, 1.0) << "metadata waited for the stopped target";
  RecordProperty("ls_stopped_ms", std::to_string(static_cast<int>(ls_s * 1000)));
  t0 = Clock::now();
  ShellResult open = Sh("cat " + Quote(Mnt("file000")) + " > /dev/null", 60);
  const double open_s = SecondsSince(t0);
  EXPECT_FALSE(open.ok()) << open;
  EXPECT_NE(open.err.find("Input/output error"), std::string::npos) << open;
  EXPECT_LT(open_s, 4.0) << "an open waited longer than the short timeout (1 s)";
  RecordProperty("open_stopped_ms", std::to_string(static_cast<int>(open_s * 1000)));
  std::this_thread::sleep_for(std::chrono::seconds(2));  // longer than every timeout
  target->Freeze(false);

  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
  ShellResult cp = Sh("cp " + Quote(Tmp("b")) + " " + Quote(Mnt("file001")));
  EXPECT_TRUE(cp.ok()) << cp << tsfs.Log();
  EXPECT_TRUE(Cmp("b", "file001", 200'000).ok()) << tsfs.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << tsfs.Log();
}

// A write hangs on a stopped target: ls -l answers at once, the write
// fails after the io timeout, and umount (the target still stopped) ends
// the tsfs process within the io and position timeouts, logging the
// filemark it could not write. After the target continues, a new mount
// finds the earlier file intact.
TEST_F(ReconnectTest, UmountWhileTheTargetIsStopped) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, SmallTape());
  MakeDataFile(Tmp("a"), 300'000, 1);
  MakeDataFile(Tmp("b"), 8'000'000, 2);
  auto tsfs = std::make_unique<ForegroundTsfs>(target->uri(), Mnt(), kShortTimeouts, Tmp("log"));
  ASSERT_TRUE(tsfs->started()) << tsfs->Log();
  ASSERT_TRUE(Sh("cp " + Quote(Tmp("a")) + " " + Quote(Mnt("file000"))).ok()) << tsfs->Log();

  auto writer = std::async(std::launch::async, [&] {
    return Sh("exec 3> " + Quote(Mnt("file001")) + "; head -c 3000000 " + Quote(Tmp("b")) +
              " >&3; touch " + Quote(Tmp("half")) + "; " + Go() + "; cat " + Quote(Tmp("b")) +
              " >&3; echo write=$?; exec 3>&-");
  });
  ASSERT_TRUE(WaitFor(Tmp("half"), std::chrono::seconds(60)));
  target->Freeze(true);
  Release();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the writer is stuck now
  auto t0 = Clock::now();
  ShellResult ls = Sh("ls -l " + Quote(Mnt()) + " && df " + Quote(Mnt()), 30);
  const double ls_s = SecondsSince(t0);
  EXPECT_TRUE(ls.ok()) << ls;
  EXPECT_NE(ls.out.find("file001"), std::string::npos) << ls;
  EXPECT_LT(ls_s, 1.0) << "ls -l waited for the write on the stopped target";
  RecordProperty("ls_during_hung_write_ms", std::to_string(static_cast<int>(ls_s * 1000)));

  t0 = Clock::now();
  ShellResult u = Sh("fusermount3 -u -z " + Quote(Mnt()));
  EXPECT_TRUE(u.ok()) << u;
  ShellResult w = writer.get();
  EXPECT_NE(w.out.find("write=1"), std::string::npos) << w << tsfs->Log();
  // io timeout (the WRITE in flight) + position timeout (the rewind) + slack.
  const bool exited = tsfs->Exited(std::chrono::seconds(15));
  const double exit_s = SecondsSince(t0);
  EXPECT_TRUE(exited) << "tsfs still runs " << exit_s << " s after umount\n" << tsfs->Log();
  EXPECT_LT(exit_s, 2.0 + 2.0 + 3.0) << tsfs->Log();
  RecordProperty("umount_stopped_exit_ms", std::to_string(static_cast<int>(exit_s * 1000)));
  EXPECT_NE(tsfs->Log().find("tsclose: error writing file mark on close: file 1"),
            std::string::npos)
      << tsfs->Log();
  target->Freeze(false);
  tsfs.reset();

  ForegroundTsfs again(target->uri(), Mnt(), "", Tmp("log2"));
  ASSERT_TRUE(again.started()) << again.Log();
  EXPECT_TRUE(Cmp("a", "file000", 300'000).ok()) << again.Log();
  const auto listed = ListSizes(Mnt());
  EXPECT_EQ(listed.size(), 2u) << again.Log();
}

}  // namespace
}  // namespace tsfs::fusefs_test
