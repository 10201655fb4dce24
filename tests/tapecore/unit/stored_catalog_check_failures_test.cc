// The check of a stored catalog (catalog-dir) against the tape, beyond
// stored_catalog_test.cc: its second REWIND failing, its READ POSITION at
// end of data failing (probe on: positions trusted), and a tape that has
// become shorter than the stored catalog (files overwritten without the
// store). Each time the stored catalog is not taken, the reason is logged,
// and the tape is read instead; every file reads back.
#include <gtest/gtest.h>

#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpSpace6;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

UnitConfig WithStore(const VtapeUnit& t, bool probe) {
  UnitConfig config;
  config.catalog_dir = t.dir("catalogs");
  config.probe_on_open = probe;
  return config;
}

// Three files stored; a unit opened again with `rule`. `spaces`: the
// check's SPACE (if it got that far), then the scan's one per file.
void ExpectCheckFailsThenTapeIsRead(const std::string& rule, bool probe, const char* says,
                                    size_t spaces) {
  VtapeUnit t;
  t.Reopen("capacity=16M", WithStore(t, true));
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=" + rule, WithStore(t, probe));
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << rule << ": " << list.status().ToString();
  EXPECT_EQ(list->size(), 3u);
  EXPECT_TRUE(t.log().Contains("cannot check the stored catalog: ")) << rule;
  EXPECT_TRUE(t.log().Contains(says)) << rule;
  EXPECT_FALSE(t.log().Contains("catalog of 3 files from ")) << rule;
  EXPECT_EQ(t.vtape().Stats().faults_injected, 1u) << rule;
  EXPECT_EQ(t.cdbs().Count(kOpSpace6), spaces) << rule;
  ExpectFilesIntact(t.unit(), files);
}

// The REWIND before the SPACE over the stored files (the first REWIND,
// before the fingerprint, is stored_catalog_test.cc's).
TEST(StoredCatalogCheckFailuresTest, SecondRewindFails) {
  ExpectCheckFailsThenTapeIsRead("rewind@0:hardware+1", false, "Hardware error on rewind", 3);
}

// READ POSITION at end of data (object 21), asked only where the probe
// found positions trusted.
TEST(StoredCatalogCheckFailuresTest, ReadPositionAtEndOfDataFails) {
  ExpectCheckFailsThenTapeIsRead("readpos@21:medium", true, "Media error on read position", 4);
}

// File 1 overwritten without the store: the tape ends after two files, the
// SPACE over three meets end of data, the stored catalog does not match.
TEST(StoredCatalogCheckFailuresTest, ShorterTapeIsReadAgain) {
  VtapeUnit t;
  t.Reopen("capacity=16M", WithStore(t, true));
  auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M", UnitConfig{});  // no store
  ASSERT_TRUE(t->OpenOverwrite(1).ok());
  files[1] = Pattern(700, 5);
  ASSERT_TRUE(t->Write(files[1]).ok());
  ASSERT_TRUE(t->Close().ok());
  files.pop_back();
  t.Reopen("capacity=16M", WithStore(t, true));
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 2u);
  std::string all;
  for (const auto& l : t.log().Lines()) all += l + "\n";
  EXPECT_TRUE(t.log().Contains("does not match this tape; reading its catalog again")) << all;
  ExpectFilesIntact(t.unit(), files);
  // The scan stored the new catalog: the next unit takes it.
  t.Reopen("capacity=16M", WithStore(t, true));
  ASSERT_TRUE(t->Catalog().ok());
  EXPECT_TRUE(t.log().Contains("catalog of 2 files from "));
  files.push_back(Pattern(100, 6));
  EXPECT_EQ(AppendFile(t.unit(), files.back()), 2);
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
