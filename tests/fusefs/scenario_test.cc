// The main scenario of tsfs on every kind of drive: vtape, tgtd and istgt.
// Real programs on a real mount: cp, ls, cmp, tar, cpio, dd; unmount,
// remount, everything still there.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/fusefs/mount_harness.h"
#include "tests/support/targets.h"

namespace tsfs::fusefs_test {
namespace {

// Writes files of several sizes and archives through the mount, reads them
// back, remounts and reads again. `sizes_survive_remount` is false for
// targets whose positions cannot be trusted (tgtd): there a size not seen
// in this mount shows as 0 (tsfs(8), THE DIRECTORY).
void RunScenario(const std::string& source, bool sizes_survive_remount) {
  TempDir dir;
  const std::vector<size_t> sizes = {0, 1, 511, 512, 513, 30u << 20};
  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string name = dir / ("data" + std::to_string(i));
    MakeDataFile(name, sizes[i], static_cast<unsigned>(i));
    // The tape's view: zero-padded to whole 512-byte blocks.
    ASSERT_TRUE(Sh("cp " + name + " " + name + ".pad && truncate -s " +
                   std::to_string(Padded(sizes[i])) + " " + name + ".pad")
                    .ok());
  }
  ASSERT_TRUE(Sh("mkdir -p " + dir / "src/sub && cp " + dir / "data2 " + dir / "data4 " +
                 dir / "src/ && cp " + dir / "data3 " + dir / "src/sub/ && echo hello > " +
                 dir / "src/sub/hello.txt")
                  .ok());

  TsfsMount mnt(source, dir / "mnt");
  ShellResult m = mnt.Mount();
  ASSERT_TRUE(m.ok()) << m;
  ASSERT_TRUE(mnt.mounted());
  EXPECT_TRUE(ListSizes(mnt.mountpoint()).empty());

  for (size_t i = 0; i < sizes.size(); ++i) {
    const std::string target = mnt / ("file00" + std::to_string(i));
    ShellResult r = Sh("cp " + dir / ("data" + std::to_string(i)) + " " + target);
    ASSERT_TRUE(r.ok()) << "cp of " << sizes[i] << " bytes: " << r;
  }
  auto listed = ListSizes(mnt.mountpoint());
  ASSERT_EQ(listed.size(), sizes.size());
  for (size_t i = 0; i < sizes.size(); ++i) {
    EXPECT_EQ(listed[i].first, "file00" + std::to_string(i));
    EXPECT_EQ(listed[i].second, Padded(sizes[i])) << listed[i].first;
  }
  for (size_t i = 0; i < sizes.size(); ++i) {
    ShellResult r = Sh("cmp " + mnt / ("file00" + std::to_string(i)) + " " +
                       dir / ("data" + std::to_string(i) + ".pad"));
    EXPECT_TRUE(r.ok()) << "file00" << i << ": " << r;
  }
  ShellResult cat = Sh("cat " + mnt / "file004" + " | cmp - " + dir / "data4.pad");
  EXPECT_TRUE(cat.ok()) << cat;

  // tar onto the next file, list and extract it back.
  ShellResult tar = Sh("tar -cf " + mnt / "file006" + " -C " + dir.path() + " src");
  ASSERT_TRUE(tar.ok()) << tar;
  ShellResult tf = Sh("tar -tf " + mnt / "file006");
  ASSERT_TRUE(tf.ok()) << tf;
  EXPECT_NE(tf.out.find("src/sub/hello.txt"), std::string::npos) << tf.out;
  ShellResult xf = Sh("mkdir " + dir / "x" + " && tar -xf " + mnt / "file006" + " -C " + dir / "x" +
                      " && diff -r " + dir / "src " + dir / "x/src");
  EXPECT_TRUE(xf.ok()) << xf;

  // cpio through a shell redirection (the shell dups and closes first).
  ShellResult co = Sh("cd " + dir.path() + " && find src | cpio -o -H newc > " + mnt / "file007");
  ASSERT_TRUE(co.ok()) << co;
  ShellResult ci = Sh("mkdir " + dir / "y" + " && cd " + dir / "y" + " && cpio -id < " +
                      mnt / "file007" + " && diff -r " + dir / "src " + dir / "y/src");
  EXPECT_TRUE(ci.ok()) << ci;

