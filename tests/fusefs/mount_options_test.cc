// Command line of tsfs: our options out, FUSE options through, errors
// before any mount.
#include "fusefs/mount_options.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tapecore/unit/unit_config.h"

namespace tsfs::fusefs {
namespace {

Result<MountOptions> Parse(std::vector<std::string> args) { return ParseCommandLine(args); }

TEST(MountOptionsTest, SourceAndMountpoint) {
  auto o = Parse({"vtape:/t.tap", "/mnt"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->source, "vtape:/t.tap");
  EXPECT_EQ(o->mountpoint, "/mnt");
  EXPECT_EQ(o->config_path, kDefaultConfigPath);
  EXPECT_FALSE(o->foreground);
  EXPECT_FALSE(o->norewind);
  EXPECT_FALSE(o->overwrite);
  EXPECT_FALSE(o->read_only);
  EXPECT_FALSE(o->buffer_kb.has_value());
  EXPECT_TRUE(o->fuse_options.empty());
}

TEST(MountOptionsTest, OwnOptionsAreTakenOut) {
  auto o = Parse({"rts0", "/mnt", "-o", "config=/etc/x.conf,norewind,overwrite,buffer_kb=4096"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->config_path, "/etc/x.conf");
  EXPECT_TRUE(o->norewind);
  EXPECT_TRUE(o->overwrite);
  EXPECT_EQ(o->buffer_kb, 4096u);
  EXPECT_TRUE(o->fuse_options.empty());
}

TEST(MountOptionsTest, WriteWatermarkByteCap) {
  auto o = Parse({"rts0", "/mnt", "-o", "write_watermark_max_kb=4096"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->write_watermark_max_kb, 4096u);
  EXPECT_TRUE(o->fuse_options.empty());
  EXPECT_TRUE(Parse({"rts0", "/mnt", "-o", "write-watermark-max-kb=2097152"}).ok());
  for (const char* bad : {"write_watermark_max_kb=0", "write_watermark_max_kb=2097153",
                          "write_watermark_max_kb=", "write_watermark_max_kb=1M"}) {
    const auto st = Parse({"rts0", "/mnt", "-o", bad}).status();
    EXPECT_FALSE(st.ok()) << bad;
    EXPECT_NE(st.message().find(std::string(bad).substr(0, std::string(bad).find('='))),
              std::string::npos)
        << st.message();
  }
}

TEST(MountOptionsTest, FuseOptionsPassThrough) {
  // As mount.fuse3 calls us: SOURCE MOUNTPOINT -o opts, fstab noise inside.
  auto o = Parse({"rts1", "/mnt", "-o", "rw,allow_other,defaults,noauto,x-systemd.foo,uid=7"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->fuse_options, (std::vector<std::string>{"rw", "allow_other", "uid=7"}));
}

TEST(MountOptionsTest, ReadOnlyIsOursAndTheKernels) {
  auto o = Parse({"-oro", "rts0", "/mnt"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_TRUE(o->read_only);
  EXPECT_EQ(o->fuse_options, (std::vector<std::string>{"ro"}));
}

TEST(MountOptionsTest, ForegroundAndDebug) {
  auto o = Parse({"-f", "rts0", "/mnt", "-s"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->foreground);
  EXPECT_TRUE(o->single_thread);
  EXPECT_FALSE(o->debug);
  auto d = Parse({"rts0", "/mnt", "-d"});
  ASSERT_TRUE(d.ok());
  EXPECT_TRUE(d->debug);
  EXPECT_TRUE(d->foreground);
  const auto argv = FuseArguments(*d, "tsfs");
  EXPECT_NE(std::find(argv.begin(), argv.end(), "-d"), argv.end());
}

TEST(MountOptionsTest, Errors) {
  EXPECT_FALSE(Parse({}).ok());
  EXPECT_FALSE(Parse({"rts0"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "/extra"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-x"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "buffer_kb=0"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "buffer_kb=12x"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "buffer_kb="}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "config="}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "ro,overwrite"}).ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "fsname=x"}).ok());
  const auto st = Parse({"rts0"}).status();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(st.message().find("MOUNTPOINT"), std::string::npos);
}

TEST(MountOptionsTest, HelpAndVersionNeedNoArguments) {
  auto h = Parse({"--help"});
  ASSERT_TRUE(h.ok());
  EXPECT_TRUE(h->help);
  auto v = Parse({"-V"});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->version);
}

TEST(MountOptionsTest, HelpListsEveryOption) {
  const std::string help = HelpText("tsfs");
  for (const char* word : {"config=", "norewind", "overwrite", "ro ", "buffer_kb=", "-f ", "-d ",
                           "allow_other", "default_permissions", "rts8", "iscsi://", "vtape:"}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

TEST(MountOptionsTest, CommandTimeoutsPerClass) {
  auto o = Parse({"rts0", "/mnt", "-o",
                  "short_timeout=1.5,io_timeout=2,position_timeout=30,long_timeout=7200"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->short_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(o->io_timeout, std::chrono::milliseconds(2000));
  EXPECT_EQ(o->position_timeout, std::chrono::milliseconds(30000));
  EXPECT_EQ(o->long_timeout, std::chrono::milliseconds(7200000));
  EXPECT_TRUE(o->fuse_options.empty());
  for (const char* bad : {"io_timeout=", "io_timeout=0", "io_timeout=x", "short_timeout=1e9",
                          "position_timeout=-3"}) {
    auto r = Parse({"rts0", "/mnt", "-o", bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("seconds"), std::string::npos) << r.status().message();
  }
  const std::string help = HelpText("tsfs");
  for (const char* word : {"short_timeout=", "io_timeout=", "position_timeout=", "long_timeout="}) {
    EXPECT_NE(help.find(word), std::string::npos) << word;
  }
}

TEST(MountOptionsTest, FuseArgumentsCarryNameTypeAndRequestSize) {
  auto o = Parse({"iscsi://h/iqn.x,y/1", "/mnt", "-o", "allow_other"});
  ASSERT_TRUE(o.ok());
  const auto argv = FuseArguments(*o, "tsfs");
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[0], "tsfs");
  EXPECT_EQ(argv[1], "-o");
  EXPECT_EQ(argv[2], "fsname=iscsi://h/iqn.x\\,y/1,subtype=tsfs,max_read=1048576,allow_other");
}

TEST(MountOptionsTest, EscapedCommaStaysInOneOption) {
  auto o = Parse({"rts0", "/mnt", "-o", "config=/a\\,b.conf,norewind"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->config_path, "/a,b.conf");
  EXPECT_TRUE(o->norewind);
}

}  // namespace
}  // namespace tsfs::fusefs

namespace tsfs::fusefs {
namespace {

TEST(MountOptionsSecretTest, ChapSecretFileIsOurs) {
  auto o = Parse({"iscsi://u@h/iqn.x:t/1", "/mnt", "-o", "chap_secret_file=/etc/tsfs/u.chap,ro"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->chap_secret_file, "/etc/tsfs/u.chap");
  EXPECT_EQ(o->fuse_options, std::vector<std::string>{"ro"});
  auto relative = Parse({"iscsi://u@h/iqn.x:t/1", "/mnt", "-o", "chap_secret_file=u.chap"});
  ASSERT_FALSE(relative.ok());
  EXPECT_NE(relative.status().message().find("absolute"), std::string::npos);
  EXPECT_NE(HelpText("tsfs").find("chap_secret_file="), std::string::npos);
  EXPECT_NE(HelpText("tsfs").find("TSFS_CHAP_SECRET"), std::string::npos);
}

TEST(MountOptionsSecretTest, FsnameHasTheSecretMasked) {
  auto o = Parse({"iscsi://alice%topsecret99@h:3261/iqn.x:t/1", "/mnt"});
  ASSERT_TRUE(o.ok());
  const auto argv = FuseArguments(*o, "tsfs");
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[2].find("topsecret99"), std::string::npos) << argv[2];
  EXPECT_EQ(argv[2].rfind("fsname=iscsi://alice%***@h:3261/iqn.x:t/1,", 0), 0u) << argv[2];
}

// The bytes of one argument as /proc/PID/cmdline would give them.
std::string Masked(std::string arg) {
  std::vector<char> buf(arg.begin(), arg.end());
  buf.push_back('\0');
  MaskSecretInArgument(buf.data());
  return std::string(buf.begin(), buf.end() - 1);
}

TEST(MountOptionsSecretTest, MaskSecretInArgumentNeverGrowsTheArgument) {
  using namespace std::string_literals;
  EXPECT_EQ(Masked("iscsi://u%longsecret@h/iqn.x:t/1"), "iscsi://u%***@h/iqn.x:t/1\0\0\0\0\0\0\0"s);
  EXPECT_EQ(Masked("iscsi://u%abc@h/q/1"), "iscsi://u%***@h/q/1");
  EXPECT_EQ(Masked("iscsi://u%a@@h/q/1"), "iscsi://u%**@h/q/1");
  EXPECT_EQ(Masked("iscsi://u%x@h/q/1"), "iscsi://u%*@h/q/1");
  EXPECT_EQ(Masked("iscsi://u%s/cr@t@h/q/1"), "iscsi://u%***@h/q/1\0\0\0"s);
  EXPECT_EQ(Masked("iscsi://u@h/q/1"), "iscsi://u@h/q/1");
  EXPECT_EQ(Masked("vtape:/a%b@c.tap"), "vtape:/a%b@c.tap");
  EXPECT_EQ(Masked("/mnt"), "/mnt");
  std::vector<char> plain = {'-', 'f', '\0'};
  EXPECT_FALSE(MaskSecretInArgument(plain.data()));
}

}  // namespace
}  // namespace tsfs::fusefs

namespace tsfs::fusefs {
namespace {

// Every option of ours with its bad values: the message names the option,
// and a well-formed value lands in its field.
TEST(MountOptionsValuesTest, WatermarksArePercentages) {
  auto o = Parse({"rts0", "/mnt", "-o", "write_watermark=75,read-watermark=1"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->write_watermark, 75u);
  EXPECT_EQ(o->read_watermark, 1u);
  auto w = Parse({"rts0", "/mnt", "-o", "write-watermark=100,read_watermark=50"});
  ASSERT_TRUE(w.ok()) << w.status().ToString();
  EXPECT_EQ(w->write_watermark, 100u);
  EXPECT_EQ(w->read_watermark, 50u);
  for (const char* bad : {"write_watermark=", "write_watermark=0", "write_watermark=101",
                          "write_watermark=5x", "write_watermark=x", "read_watermark=-1"}) {
    auto r = Parse({"rts0", "/mnt", "-o", bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidArgument) << bad;
    const std::string name = bad[0] == 'w' ? "write_watermark=" : "read_watermark=";
    EXPECT_NE(r.status().message().find("option " + name + " needs a percentage"),
              std::string::npos)
        << r.status().message();
  }
}

TEST(MountOptionsValuesTest, CatalogDirIsAbsoluteOrNone) {
  auto none = Parse({"rts0", "/mnt", "-o", "catalog_dir=none"});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->catalog_dir, "none");
  auto dir = Parse({"rts0", "/mnt", "-o", "catalog-dir=/var/tmp/c"});
  ASSERT_TRUE(dir.ok());
  EXPECT_EQ(dir->catalog_dir, "/var/tmp/c");
  for (const char* bad : {"catalog_dir=", "catalog_dir=relative/dir", "catalog-dir=nonee"}) {
    auto r = Parse({"rts0", "/mnt", "-o", bad});
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.status().message().find("absolute directory or none"), std::string::npos) << bad;
  }
}

TEST(MountOptionsValuesTest, BufferSizeUpToOneGiB) {
  auto o = Parse({"rts0", "/mnt", "-o", "buffer-kb=1048576"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->buffer_kb, 1048576u);
  auto big = Parse({"rts0", "/mnt", "-o", "buffer_kb=1048577"});
  ASSERT_FALSE(big.ok());
  EXPECT_NE(big.status().message().find("'1048577'"), std::string::npos);
}

TEST(MountOptionsValuesTest, FlagsTakeNoValue) {
  auto o = Parse({"rts0", "/mnt", "-o", "keep_loaded,scan,nonempty,chap-secret-file=/s"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_TRUE(o->keep_loaded);
  EXPECT_TRUE(o->scan);
  EXPECT_TRUE(o->nonempty);
  EXPECT_EQ(o->chap_secret_file, "/s");
  EXPECT_TRUE(o->fuse_options.empty());
  // With a value they are not ours: libfuse gets them (and refuses them).
  auto v = Parse({"rts0", "/mnt", "-o", "keep_loaded=1,scan=1,nonempty=1,norewind=1,overwrite=1"});
  ASSERT_TRUE(v.ok());
  EXPECT_FALSE(v->keep_loaded || v->scan || v->nonempty || v->norewind || v->overwrite);
  EXPECT_EQ(v->fuse_options, (std::vector<std::string>{"keep_loaded=1", "scan=1", "nonempty=1",
                                                       "norewind=1", "overwrite=1"}));
  auto empty_secret = Parse({"rts0", "/mnt", "-o", "chap_secret_file="});
  EXPECT_FALSE(empty_secret.ok());
  EXPECT_FALSE(Parse({"rts0", "/mnt", "-o", "subtype=x"}).ok());
}

TEST(MountOptionsValuesTest, EveryFstabWordIsDropped) {
  auto o = Parse({"rts0", "/mnt", "-o",
                  "auto,nofail,_netdev,user,users,nouser,comment=systemd.automount,,rw"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->fuse_options, (std::vector<std::string>{"rw"}));
  EXPECT_FALSE(o->read_only);
}

TEST(MountOptionsValuesTest, DebugForms) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"rts0", "/mnt", "-odebug"},
        std::vector<std::string>{"rts0", "/mnt", "-o", "norewind,debug"}}) {
    auto o = Parse(args);
    ASSERT_TRUE(o.ok()) << args.back();
    EXPECT_TRUE(o->debug) << args.back();
    EXPECT_TRUE(o->foreground) << args.back();
    EXPECT_TRUE(o->fuse_options.empty()) << args.back();
  }
  auto h = Parse({"-h", "-x"});
  EXPECT_FALSE(h.ok());  // an unknown option is an error even beside -h
  auto v = Parse({"--version"});
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->version);
}

TEST(MountOptionsValuesTest, DoubleDashEndsTheOptions) {
  auto o = Parse({"-f", "--", "-odd-source", "/mnt"});
  ASSERT_TRUE(o.ok()) << o.status().ToString();
  EXPECT_EQ(o->source, "-odd-source");
  EXPECT_EQ(o->mountpoint, "/mnt");
  EXPECT_TRUE(o->foreground);
  auto extra = Parse({"--", "a", "b", "c"});
  ASSERT_FALSE(extra.ok());
  EXPECT_NE(extra.status().message().find("too many arguments: 'c'"), std::string::npos);
  auto empty = Parse({"", "/mnt"});
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "SOURCE is empty");
}

TEST(MountOptionsValuesTest, FsnameEscapesBackslashesAndOptionsTheirCommas) {
  auto o = Parse({"vtape:/a\\b.tap", "/mnt", "-o", "uid=1\\,2,x\\"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->fuse_options, (std::vector<std::string>{"uid=1,2", "x\\"}));
  const auto argv = FuseArguments(*o, "tsfs");
  ASSERT_EQ(argv.size(), 3u);
  EXPECT_EQ(argv[2], "fsname=vtape:/a\\\\b.tap,subtype=tsfs,max_read=1048576,uid=1\\,2,x\\\\");
}

}  // namespace
}  // namespace tsfs::fusefs
