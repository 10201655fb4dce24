// The reader backs over a record in two places: a record longer than what
// is left of a slot (read again once the slots are cut larger), and a
// record that is not one block in a fixed-block file (read again as a
// variable record). A SPACE back that fails there ends the file's read
// with the drive's error after the bytes before that record; the next read
// of the file gives it whole. The catalog comes from the catalog store, so
// that the SPACE rule first meets the reader's SPACE, not a scan's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tapecore/unit/record_tape_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

// Writes these files (each a list of record lengths, a filemark after
// each) as the unit's image, lets a unit scan and store its catalog, then
// opens a unit with `faults`. Returns each file's bytes.
std::vector<std::vector<uint8_t>> StoredImage(VtapeUnit& t,
                                              const std::vector<std::vector<size_t>>& files,
                                              const UnitConfig& config, const std::string& faults) {
  std::vector<std::vector<uint8_t>> out = unit_testing::WriteRecordImage(t, files, config, 60);
  auto list = t->Catalog();
  EXPECT_TRUE(list.ok()) << list.status().ToString();
  t.Reopen(faults, config);
  return out;
}

UnitConfig StoreConfig(const VtapeUnit& t) {
  UnitConfig config;
  config.catalog_dir = t.dir("catalogs");
  config.buffer_kb = 2048;  // two slots of 1 MiB in each buffer
  return config;
}

std::vector<uint8_t> Head(const std::vector<uint8_t>& v, size_t n) {
  return {v.begin(), v.begin() + static_cast<long>(n)};
}

// Records 0 and 1 fit the first 1 MiB slot; record 2 (1.5 MiB) does not:
// the SPACE back over it (at object 3) fails.
TEST(ReaderSpaceBackFailuresTest, LongRecordAfterOthersThatCannotBeBackedOver) {
  VtapeUnit t;
  const UnitConfig config = StoreConfig(t);
  const auto files =
      StoredImage(t, {{1000, 2000, 1536 * 1024, 700}, {300}}, config, "fail=space@3:medium");
  Status error;
  const auto got = ReadWholeFile(t.unit(), 0, 65536, &error);
  EXPECT_EQ(got, Head(files[0], 3000));  // the records before it
  ExpectCommandFailed(error, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on space");
  EXPECT_TRUE(t.log().Contains("(checked against the tape)"));  // no scan
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);  // the rule fired once
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
}

// A 700-byte record in a file of 512-byte blocks: the fixed READ stops
// after it with ILI; the SPACE back (at object 3) fails.
TEST(ReaderSpaceBackFailuresTest, OddRecordInAFixedBlockFileThatCannotBeBackedOver) {
  VtapeUnit t;
  const UnitConfig config = StoreConfig(t);
  const auto files =
      StoredImage(t, {{512, 512, 700, 512}, {512, 512}}, config, "fail=space@3:medium");
  Status error;
  const auto got = ReadWholeFile(t.unit(), 0, 65536, &error);
  EXPECT_EQ(got, Head(files[0], 1024));
  ExpectCommandFailed(error, t.log(), SenseKey::kMediumError, 0x11, 0x00, "Media error on space");
  EXPECT_TRUE(t.log().Contains("(checked against the tape)"));  // no scan
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
}

}  // namespace
}  // namespace tsfs