  // dd with odd block sizes both ways.
  ShellResult ddw = Sh("dd if=" + dir / "data4" + " of=" + mnt / "file008" + " bs=77");
  ASSERT_TRUE(ddw.ok()) << ddw;
  ShellResult ddr = Sh("dd if=" + mnt / "file008" + " bs=33 | cmp - " + dir / "data4.pad");
  EXPECT_TRUE(ddr.ok()) << ddr;

  ShellResult u = mnt.Unmount();
  ASSERT_TRUE(u.ok()) << u;
  ASSERT_FALSE(mnt.mounted());

  // Remount: all nine files, same contents.
  m = mnt.Mount();
  ASSERT_TRUE(m.ok()) << m;
  listed = ListSizes(mnt.mountpoint());
  ASSERT_EQ(listed.size(), 9u);
  EXPECT_EQ(listed[8].first, "file008");
  if (sizes_survive_remount) {
    for (size_t i = 0; i < sizes.size(); ++i) {
      EXPECT_EQ(listed[i].second, Padded(sizes[i])) << listed[i].first;
    }
  }
  for (size_t i : {1u, 4u, 5u}) {
    ShellResult r = Sh("cmp " + mnt / ("file00" + std::to_string(i)) + " " +
                       dir / ("data" + std::to_string(i) + ".pad"));
    EXPECT_TRUE(r.ok()) << "after remount, file00" << i << ": " << r;
  }
  ShellResult tf2 = Sh("tar -tf " + mnt / "file006");
  EXPECT_TRUE(tf2.ok()) << tf2;
  EXPECT_NE(tf2.out.find("src/sub/hello.txt"), std::string::npos);
  u = mnt.Unmount();
  ASSERT_TRUE(u.ok()) << u;
}

TEST(ScenarioTest, Vtape) {
  TempDir images;
  const std::string image = images / "t.tap";
  ASSERT_TRUE(Sh(": > " + image).ok());
  RunScenario("vtape:" + image + "?capacity=200M", true);
}

TEST(ScenarioTest, Tgtd) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, testing::TargetOptions{});
  RunScenario(target->uri(), false);
}

TEST(ScenarioTest, Istgt) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartIstgt, testing::TargetOptions{});
  RunScenario(target->uri(), true);
}

}  // namespace
}  // namespace tsfs::fusefs_test

namespace tsfs::fusefs_test {
namespace {

// norewind on a drive whose position outlives the session (istgt reports
// it with READ POSITION): after the unmount the tape stays where the last
// file ended; without norewind it is back at the beginning.
TEST(RewindOnUnmountTest, NorewindLeavesTheTapeWhereItIs) {
  TSFS_START_TARGET_OR_SKIP(target, testing::StartIstgt, testing::TargetOptions{});
  TempDir dir;
  auto position = [&] {
    ShellResult st = Sh("tstape status " + Quote(target->uri()) + " | grep '^position:'");
    return st.out;
  };
  {
    TsfsMount mnt(target->uri(), dir / "mnt", "norewind");
    ASSERT_TRUE(mnt.Mount().ok());
    ASSERT_TRUE(Sh("head -c 5000 /dev/zero > " + mnt / "file000").ok());
    ASSERT_TRUE(mnt.Unmount().ok());
  }
  const std::string after_norewind = position();
  EXPECT_EQ(after_norewind.find("block 0\n"), std::string::npos) << after_norewind;
  EXPECT_NE(after_norewind.find("position:      block "), std::string::npos) << after_norewind;
  {
    TsfsMount mnt(target->uri(), dir / "mnt");
    ASSERT_TRUE(mnt.Mount().ok());
    ASSERT_TRUE(Sh("head -c 5000 /dev/zero > " + mnt / "file001").ok());
    ASSERT_TRUE(mnt.Unmount().ok());
  }
  const std::string after_rewind = position();
  EXPECT_NE(after_rewind.find("position:      block 0"), std::string::npos) << after_rewind;
}

}  // namespace
}  // namespace tsfs::fusefs_test
