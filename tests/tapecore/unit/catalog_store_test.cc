// The text form of the per-medium catalog (catalog_store.h): it is read
// back from disk at every mount, so a damaged file must be refused with the
// line that is wrong, never half-read.
#include "tapecore/unit/catalog_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <string>

#include "tests/support/temp_dir.h"

namespace tsfs {
namespace {

StoredCatalog Sample() {
  StoredCatalog c;
  c.block_size = 512;
  c.eod = 12345;
  CatalogEntry fixed;
  fixed.blocks = 7;
  fixed.bytes = 3584;
  fixed.first_record = 512;
  fixed.start = 0;
  CatalogEntry variable;
  variable.blocks = 3;
  variable.bytes = 70001;
  variable.size = SizeKind::kEstimated;
  variable.first_record = 65536;
  variable.start = 8;
  CatalogEntry cut;
  cut.size_known = false;
  cut.size = SizeKind::kUnknown;
  cut.complete = false;
  c.files = {fixed, variable, cut};
  return c;
}

void ExpectSame(const CatalogEntry& a, const CatalogEntry& b) {
  EXPECT_EQ(a.blocks, b.blocks);
  EXPECT_EQ(a.size_known, b.size_known);
  EXPECT_EQ(a.bytes, b.bytes);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.first_record, b.first_record);
  EXPECT_EQ(a.complete, b.complete);
  EXPECT_EQ(a.start, b.start);
}

TEST(CatalogStoreTest, FormatThenParseGivesTheSameCatalog) {
  const StoredCatalog c = Sample();
  const std::string text = FormatStoredCatalog(c);
  auto back = ParseStoredCatalog(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << text;
  EXPECT_EQ(back->block_size, 512u);
  EXPECT_EQ(back->eod, std::optional<uint64_t>(12345));
  ASSERT_EQ(back->files.size(), 3u);
  for (size_t i = 0; i < 3; ++i) ExpectSame(back->files[i], c.files[i]);

  StoredCatalog no_eod;
  no_eod.eod.reset();
  auto empty = ParseStoredCatalog(FormatStoredCatalog(no_eod));
  ASSERT_TRUE(empty.ok()) << empty.status().ToString();
  EXPECT_FALSE(empty->eod.has_value());
  EXPECT_TRUE(empty->files.empty());
}

TEST(CatalogStoreTest, BlanksTabsCarriageReturnsAndAMissingLastNewline) {
  auto c = ParseStoredCatalog(
      "tsfs-catalog 1\r\n\n  block-size\t1024 \neod -\nfile 2 1 2048 exact 1024 1 -");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->block_size, 1024u);
  ASSERT_EQ(c->files.size(), 1u);
  EXPECT_EQ(c->files[0].bytes, 2048u);
  EXPECT_FALSE(c->files[0].start.has_value());
}

// Each damaged text is refused, and the message names the line.
TEST(CatalogStoreTest, DamagedTextIsRefusedWithItsLine) {
  const std::string head = "tsfs-catalog 1\nblock-size 512\neod 4\n";
  const struct {
    std::string text;
    std::string says;
  } cases[] = {
      {"", "line 0: empty"},
      {"\n\n", "line 2: empty"},
      {"tsfs-catalog 2\n", "line 1: not a tsfs catalog v1"},
      {"tsfs-catalog\n", "line 1: not a tsfs catalog v1"},
      {"file 1 1 512 exact 512 1 0\n", "line 1: not a tsfs catalog v1"},
      {"tsfs-catalog 1\nblock-size 0\n", "line 2: bad block size"},
      {"tsfs-catalog 1\nblock-size 16777216\n", "line 2: bad block size"},
      {"tsfs-catalog 1\nblock-size -\n", "line 2: bad block size"},
      {"tsfs-catalog 1\nblock-size 512 512\n", "line 2: unknown line 'block-size'"},
      {"tsfs-catalog 1\neod x\n", "line 2: bad end of data"},
      {"tsfs-catalog 1\neod 99999999999999999999\n", "line 2: bad end of data"},
      {head + "file 1 1 512 exact 512 1\n", "line 4: unknown line 'file'"},
      {head + "file 1 1 512 exact 512 1 0 9\n", "line 4: unknown line 'file'"},
      {head + "file 1 2 512 exact 512 1 0\n", "line 4: bad file line"},
      {head + "file 1 1 512 huge 512 1 0\n", "line 4: bad file line"},
      {head + "file 1 1 +512 exact 512 1 0\n", "line 4: bad file line"},
      {head + "file 1 1 512 exact 4294967296 1 0\n", "line 4: bad file line"},
      {head + "file - 1 512 exact 512 1 0\n", "line 4: bad file line"},
      {head + "file 1 1 512 exact 512 - 0\n", "line 4: bad file line"},
      {head + "label X\n", "line 4: unknown line 'label'"},
      {head + "file 1 1 512 exact 512 0 0\nfile 1 1 512 exact 512 1 2\n",
       "a file without filemark before the last one"},
  };
  for (const auto& k : cases) {
    auto c = ParseStoredCatalog(k.text);
    ASSERT_FALSE(c.ok()) << "accepted: " << k.text;
    EXPECT_EQ(c.status().code(), ErrorCode::kInvalidArgument) << k.text;
    EXPECT_NE(c.status().ToString().find(k.says), std::string::npos)
        << c.status().ToString() << " for: " << k.text;
  }
}

// The store on disk: what cannot be created, replaced or removed is an
// error naming the path (the unit logs it and goes on without the store).
TEST(CatalogStoreTest, DiskFailuresNameThePath) {
  auto dir = testing::TempDir::Create("catstore");
  ASSERT_TRUE(dir.ok());
  std::ofstream(dir->File("file")) << "not a directory\n";
  const CatalogStore under_file(dir->File("file") + "/sub");
  Status s = under_file.Save(1, Sample());
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.ToString().find("cannot create " + dir->File("file") + "/sub: Not a directory"),
            std::string::npos)
      << s.ToString();
  auto nothing = under_file.Load(1);
  ASSERT_TRUE(nothing.ok());
  EXPECT_FALSE(nothing->has_value());

  // A directory where the catalog file of fingerprint 7 belongs.
  const CatalogStore store(dir->File("cat"));
  ASSERT_TRUE(store.Save(1, Sample()).ok());
  ASSERT_EQ(::mkdir(store.PathFor(7).c_str(), 0700), 0);
  std::ofstream(store.PathFor(7) + "/x") << "x\n";
  s = store.Save(7, Sample());
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.ToString().find("cannot rename to " + store.PathFor(7)), std::string::npos)
      << s.ToString();
  s = store.Forget(7);
  EXPECT_EQ(s.code(), ErrorCode::kIo);
  EXPECT_NE(s.ToString().find("cannot remove " + store.PathFor(7)), std::string::npos)
      << s.ToString();
  EXPECT_FALSE(store.Load(7).ok());  // there, but not a catalog
  auto one = store.Load(1);
  ASSERT_TRUE(one.ok() && one->has_value());
  EXPECT_EQ((*one)->files.size(), 3u);
  EXPECT_TRUE(store.Forget(1).ok());
  EXPECT_TRUE(store.Forget(1).ok());  // already gone
  EXPECT_FALSE(store.Load(1)->has_value());

  const CatalogStore disabled("");
  EXPECT_FALSE(disabled.enabled());
  EXPECT_TRUE(disabled.Save(1, Sample()).ok());
  EXPECT_TRUE(disabled.Forget(1).ok());
  EXPECT_FALSE(disabled.Load(1)->has_value());
}

}  // namespace
}  // namespace tsfs
