// Metadata is served from memory: `ls -l`, `stat`, `df` of a mounted tape
// with 10,000 files send no SCSI command at all. The mount runs in this
// process (the real FUSE handlers on a real kernel mount) over a vtape
// transport wrapped to count the commands; real programs drive it.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "fusefs/file_system.h"
#include "fusefs/fuse_api.h"
#include "fusefs/mount.h"
#include "fusefs/mount_options.h"
#include "fusefs/operations.h"
#include "tapecore/source/open_source.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/unit_config.h"
#include "tests/fusefs/mount_harness.h"

namespace tsfs::fusefs_test {
namespace {

// Forwards every command to the real transport and counts them.
class CountingTransport final : public Transport {
 public:
  CountingTransport(std::unique_ptr<Transport> inner, std::atomic<int>& count)
      : inner_(std::move(inner)), count_(count) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override {
    ++count_;
    return inner_->Execute(cdb, data, timeout);
  }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Transport> inner_;
  std::atomic<int>& count_;
};

// A SIMH image of `files` tape files of one 512-byte record each, the
// record's first bytes naming the file.
void WriteImage(const std::string& path, int files) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  const uint8_t len[4] = {0x00, 0x02, 0x00, 0x00};  // 512, little-endian
  const uint8_t mark[4] = {0, 0, 0, 0};
  for (int i = 0; i < files; ++i) {
    std::string record = "file " + std::to_string(i) + "\n";
    record.resize(512, '\0');
    out.write(reinterpret_cast<const char*>(len), 4);
    out.write(record.data(), 512);
    out.write(reinterpret_cast<const char*>(len), 4);
    out.write(reinterpret_cast<const char*>(mark), 4);
  }
}

// The mount of `source` at `mountpoint` served by this process's threads.
class InProcessMount {
 public:
  InProcessMount(const std::string& source, const std::string& mountpoint, std::atomic<int>& count)
      : mountpoint_(mountpoint) {
    fusefs::MountOptions options;
    options.source = source;
    options.mountpoint = mountpoint;
    auto config = ResolveSource(source, "/nonexistent/tsbconf.conf");
    if (!config.ok()) {
      error_ = config.status().ToString();
      return;
    }
    // The count below includes the catalog scan at mount: no stored catalog.
    config->catalog_dir.clear();
    mount_ = std::make_unique<fusefs::Mount>(options, *config, logger_);
    auto transport = OpenSource(source);
    if (!transport.ok()) {
      error_ = transport.status().ToString();
      return;
    }
    Status st = mount_->Start(std::make_unique<CountingTransport>(std::move(*transport), count));
    if (!st.ok()) {
      error_ = st.ToString();
      return;
    }
    args_ = fusefs::FuseArguments(options, "tsfs-test");  // max_read as tsfs mounts
    for (std::string& a : args_) argv_.push_back(a.data());
    fuse_args fa = FUSE_ARGS_INIT(static_cast<int>(argv_.size()), argv_.data());
    const fuse_operations ops = fusefs::MakeOperations();
    file_system_ = std::make_unique<fusefs::FileSystem>(*mount_);
    fuse_ = fuse_new(&fa, &ops, sizeof(ops), file_system_.get());
    fuse_opt_free_args(&fa);
    if (fuse_ == nullptr || fuse_mount(fuse_, mountpoint.c_str()) != 0) {
      error_ = "fuse_new or fuse_mount failed";
      return;
    }
    loop_ = std::thread([this] {
      fuse_loop_config* cfg = fuse_loop_cfg_create();
      fuse_loop_mt(fuse_, cfg);
      fuse_loop_cfg_destroy(cfg);
    });
  }
  ~InProcessMount() {
    if (loop_.joinable()) {
      Sh("fusermount3 -u " + Quote(mountpoint_));
      loop_.join();
    }
    if (fuse_ != nullptr) {
      fuse_unmount(fuse_);
      fuse_destroy(fuse_);
    }
    if (mount_) mount_->Shutdown();
  }
  const std::string& error() const { return error_; }

