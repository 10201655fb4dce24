// The nst -> sg mapping and the host limits, on a fake sysfs tree laid out
// like the one Linux 6.1 shows for a tape on virtio-scsi, in a temporary
// directory. Device nodes for ResolveSgNode are made with mknod (root).
#include "tapecore/transport/sysfs_tape_map.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <filesystem>
#include <fstream>

#include "tapecore/transport/sg_transport.h"
#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

namespace fs = std::filesystem;

constexpr const char* kScsiDevice =
    "devices/pci0000:00/0000:00:03.0/virtio1/host2/target2:0:0/2:0:0:0";

class FakeSysfs : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = testing::TempDir::Create("tsfs-sysfs-test");
    ASSERT_TRUE(dir.ok()) << dir.status().ToString();
    dir_ = std::move(*dir);
    root_ = dir_.File("sys");
    dev_ = dir_.File("dev");
    fs::create_directories(dev_);
  }

  void Write(const fs::path& file, const std::string& text) {
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text << "\n";
  }
  fs::path Sys(const std::string& rel) const { return fs::path(root_) / rel; }

  // The tape as nstN (char 9:minor) with its class links; with an sg peer when sg >= 0.
  void AddTape(const std::string& name, unsigned minor_number, int sg, bool deprecated = false) {
    const fs::path scsi = Sys(kScsiDevice);
    fs::create_directories(scsi / "scsi_tape" / name);
    Write(scsi / "scsi_tape" / name / "dev", "9:" + std::to_string(minor_number));
    fs::create_directory_symlink("../..", scsi / "scsi_tape" / name / "device");
    fs::create_directories(Sys("dev/char"));
    fs::create_directory_symlink(fs::path("../..") / kScsiDevice / "scsi_tape" / name,
                                 Sys("dev/char/9:" + std::to_string(minor_number)));
    fs::create_directories(Sys("class/scsi_tape"));
    fs::create_directory_symlink(fs::path("../..") / kScsiDevice / "scsi_tape" / name,
                                 Sys("class/scsi_tape/" + name));
    if (sg < 0) return;
    const std::string sg_name = "sg" + std::to_string(sg);
    fs::path sg_dir = scsi / "scsi_generic" / sg_name;
    if (fs::exists(sg_dir / "dev")) return;  // another node of the same tape
    if (deprecated) {
      sg_dir = Sys("class/scsi_generic_real/" + sg_name);
      fs::create_directories(sg_dir);
      fs::create_directory_symlink(sg_dir, scsi / ("scsi_generic:" + sg_name));
    }
    Write(sg_dir / "dev", "21:" + std::to_string(sg));
    fs::create_directory_symlink(deprecated ? fs::path(scsi) : fs::path("../.."),
                                 sg_dir / "device");
    fs::create_directories(Sys("class/scsi_generic"));
    fs::create_directory_symlink(sg_dir, Sys("class/scsi_generic/" + sg_name));
  }

  // A character device node under the fake /dev; false when mknod is not allowed.
  bool Node(const std::string& name, unsigned major_number, unsigned minor_number) {
    const std::string path = dev_ + "/" + name;
    return ::mknod(path.c_str(), S_IFCHR | 0600, makedev(major_number, minor_number)) == 0;
  }

  testing::TempDir dir_;
  std::string root_;
  std::string dev_;
};

TEST_F(FakeSysfs, TapeNumbersFindTheSgPeer) {
  AddTape("nst0", 128, 1);
  AddTape("st0", 0, 1);
  auto n = SgNameForTape(root_, 9, 128, "/dev/nst0");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, "sg1");
  auto r = SgNameForTape(root_, 9, 0, "/dev/tape/by-id/scsi-XYZ");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, "sg1");
}

TEST_F(FakeSysfs, ByNameWhenSysDevCharIsMissing) {
  AddTape("nst0", 128, 4);
  fs::remove(Sys("dev/char/9:128"));
  auto n = SgNameForTape(root_, 9, 128, "/dev/nst0");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, "sg4");
  // The name alone is not enough: the numbers must match too.
  auto wrong = SgNameForTape(root_, 9, 129, "/dev/nst0");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kNotFound);
}

TEST_F(FakeSysfs, DeprecatedSysfsLayoutLinksWork) {
  AddTape("nst0", 128, 2, /*deprecated=*/true);
  auto n = SgNameForTape(root_, 9, 128, "/dev/nst0");
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, "sg2");
}

TEST_F(FakeSysfs, NoSgPeerNamesTheModuleToLoad) {
  AddTape("nst0", 128, -1);
  auto n = SgNameForTape(root_, 9, 128, "/dev/nst0");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(n.status().message().find("modprobe sg"), std::string::npos) << n.status().message();
  EXPECT_NE(n.status().message().find("/dev/nst0"), std::string::npos) << n.status().message();
}

TEST_F(FakeSysfs, UnknownDeviceIsNotFound) {
  auto n = SgNameForTape(root_, 9, 130, "/dev/nst2");
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(n.status().message().find("9:130"), std::string::npos) << n.status().message();
}

