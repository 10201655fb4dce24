#include "tapecore/unit/unit_config.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>

namespace tsfs {
namespace {

std::string ErrorOf(std::string_view text) {
  auto r = ParseTsbconf(text, "/etc/tsfs/tsbconf.conf");
  EXPECT_FALSE(r.ok()) << text;
  if (r.ok()) return "";
  EXPECT_EQ(r.status().code(), ErrorCode::kConfig);
  return r.status().message();
}

TEST(TsbconfTest, ParsesAllKeys) {
  auto r = ParseTsbconf(
      "# two drives\n"
      "[unit.0]\n"
      "device    = /dev/sg1           # the first drive\n"
      "buffer-kb = 2048\n"
      "flags     = autoret prsense\n"
      "bits      = 1\n"
      "\n"
      "[unit.1]\n"
      "device = vtape:/tmp/t.tap?capacity=44M\n"
      "flags = openfail\n"
      "block-size = 1024\n"
      "erase-on-write = false\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  const UnitConfig& u0 = (*r)[0];
  EXPECT_EQ(u0.unit, 0);
  EXPECT_EQ(u0.device, "/dev/sg1");
  EXPECT_EQ(u0.buffer_kb, 2048u);
  EXPECT_TRUE(u0.autoret);
  EXPECT_TRUE(u0.prsense);
  EXPECT_FALSE(u0.openfail);
  EXPECT_EQ(u0.block_size, 512u);
  EXPECT_TRUE(u0.erase_on_write);
  EXPECT_EQ(u0.Name(), "rts0");
  const UnitConfig& u1 = (*r)[1];
  EXPECT_EQ(u1.unit, 1);
  EXPECT_EQ(u1.device, "vtape:/tmp/t.tap?capacity=44M");
  EXPECT_EQ(u1.buffer_kb, 1024u);
  EXPECT_TRUE(u1.openfail);
  EXPECT_FALSE(u1.autoret);
  EXPECT_EQ(u1.block_size, 1024u);
  EXPECT_FALSE(u1.erase_on_write);
}

TEST(TsbconfTest, WatermarksAndTheirByteCap) {
  auto r = ParseTsbconf(
      "[unit.0]\ndevice = a.tap\nwrite-watermark = 40\nread-watermark = 75\n"
      "write-watermark-max-kb = 65536\n"
      "[unit.1]\ndevice = b.tap\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)[0].write_watermark, 40u);
  EXPECT_EQ((*r)[0].read_watermark, 75u);
  EXPECT_EQ((*r)[0].write_watermark_max_kb, 65536u);
  EXPECT_EQ((*r)[1].write_watermark, 100u);  // the defaults
  EXPECT_EQ((*r)[1].read_watermark, 100u);
  EXPECT_EQ((*r)[1].write_watermark_max_kb, 262144u);
  for (const char* bad : {"write-watermark = 0", "read-watermark = 101",
                          "write-watermark-max-kb = 0", "write-watermark-max-kb = 1G"}) {
    const std::string m = ErrorOf("[unit.0]\ndevice = a.tap\n" + std::string(bad) + "\n");
    EXPECT_NE(m.find(":3:"), std::string::npos) << m;
    EXPECT_NE(m.find(std::string(bad).substr(0, std::string(bad).find(' '))), std::string::npos)
        << m;
    EXPECT_NE(m.find("is not a number from 1 to"), std::string::npos) << m;
  }
}

TEST(TsbconfTest, UnknownKeyNamesFileLineAndKey) {
  const std::string m = ErrorOf("[unit.0]\ndevice = /dev/sg1\n\nbufer-kb = 10\n");
  EXPECT_NE(m.find("/etc/tsfs/tsbconf.conf:4:"), std::string::npos) << m;
  EXPECT_NE(m.find("bufer-kb"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown key"), std::string::npos) << m;
}

TEST(TsbconfTest, OutOfRangeNumbers) {
  std::string m = ErrorOf("[unit.0]\ndevice = /dev/sg1\nbuffer-kb = 0\n");
  EXPECT_NE(m.find(":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("buffer-kb"), std::string::npos) << m;
  m = ErrorOf("[unit.2]\ndevice = x.tap\nbits = 300\n");
  EXPECT_NE(m.find(":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("bits"), std::string::npos) << m;
  m = ErrorOf("[unit.0]\ndevice = x.tap\nbuffer-kb = ten\n");
  EXPECT_NE(m.find("buffer-kb"), std::string::npos) << m;
  m = ErrorOf("[unit.0]\ndevice = x.tap\nblock-size = 0\n");
  EXPECT_NE(m.find("block-size"), std::string::npos) << m;
  m = ErrorOf("[unit.0]\ndevice = x.tap\nerase-on-write = maybe\n");
  EXPECT_NE(m.find("erase-on-write"), std::string::npos) << m;
  m = ErrorOf("[unit.0]\ndevice = x.tap\nflags = autoret fast\n");
  EXPECT_NE(m.find("'fast'"), std::string::npos) << m;
  EXPECT_NE(m.find(":3:"), std::string::npos) << m;
}

TEST(TsbconfTest, CommandTimeoutsPerClass) {
  auto r = ParseTsbconf(
      "[unit.0]\n"
      "device = /dev/sg1\n"
      "short-timeout = 2.5\n"
      "io-timeout = 120\n"
      "position-timeout = 1800\n"
      "long-timeout = 28800\n"
      "[unit.1]\n"
      "device = /dev/sg2\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const SscTimeouts& t0 = (*r)[0].timeouts;
  EXPECT_EQ(t0.short_op, std::chrono::milliseconds(2500));
  EXPECT_EQ(t0.normal, std::chrono::seconds(120));
  EXPECT_EQ(t0.position, std::chrono::seconds(1800));
  EXPECT_EQ(t0.long_op, std::chrono::hours(8));
  // A unit without the keys keeps the defaults of tsfs(8).
  const SscTimeouts defaults;
  const SscTimeouts& t1 = (*r)[1].timeouts;
  EXPECT_EQ(t1.short_op, defaults.short_op);
  EXPECT_EQ(t1.normal, defaults.normal);
  EXPECT_EQ(t1.position, defaults.position);
  EXPECT_EQ(t1.long_op, defaults.long_op);
  EXPECT_EQ(defaults.normal, std::chrono::seconds(60));

  for (const char* bad : {"0", "0.05", "86401", "ten", "", "-1", "5s"}) {
    const std::string m =
        ErrorOf(std::string("[unit.0]\ndevice = x.tap\nio-timeout = ") + bad + "\n");
    EXPECT_NE(m.find(":3:"), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("io-timeout"), std::string::npos) << bad << ": " << m;
    EXPECT_NE(m.find("seconds from 0.1 to 86400"), std::string::npos) << bad << ": " << m;
  }
  // Only the four classes: the tsfs option spelling is no tsbconf key.
  EXPECT_NE(ErrorOf("[unit.0]\ndevice = x.tap\nread-timeout = 5\n").find("unknown key"),
            std::string::npos);
}

TEST(TsbconfTest, TimeoutNamesAcceptBothSpellings) {
  SscTimeouts t;
  EXPECT_EQ(TimeoutNamed(t, "short_timeout"), &t.short_op);
  EXPECT_EQ(TimeoutNamed(t, "short-timeout"), &t.short_op);
  EXPECT_EQ(TimeoutNamed(t, "io_timeout"), &t.normal);
  EXPECT_EQ(TimeoutNamed(t, "position-timeout"), &t.position);
  EXPECT_EQ(TimeoutNamed(t, "long_timeout"), &t.long_op);
  EXPECT_EQ(TimeoutNamed(t, "timeout"), nullptr);
  EXPECT_EQ(TimeoutNamed(t, "_timeout"), nullptr);
  EXPECT_EQ(TimeoutNamed(t, "io.timeout"), nullptr);
  EXPECT_EQ(TimeoutNamed(t, "device"), nullptr);
  EXPECT_EQ(ParseTimeoutSeconds("0.1"), std::chrono::milliseconds(100));
  EXPECT_EQ(ParseTimeoutSeconds("86400"), std::chrono::hours(24));
  EXPECT_EQ(ParseTimeoutSeconds("nan"), std::nullopt);
  EXPECT_EQ(ParseTimeoutSeconds("inf"), std::nullopt);
}

TEST(TsbconfTest, DuplicateUnitNamesBothLines) {
  const std::string m =
      ErrorOf("[unit.0]\ndevice = a.tap\n[unit.1]\ndevice = b.tap\n[unit.0]\ndevice = c.tap\n");
  EXPECT_NE(m.find(":5:"), std::string::npos) << m;
  EXPECT_NE(m.find("duplicate unit"), std::string::npos) << m;
  EXPECT_NE(m.find("line 1"), std::string::npos) << m;
}

TEST(TsbconfTest, DuplicateKey) {
  const std::string m = ErrorOf("[unit.0]\ndevice = a.tap\nbits = 1\nbits = 1\n");
  EXPECT_NE(m.find(":4:"), std::string::npos) << m;
  EXPECT_NE(m.find("given twice"), std::string::npos) << m;
}

TEST(TsbconfTest, MissingDeviceNamesTheSection) {
  const std::string m = ErrorOf("[unit.0]\ndevice = a.tap\n\n[unit.1]\nbuffer-kb = 64\n");
  EXPECT_NE(m.find(":4:"), std::string::npos) << m;
  EXPECT_NE(m.find("[unit.1] device: missing"), std::string::npos) << m;
}

TEST(TsbconfTest, BadSectionsAndLines) {
  std::string m = ErrorOf("[drive.0]\ndevice = a.tap\n");
  EXPECT_NE(m.find(":1:"), std::string::npos) << m;
  m = ErrorOf("[unit.8]\ndevice = a.tap\n");
  EXPECT_NE(m.find("out of range"), std::string::npos) << m;
  m = ErrorOf("device = a.tap\n[unit.0]\ndevice = a.tap\n");
  EXPECT_NE(m.find(":1:"), std::string::npos) << m;
  m = ErrorOf("[unit.0]\ndevice = a.tap\njust words\n");
  EXPECT_NE(m.find(":3:"), std::string::npos) << m;
}

TEST(TsbconfTest, ResolveSourceRewindAndNoRewindNames) {
  const std::string path = ::testing::TempDir() + "tsbconf_resolve.conf";
  {
    std::ofstream out(path);
    out << "[unit.0]\ndevice = vtape:/tmp/zero.tap\n[unit.3]\ndevice = /dev/sg3\nflags=autoret\n";
  }
  auto r0 = ResolveSource("rts0", path);
  ASSERT_TRUE(r0.ok()) << r0.status().ToString();
  EXPECT_EQ(r0->device, "vtape:/tmp/zero.tap");
  EXPECT_TRUE(r0->rewind_on_release);
  EXPECT_EQ(r0->Name(), "rts0");
  auto r11 = ResolveSource("rts11", path);
  ASSERT_TRUE(r11.ok()) << r11.status().ToString();
  EXPECT_EQ(r11->unit, 3);
  EXPECT_EQ(r11->device, "/dev/sg3");
  EXPECT_TRUE(r11->autoret);
  EXPECT_FALSE(r11->rewind_on_release);
  EXPECT_EQ(r11->Name(), "rts11");
  EXPECT_EQ(ResolveSource("rts1", path).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(ResolveSource("rts16", path).status().code(), ErrorCode::kInvalidArgument);
  auto plain = ResolveSource("vtape:/tmp/x.tap", path);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->unit, -1);
  EXPECT_EQ(plain->Name(), "vtape:/tmp/x.tap");
  EXPECT_EQ(ResolveSource("rts0", path + ".missing").status().code(), ErrorCode::kNotFound);
  std::remove(path.c_str());
}

TEST(TsbconfTest, EverySpellingOfFlagsBooleansWatermarksAndCatalogDir) {
  auto r = ParseTsbconf(
      "[unit.0]\n"
      "device = a.tap\n"
      "flags = TSC_OPENFAIL|tsc_autoret,tsc_prsense\n"
      "write-watermark = 1\n"
      "read-watermark = 100\n"
      "erase-on-write = off\n"
      "catalog-dir = none\n"
      "[library.0]\n"
      "changer = /dev/sg9\n"
      "[unit.1]\n"
      "device = b.tap\n"
      "flags = none 0\n"
      "erase-on-write = YES\n"
      "catalog-dir = /var/tmp/cat\n",
      "t.conf");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);  // [library.N] belongs to the library layer
  const UnitConfig& u0 = (*r)[0];
  EXPECT_TRUE(u0.openfail && u0.autoret && u0.prsense);
  EXPECT_EQ(u0.write_watermark, 1u);
  EXPECT_EQ(u0.read_watermark, 100u);
  EXPECT_FALSE(u0.erase_on_write);
  EXPECT_EQ(u0.catalog_dir, "none");
  const UnitConfig& u1 = (*r)[1];
  EXPECT_FALSE(u1.openfail || u1.autoret || u1.prsense);
  EXPECT_TRUE(u1.erase_on_write);
  EXPECT_EQ(u1.catalog_dir, "/var/tmp/cat");
  for (const char* yes : {"true", "on", "1"}) {
    auto b = ParseTsbconf(std::string("[unit.0]\ndevice = a\nerase-on-write = ") + yes, "t");
    ASSERT_TRUE(b.ok()) << yes;
    EXPECT_TRUE((*b)[0].erase_on_write) << yes;
  }
  for (const char* no : {"false", "no", "0"}) {
    auto b = ParseTsbconf(std::string("[unit.0]\ndevice = a\nerase-on-write = ") + no, "t");
    ASSERT_TRUE(b.ok()) << no;
    EXPECT_FALSE((*b)[0].erase_on_write) << no;
  }
}

// Each bad value is refused with the file, its line, the section and key,
// and what would have been right.
TEST(TsbconfTest, EveryBadValueIsRefusedWithItsLine) {
  const struct {
    const char* line;
    const char* says;
  } cases[] = {
      {"device =", "[unit.0] device: empty device"},
      {"write-watermark = 0", "write-watermark: '0' is not a number from 1 to 100"},
      {"read-watermark = 101", "read-watermark: '101' is not a number from 1 to 100"},
      {"read-watermark = half", "is not a number from 1 to 100"},
      {"buffer-kb = 67108865", "from 1 to 67108864"},
      {"bits = -1", "'-1' is not a number from 0 to 255"},
      {"block-size = 16777216", "from 1 to 16777215"},
      {"flags = openfail, later", "unknown flag 'later'"},
      {"chap-secret-file = secret.txt", "chap-secret-file: needs an absolute file name"},
      {"chap-secret-file =", "chap-secret-file: needs an absolute file name"},
      {"catalog-dir = cat", "catalog-dir: 'cat' is not an absolute directory or none"},
      {"catalog-dir =", "catalog-dir: '' is not an absolute directory or none"},
      {"long-timeout = 1e9", "long-timeout: '1e9' is not a number of seconds"},
      {"sub.key = 1", "unit.0.sub.key: key outside a [unit.N] section"},
  };
  for (const auto& c : cases) {
    const bool device = std::string(c.line).rfind("device", 0) == 0;
    const std::string m =
        ErrorOf(std::string("[unit.0]\n") + (device ? "bits = 1\n" : "device = a.tap # first\n") +
                c.line + "\n");
    EXPECT_NE(m.find("/etc/tsfs/tsbconf.conf:3:"), std::string::npos) << c.line << ": " << m;
    EXPECT_NE(m.find(c.says), std::string::npos) << c.line << ": " << m;
  }
}

TEST(TsbconfTest, RulesBetweenKeysNameTheSectionLine) {
  std::string m = ErrorOf(
      "[unit.0]\ndevice = a.tap\n[unit.1]\ndevice = b.tap\nbuffer-kb = 1\n"
      "block-size = 4096\n");
  EXPECT_NE(m.find(":3: [unit.1] buffer-kb: smaller than one block of 4096 bytes"),
            std::string::npos)
      << m;
  m = ErrorOf("[unit.2]\ndevice = /dev/sg2\nchap-secret-file = /etc/tsfs/secret\n");
  EXPECT_NE(m.find(":1: [unit.2] chap-secret-file: the device is not iscsi://user@host/"),
            std::string::npos)
      << m;
  for (const char* section : {"[unit.1001]", "[unit.x]", "[unit.]", "[unit.-1]"}) {
    m = ErrorOf(std::string(section) + "\ndevice = a.tap\n");
    EXPECT_NE(m.find(":1: " + std::string(section) + ": unknown section"), std::string::npos) << m;
  }
}

// Our scan takes a form feed for blank space, Boost's tokeniser does not:
// the file is refused as a whole rather than read differently by the two.
TEST(TsbconfTest, ALineBoostCannotTokeniseIsRefused) {
  const std::string m = ErrorOf("[unit.0]\ndevice = a.tap\n\f\n");
  EXPECT_NE(m.find("/etc/tsfs/tsbconf.conf: not a file of [unit.N] sections"), std::string::npos)
      << m;
}

TEST(TsbconfTest, LoadRefusesADirectoryAndResolveRefusesBadNames) {
  auto dir = LoadTsbconf(::testing::TempDir());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.status().code(), ErrorCode::kConfig);
  EXPECT_NE(dir.status().message().find("is a directory"), std::string::npos)
      << dir.status().ToString();
  auto bad = ResolveSource("rtsx", "/nonexistent/tsbconf.conf");
  EXPECT_EQ(bad.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("rtsx: no such unit (rts0 to rts15)"), std::string::npos)
      << bad.status().ToString();
  auto empty = ResolveSource("", "");
  EXPECT_EQ(empty.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(empty.status().message(), "empty source");
  // "rts" alone is a device name (a file of that name), not a unit.
  auto plain = ResolveSource("rts", "");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->device, "rts");
  EXPECT_EQ(plain->unit, -1);
}

// Found by tests/fuzz/fuzz_tsbconf: Boost's error text for a bad line loops
// forever when the line holds one of its placeholders. The parser must answer
// with an error naming the line, at once (ctest's timeout catches a hang).
TEST(TsbconfTest, BadLineWithBoostPlaceholdersIsAnErrorNotAHang) {
  for (const char* text :
       {"[unit.0]\nbad %invalid_line% here\n",
        "[unit.0]\ndevice = a.tap\n%canonical_option% %prefix%\n", "[unit.0]\n= %value%\n"}) {
    const std::string m = ErrorOf(text);
    EXPECT_NE(m.find("invalid line"), std::string::npos) << m;
    EXPECT_NE(m.find("/etc/tsfs/tsbconf.conf:"), std::string::npos) << m;
  }
}

}  // namespace
}  // namespace tsfs
