// The catalog kept between mounts (catalog-dir) as the unit uses it: taken
// only after checking it against the tape, and read from the tape again
// whenever that check fails, the stored file is damaged or cannot be
// written. Nothing of the tape depends on the store.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpRead6;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

UnitConfig WithStore(const VtapeUnit& t) {
  UnitConfig config;
  config.catalog_dir = t.dir("catalogs");
  return config;
}

// Three files written with the store on; the unit is opened again with
// `options` (and no probe, so the positions of the rules are the catalog
// check's own).
std::vector<std::vector<uint8_t>> StoredThreeFiles(VtapeUnit& t, const std::string& options) {
  t.Reopen("capacity=16M", WithStore(t));
  auto files = WriteThreeFiles(t.unit());
  UnitConfig config = WithStore(t);
  config.probe_on_open = false;
  t.Reopen("capacity=16M" + (options.empty() ? "" : "&" + options), config);
  return files;
}

TEST(StoredCatalogTest, TakenAfterTheCheck) {
  VtapeUnit t;
  const auto files = StoredThreeFiles(t, "");
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(t.log().Contains("catalog of 3 files from "));
  EXPECT_EQ(t.cdbs().Count(kOpRead6), 2u);  // the fingerprint, end of data
  ExpectFilesIntact(t.unit(), files);
}

// Each command of the check failing once: the check is given up with a
// warning that names the failure, and the tape is read instead.
TEST(StoredCatalogTest, FailingCheckFallsBackToReadingTheTape) {
  const struct {
    const char* rule;
    const char* says;
  } cases[] = {
      {"fail=rewind@0:hardware", "Hardware error on rewind"},
      {"fail=read@0:medium", "Media error on read"},  // the fingerprint
      {"fail=space@0:aborted", "Aborted command on space"},
      {"fail=read@21:medium", "Media error on read"},  // end of data
  };
  for (const auto& c : cases) {
    VtapeUnit t;
    const auto files = StoredThreeFiles(t, c.rule);
    auto list = t->Catalog();
    ASSERT_TRUE(list.ok()) << c.rule << ": " << list.status().ToString();
    EXPECT_EQ(list->size(), 3u) << c.rule;
    const auto lines = t.log().Lines();
    EXPECT_EQ(std::count_if(lines.begin(), lines.end(),
                            [&](const std::string& l) {
                              return l.find("cannot check the stored catalog: ") !=
                                         std::string::npos &&
                                     l.find(c.says) != std::string::npos;
                            }),
              1)
        << c.rule;
    EXPECT_FALSE(t.log().Contains("catalog of 3 files from ")) << c.rule;
    ExpectFilesIntact(t.unit(), files);
  }
}

TEST(StoredCatalogTest, DamagedStoredFileIsIgnoredAndWrittenAgain) {
  VtapeUnit t;
  const auto files = StoredThreeFiles(t, "");
  t.Drop();
  int damaged = 0;
  for (const auto& f : std::filesystem::directory_iterator(t.dir("catalogs"))) {
    std::ofstream(f.path()) << "tsfs-catalog 1\nblock-size 512\nlabel X\n";
    ++damaged;
  }
  ASSERT_EQ(damaged, 1);
  UnitConfig config = WithStore(t);
  t.Reopen("capacity=16M", config);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(t.log().Contains("ignoring the stored catalog "));
  EXPECT_TRUE(t.log().Contains("stored catalog line 3: unknown line 'label'"));
  // The scan kept a good one: the next unit takes it.
  t.Reopen("capacity=16M", config);
  ASSERT_TRUE(t->Catalog().ok());
  EXPECT_TRUE(t.log().Contains("catalog of 3 files from "));
  ExpectFilesIntact(t.unit(), files);
}

// A file appended without the store: the stored catalog ends too early.
TEST(StoredCatalogTest, CatalogThatNoLongerMatchesIsReadAgain) {
  VtapeUnit t;
  auto files = StoredThreeFiles(t, "");
  t.Reopen("capacity=16M", UnitConfig{});  // no store
  files.push_back(Pattern(1500, 4));
  EXPECT_EQ(AppendFile(t.unit(), files.back()), 3);
  t.Reopen("capacity=16M", WithStore(t));
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 4u);
  EXPECT_TRUE(t.log().Contains("does not match this tape; reading its catalog again"));
  ExpectFilesIntact(t.unit(), files);
}

// Another block size reads the tape in other units: the stored catalog
// (in 512-byte blocks) is not used.
TEST(StoredCatalogTest, OtherBlockSizeReadsTheTape) {
  VtapeUnit t;
  StoredThreeFiles(t, "");
  UnitConfig config = WithStore(t);
  config.block_size = 1024;
  t.Reopen("capacity=16M", config);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 3u);
  EXPECT_FALSE(t.log().Contains("catalog of 3 files from "));
}

// A store that cannot be written: a warning, and the tape works as without.
TEST(StoredCatalogTest, StoreThatCannotBeWrittenOnlyWarns) {
  VtapeUnit t;
  std::ofstream(t.dir("plain")) << "a file, not a directory\n";
  UnitConfig config;
  config.catalog_dir = t.dir("plain") + "/catalogs";
  t.Reopen("capacity=16M", config);
  const auto files = WriteThreeFiles(t.unit());
  EXPECT_TRUE(t.log().Contains("cannot keep the catalog: "));
  EXPECT_TRUE(t.log().Contains("Not a directory"));
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
