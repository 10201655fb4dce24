// tstape write / read / list as a user runs them: vtape, an rtsN unit from a
// tsbconf file, and the real targets (tgtd, istgt). Byte-exact round trips
// modulo the zero padding of the last block.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/process.h"
#include "tests/support/targets.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tstape_runner.h"

namespace tsfs {
namespace {

using testing::Has;
using testing::Tstape;

std::vector<uint8_t> Bytes(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& b : v) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

void Put(const std::string& path, const std::vector<uint8_t>& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

std::vector<uint8_t> Get(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

std::vector<uint8_t> Padded(std::vector<uint8_t> v) {
  v.resize((v.size() + 511) / 512 * 512, 0);
  return v;
}

// Two files written, listed, read back; then a third appended.
void RoundTrip(const std::string& source, const testing::TempDir& dir) {
  const auto a = Bytes(300 * 1024 + 11, 1), b = Bytes(5, 2), c = Bytes(70000, 3);
  Put(dir.File("a"), a);
  Put(dir.File("b"), b);
  Put(dir.File("c"), c);
  auto w = Tstape({"write", source, dir.File("a")});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_TRUE(Has(w.output, "file 0: 307211 bytes, 601 blocks of 512")) << w.output;
  w = Tstape({"write", source, dir.File("b")});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_TRUE(Has(w.output, "file 1: 5 bytes, 1 blocks of 512")) << w.output;
  auto l = Tstape({"list", source});
  ASSERT_EQ(l.exit_code, 0) << l.output;
  EXPECT_TRUE(Has(l.output, "file")) << l.output;
  auto r = Tstape({"read", source, "0", dir.File("a.out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Get(dir.File("a.out")), Padded(a));
  r = Tstape({"read", source, "1", dir.File("b.out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Get(dir.File("b.out")), Padded(b));
  w = Tstape({"write", source, dir.File("c")});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  EXPECT_TRUE(Has(w.output, "file 2: 70000 bytes")) << w.output;
  r = Tstape({"read", source, "2", dir.File("c.out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Get(dir.File("c.out")), Padded(c));
  r = Tstape({"read", source, "3", dir.File("none")});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Has(r.output, "tape file 3 does not exist")) << r.output;
}

TEST(TstapeUnitCommandsTest, WriteListReadOnVtape) {
  auto dir = testing::TempDir::Create("tstape_unit");
  ASSERT_TRUE(dir.ok());
  // The exact sizes `list` shows are the ones `write` kept in the catalog
  // store: a private one, not /var/lib/tsfs/catalog (other runs leave
  // catalogs of the same data there) nor none (ctest's default).
  struct CatalogDir {
    explicit CatalogDir(const std::string& path) {
      if (const char* old = std::getenv("TSFS_CATALOG_DIR")) before = old;
      setenv("TSFS_CATALOG_DIR", path.c_str(), 1);
    }
    ~CatalogDir() {
      if (before) {
        setenv("TSFS_CATALOG_DIR", before->c_str(), 1);
      } else {
        unsetenv("TSFS_CATALOG_DIR");
      }
    }
    std::optional<std::string> before;
  } catalogs(dir->File("catalogs"));
  RoundTrip("vtape:" + dir->File("t.tap") + "?create&capacity=16M", *dir);
  auto l = Tstape({"list", dir->File("t.tap")});
  ASSERT_EQ(l.exit_code, 0) << l.output;
  EXPECT_TRUE(Has(l.output, "    0          601         307712")) << l.output;
  EXPECT_TRUE(Has(l.output, "    1            1            512")) << l.output;
  EXPECT_TRUE(Has(l.output, "    2          137          70144")) << l.output;
}

TEST(TstapeUnitCommandsTest, RtsUnitsFromTheConfigurationFile) {
  auto dir = testing::TempDir::Create("tstape_unit");
  ASSERT_TRUE(dir.ok());
  const std::string conf = dir->File("tsbconf.conf");
  {
    std::ofstream f(conf);
    f << "[unit.0]\ndevice = vtape:" << dir->File("t.tap") << "?create&capacity=16M\n"
      << "buffer-kb = 64\nflags = autoret\n";
  }
  Put(dir->File("a"), Bytes(4096, 4));
  auto w = Tstape({"write", "--config", conf, "rts0", dir->File("a")});
  ASSERT_EQ(w.exit_code, 0) << w.output;
  auto r = Tstape({"read", "--config", conf, "rts8", "0", dir->File("a.out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(Get(dir->File("a.out")), Bytes(4096, 4));
  auto bad = Tstape({"list", "--config", conf, "rts1"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Has(bad.output, "unit 1 is not configured")) << bad.output;
  {
    std::ofstream f(conf);
    f << "[unit.0]\ndevice = x.tap\nbufer-kb = 64\n";
  }
  bad = Tstape({"list", "--config", conf, "rts0"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(Has(bad.output, conf + ":3:")) << bad.output;
}

TEST(TstapeUnitCommandsTest, WriteErrorIsReportedWithTheTsWords) {
  auto dir = testing::TempDir::Create("tstape_unit");
  ASSERT_TRUE(dir.ok());
  const std::string src =
      "vtape:" + dir->File("t.tap") + "?create&capacity=16M&fail=write@100:medium";
  Put(dir->File("a"), Bytes(1 << 20, 5));
  auto w = Tstape({"write", src, dir->File("a")});
  EXPECT_EQ(w.exit_code, 1) << w.output;
  EXPECT_TRUE(Has(w.output, "error writing buffer to tape")) << w.output;
  EXPECT_TRUE(Has(w.output, "Media error on write")) << w.output;
  // What reached the tape reads back: exactly the 100 blocks before the fault.
  auto r = Tstape({"read", dir->File("t.tap"), "0", dir->File("a.out")});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto back = Get(dir->File("a.out"));
  const auto a = Bytes(1 << 20, 5);
  ASSERT_EQ(back.size(), 100u * 512);
  EXPECT_TRUE(std::equal(back.begin(), back.end(), a.begin()));
}

TEST(TstapeUnitCommandsTest, UsageAndHelp) {
  EXPECT_EQ(Tstape({"write", "--help"}).exit_code, 0);
  EXPECT_EQ(Tstape({"read", "--help"}).exit_code, 0);
  EXPECT_EQ(Tstape({"list", "--help"}).exit_code, 0);
  EXPECT_EQ(Tstape({"read", "x.tap"}).exit_code, 2);
  EXPECT_EQ(Tstape({"list"}).exit_code, 2);
  EXPECT_EQ(Tstape({"write", "--bogus", "x.tap"}).exit_code, 2);
}

using testing::TargetKind;
class TstapeUnitTargetTest : public ::testing::TestWithParam<TargetKind> {};

TEST_P(TstapeUnitTargetTest, WriteListReadAppend) {
  testing::TargetOptions options;
  options.size_mb = 32;
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, options);
  auto dir = testing::TempDir::Create("tstape_unit");
  ASSERT_TRUE(dir.ok());
  RoundTrip(target->uri(), *dir);
}

INSTANTIATE_TEST_SUITE_P(Targets, TstapeUnitTargetTest, testing::RealTargets(),
                         testing::TargetKindName);

}  // namespace
}  // namespace tsfs