TEST_F(FakeSysfs, ResolveMapsTapeNodesAndKeepsSgNodes) {
  AddTape("nst0", 128, 1);
  if (!Node("nst0", 9, 128) || !Node("sg1", 21, 1)) GTEST_SKIP() << "mknod needs root";
  auto nst = ResolveSgNode(dev_ + "/nst0", root_, dev_);
  ASSERT_TRUE(nst.ok()) << nst.status().ToString();
  EXPECT_EQ(nst->path, dev_ + "/sg1");
  EXPECT_EQ(nst->sg_name, "sg1");
  EXPECT_EQ(nst->tape_node, dev_ + "/nst0");

  auto sg = ResolveSgNode(dev_ + "/sg1", root_, dev_);
  ASSERT_TRUE(sg.ok()) << sg.status().ToString();
  EXPECT_EQ(sg->path, dev_ + "/sg1");
  EXPECT_TRUE(sg->tape_node.empty());

  // Not a tape or sg node: returned as is for SgTransport::Open to refuse.
  auto other = ResolveSgNode("/dev/null", root_, dev_);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->path, "/dev/null");
}

TEST_F(FakeSysfs, ResolveNeedsTheSgNodeInDev) {
  AddTape("nst0", 128, 7);
  if (!Node("nst0", 9, 128)) GTEST_SKIP() << "mknod needs root";
  auto r = ResolveSgNode(dev_ + "/nst0", root_, dev_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kNotFound);
  EXPECT_NE(r.status().message().find(dev_ + "/sg7"), std::string::npos) << r.status().message();
}

TEST_F(FakeSysfs, SgTransportOpenOfATapeWithoutSgSaysLoadSg) {
  AddTape("nst0", 128, -1);
  if (!Node("nst0", 9, 128)) GTEST_SKIP() << "mknod needs root";
  auto t = SgTransport::Open(dev_ + "/nst0", SgOptions{root_, dev_});
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), ErrorCode::kUnsupported);
  EXPECT_NE(t.status().message().find("modprobe sg"), std::string::npos) << t.status().message();
}

TEST_F(FakeSysfs, ResolveRefusesAnSgPathThatIsNoSgDevice) {
  AddTape("nst0", 128, 3);
  if (!Node("nst0", 9, 128)) GTEST_SKIP() << "mknod needs root";
  Write(dev_ + "/sg3", "a plain file");
  auto file = ResolveSgNode(dev_ + "/nst0", root_, dev_);
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(file.status().message().find(dev_ + "/sg3 is not a SCSI generic character device"),
            std::string::npos)
      << file.status().message();
  fs::remove(dev_ + "/sg3");
  ASSERT_TRUE(Node("sg3", 1, 3));  // /dev/null's numbers
  auto other = ResolveSgNode(dev_ + "/nst0", root_, dev_);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.status().code(), ErrorCode::kInvalidArgument);
}

// An sg node whose device is not there: the kernel answers ENXIO (EPERM in
// a container whose device cgroup denies it).
TEST_F(FakeSysfs, SgTransportOpenOfAnAbsentSgDevice) {
  if (!Node("sg250", 21, 250)) GTEST_SKIP() << "mknod needs root";
  auto t = SgTransport::Open(dev_ + "/sg250", SgOptions{root_, dev_});
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.status().code() == ErrorCode::kNotFound ||
              t.status().code() == ErrorCode::kPermission)
      << t.status().ToString();
  EXPECT_NE(t.status().message().find("cannot open " + dev_ + "/sg250"), std::string::npos)
      << t.status().message();
}

TEST_F(FakeSysfs, LimitsFromTheHostSgTablesize) {
  AddTape("nst0", 128, 1);
  Write(Sys("class/scsi_host/host2/sg_tablesize"), "126");
  SysfsTransferLimits l = ReadSysfsTransferLimits(root_, "sg1", 4096);
  EXPECT_EQ(l.max_bytes, 126u * 4096u);
  EXPECT_NE(l.source.find("sg_tablesize 126"), std::string::npos) << l.source;
}

TEST_F(FakeSysfs, LimitsTakeTheSmallestOfQueueDeviceAndHost) {
  AddTape("nst0", 128, 1);
  Write(Sys("class/scsi_host/host2/sg_tablesize"), "2048");
  Write(Sys(std::string(kScsiDevice) + "/block/sda/queue/max_sectors_kb"), "1280");
  Write(Sys(std::string(kScsiDevice) + "/block/sda/queue/max_hw_sectors_kb"), "32767");
  Write(Sys(std::string(kScsiDevice) + "/block/sda/queue/max_segments"), "168");
  SysfsTransferLimits l = ReadSysfsTransferLimits(root_, "sg1", 4096);
  EXPECT_EQ(l.max_bytes, 168u * 4096u) << l.source;
  Write(Sys(std::string(kScsiDevice) + "/max_sectors"), "240");  // usb-storage
  l = ReadSysfsTransferLimits(root_, "sg1", 4096);
  EXPECT_EQ(l.max_bytes, 240u * 512u) << l.source;
  EXPECT_NE(l.source.find("max_sectors_kb 1280"), std::string::npos) << l.source;
}

TEST_F(FakeSysfs, NoLimitFilesMeansNoLimit) {
  AddTape("nst0", 128, 1);
  Write(Sys("class/scsi_host/host2/sg_tablesize"), "garbage");
  SysfsTransferLimits l = ReadSysfsTransferLimits(root_, "sg1", 4096);
  EXPECT_EQ(l.max_bytes, 0u);
  EXPECT_EQ(ReadSysfsTransferLimits(root_, "sg9", 4096).max_bytes, 0u);
}

}  // namespace
}  // namespace tsfs
