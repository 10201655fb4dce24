// tstape mkvtape and tstape dump, run as a user runs them.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/vtape/vtape_transport.h"
#include "tests/support/process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/tstape_runner.h"

namespace tsfs {
namespace {

using testing::Has;
using testing::Tstape;

TEST(TstapeVtapeToolsTest, MkvtapeMakesABlankTapeAndSaysHowToUseIt) {
  auto dir = testing::TempDir::Create("tsfs-mkvtape");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->File("t.tap");
  auto r = Tstape({"mkvtape", path, "--capacity", "10M"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "use the source vtape:" + path + "\n")) << r.output;
  std::ifstream f(path, std::ios::binary | std::ios::ate);
  ASSERT_TRUE(f.good());
  EXPECT_EQ(f.tellg(), 0);
  // The capacity stays with the image; an option in the source overrides it.
  {
    auto t = VtapeTransport::Open("vtape:" + path);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ((*t)->Stats().capacity_bytes, 10u << 20);
    EXPECT_EQ((*t)->Stats().early_warning_bytes, 1u << 20);
  }
  {
    auto t = VtapeTransport::Open("vtape:" + path + "?capacity=20M");
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    EXPECT_EQ((*t)->Stats().capacity_bytes, 20u << 20);
  }
  // It does not overwrite a tape by accident.
  r = Tstape({"mkvtape", path});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Has(r.output, "--force")) << r.output;
  r = Tstape({"mkvtape", path, "--force"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "use the source vtape:" + path + "\n")) << r.output;  // default 44M
  r = Tstape({"mkvtape", path, "--capacity", "huge"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = Tstape({"mkvtape"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = Tstape({"mkvtape", path, "--force", "--capacity", "2M", "--ew", "100K", "--write-protect"});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  {
    auto t = VtapeTransport::Open("vtape:" + path);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    const auto s = (*t)->Stats();
    EXPECT_EQ(s.capacity_bytes, 2u << 20);
    EXPECT_EQ(s.early_warning_bytes, 100u << 10);
    EXPECT_TRUE(s.write_protected);
  }
  r = Tstape({"mkvtape", path, "--force", "--capacity", "2M", "--ew", "3M"});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = Tstape({"mkvtape", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(Has(r.output, "--capacity")) << r.output;
}

TEST(TstapeVtapeToolsTest, DumpCollapsesRunsOfRecords) {
  auto dir = testing::TempDir::Create("tsfs-dump");
  ASSERT_TRUE(dir.ok());
  const std::string path = dir->File("t.tap");
  ASSERT_EQ(Tstape({"mkvtape", path}).exit_code, 0);
  {
    auto t = VtapeTransport::Open("vtape:" + path);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    Ssc ssc(**t);
    ASSERT_TRUE(ssc.ModeSelectBlockLength(512).ok());
    ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(2048 * 512, 1), 512).ok());
    ASSERT_TRUE(ssc.WriteFilemarks(1).ok());
    ASSERT_TRUE(ssc.ModeSelectBlockLength(0).ok());
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(10240, 2), 0).ok());
    ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(7, 3), 0).ok());
    ASSERT_TRUE(ssc.WriteFilemarks(2).ok());
  }
  auto r = Tstape({"dump", path});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output,
            "file 0: 2048 records of 512 bytes\n"
            "tape mark\n"
            "file 1: 3 records of 10240 bytes\n"
            "file 1: 1 record of 7 bytes\n"
            "2 tape marks\n"
            "end of data: 2055 objects, 3 tape marks, 1079303 bytes of data\n");
  r = Tstape({"dump", "vtape:" + path + "?capacity=10M"});  // a source string works too
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(TstapeVtapeToolsTest, DumpOfBrokenImagesSaysWhy) {
  auto dir = testing::TempDir::Create("tsfs-dump");
  ASSERT_TRUE(dir.ok());
  {
    std::ofstream f(dir->File("bad.tap"), std::ios::binary);
    const unsigned char bytes[] = {4, 0, 0, 0, 'a', 'b', 'c', 'd', 5, 0, 0, 0};
    f.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  auto r = Tstape({"dump", dir->File("bad.tap")});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Has(r.output, "trailing length 5")) << r.output;
  r = Tstape({"dump", dir->File("missing.tap")});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  {
    std::ofstream f(dir->File("torn.tap"), std::ios::binary);
    const unsigned char bytes[] = {0, 0, 0, 0, 9, 0, 0, 0, 'x'};
    f.write(reinterpret_cast<const char*>(bytes), sizeof bytes);
  }
  r = Tstape({"dump", dir->File("torn.tap")});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "tape mark\n")) << r.output;
  EXPECT_TRUE(Has(r.output, "warning: the last record")) << r.output;
  EXPECT_EQ(Tstape({"dump"}).exit_code, 2);
}

}  // namespace
}  // namespace tsfs
