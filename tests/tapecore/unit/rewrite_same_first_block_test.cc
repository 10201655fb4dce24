// A tape's catalog is kept under the fingerprint of its first block. A new
// file 0 with another first block is a new medium (the old catalog is
// forgotten); a new file 0 with the same first block keeps the same name,
// and the next session takes the catalog from the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;

std::vector<std::string> StoredCatalogs(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

TEST(RewriteSameFirstBlockTest, SameFirstBlockKeepsTheStoredCatalogsName) {
  VtapeUnit t("capacity=16M");
  UnitConfig config;
  config.catalog_dir = t.dir("catalogs");
  t.Reopen("capacity=16M", config);
  const auto a = Pattern(3000, 1);
  ASSERT_EQ(AppendFile(t.unit(), a), 0);
  ASSERT_EQ(AppendFile(t.unit(), Pattern(800, 2)), 1);
  const auto before = StoredCatalogs(config.catalog_dir);
  ASSERT_EQ(before.size(), 1u);

  // File 0 again, same first block, longer; file 1 is cut off.
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());
  auto longer = a;
  const auto tail = Pattern(2000, 3);
  longer.insert(longer.end(), tail.begin(), tail.end());
  ASSERT_TRUE(t->Write(longer).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(StoredCatalogs(config.catalog_dir), before);

  t.Reopen("capacity=16M", config);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].blocks, (longer.size() + 511) / 512);
  EXPECT_TRUE(t.log().Contains("(checked against the tape)"));
  ExpectFilesIntact(t.unit(), {longer});
}

}  // namespace
}  // namespace tsfs