 private:
  std::string mountpoint_;
  CapturingLogger logger_;
  std::unique_ptr<fusefs::Mount> mount_;
  std::unique_ptr<fusefs::FileSystem> file_system_;  // the handlers' private_data
  std::vector<std::string> args_;
  std::vector<char*> argv_;
  fuse* fuse_ = nullptr;
  std::thread loop_;
  std::string error_;
};

TEST(MetadataCommandsTest, LsStatAndDfOfTenThousandFilesSendNoScsiCommand) {
  constexpr int kFiles = 10000;
  TempDir dir;
  WriteImage(dir / "t.tap", kFiles);
  ASSERT_TRUE(Sh("mkdir " + Quote(dir / "mnt")).ok());
  std::atomic<int> count{0};
  InProcessMount mount("vtape:" + dir / "t.tap", dir / "mnt", count);
  ASSERT_EQ(mount.error(), "");
  ASSERT_GT(count.load(), kFiles);  // the catalog at mount spaced over every file

  const int before = count.load();
  ShellResult ls = Sh("ls -l " + Quote(dir / "mnt") + " | grep -c ' file'");
  ASSERT_TRUE(ls.ok()) << ls;
  EXPECT_EQ(ls.out, std::to_string(kFiles) + "\n");
  ShellResult stat = Sh("stat -c %s " + Quote(dir / "mnt/file9999") + " " +
                        Quote(dir / "mnt/file000") + "; stat " + Quote(dir / "mnt/file10000"));
  EXPECT_EQ(stat.out, "512\n512\n") << stat;
  EXPECT_NE(stat.err.find("No such file"), std::string::npos) << stat;
  ShellResult df =
      Sh("df -k " + Quote(dir / "mnt") + " && ls " + Quote(dir / "mnt") + " >/dev/null");
  EXPECT_TRUE(df.ok()) << df;
  EXPECT_EQ(count.load() - before, 0) << "SCSI commands sent by ls -l, stat, df";

  // Reading does reach the drive (the counter counts).
  ShellResult cat = Sh("head -c 10 " + Quote(dir / "mnt/file9999"));
  EXPECT_EQ(cat.out, "file 9999\n") << cat;
  EXPECT_GT(count.load() - before, 0);
}

// The kernel keeps what READDIRPLUS gave it (kernel_cache.h): libfuse's
// debug log of a foreground tsfs shows no LOOKUP or GETATTR per file for
// `ls -l` and a stat.
TEST(MetadataCommandsTest, LsDashLOfTwoThousandFilesAsksTheDaemonNothingPerFile) {
  TempDir dir;
  const std::string mnt = dir / "mnt";
  WriteImage(dir / "t.tap", 2000);
  ASSERT_TRUE(Sh("mkdir " + Quote(mnt)).ok());
  const std::string log = dir / "debug.log";
  ShellResult mounted =
      Sh("TSFS_CATALOG_DIR=none " + Quote(TsfsBinary()) + " -d " + Quote("vtape:" + dir / "t.tap") +
         " " + Quote(mnt) + " > " + Quote(log) + " 2>&1 & for i in $(seq 300); do mountpoint -q " +
         Quote(mnt) + " && exit 0; sleep 0.1; done; exit 1");
  ASSERT_TRUE(mounted.ok()) << mounted;
  ShellResult ls = Sh("ls -l " + Quote(mnt) + " | grep -c ' file'");
  EXPECT_EQ(ls.out, "2000\n") << ls;
  ShellResult st = Sh("stat -c %s " + Quote(mnt + "/file1999"));
  EXPECT_EQ(st.out, "512\n") << st;
  ASSERT_TRUE(Sh("fusermount3 -u " + Quote(mnt)).ok());
  ASSERT_TRUE(WaitDaemonGone(mnt));
  ShellResult counts = Sh("for op in LOOKUP GETATTR READDIRPLUS; do grep -c \"opcode: $op \" " +
                          Quote(log) + "; done");
  std::istringstream in(counts.out);
  int lookups = -1;
  int getattrs = -1;
  int plus = -1;
  in >> lookups >> getattrs >> plus;
  // A request per file would be 2000 of each; the root's own are a few.
  EXPECT_LE(lookups, 5) << counts.out;
  EXPECT_LE(getattrs, 5) << counts.out;
  EXPECT_GE(plus, 1) << counts.out;
}

}  // namespace
}  // namespace tsfs::fusefs_test
