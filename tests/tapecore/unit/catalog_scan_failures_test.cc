// The catalog scan when one of its commands fails (REWIND, READ POSITION,
// SPACE, LOCATE, READ), on a tape of the unit's fixed blocks and on a tape
// of variable records: the scan returns that command's error with its ts
// words (logged too), nothing is written, and once the fault has fired the
// next scan builds the catalog and every file reads back as written.
//
// vtape's `+M` lets the open's probe pass: it sends two REWINDs, three READ
// POSITIONs (two at BOT, one after the first record), one LOCATE (to 0) and
// one READ (the first record) before the scan runs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/tapecore/unit/unit_test_util.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::kThreeFilesEndOfData;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

struct ScanFault {
  const char* rule;  // vtape fail= rule
  SenseKey key;
  uint8_t asc;
  uint8_t ascq;
  const char* words;  // ts diagnostic
};

void PrintTo(const ScanFault& f, std::ostream* os) { *os << f.rule; }

// The scan fails with the fault; nothing is written; the second scan works.
void ExpectScanFailsOnceThenWorks(VtapeUnit& t, const ScanFault& f, size_t files,
                                  uint64_t end_of_data) {
  const vtape::VtapeStats before = t.vtape().Stats();
  Result<std::vector<TapeFileInfo>> scan = t->Catalog();
  ASSERT_FALSE(scan.ok()) << f.rule;
  ExpectCommandFailed(scan.status(), t.log(), f.key, f.asc, f.ascq, f.words);
  EXPECT_NE(scan.status().ToString().find("catalog"), std::string::npos)
      << scan.status().ToString();
  const vtape::VtapeStats after = t.vtape().Stats();
  EXPECT_EQ(after.faults_injected, before.faults_injected + 1) << f.rule;
  EXPECT_EQ(after.bytes_written, before.bytes_written) << f.rule;
  EXPECT_EQ(after.filemarks_written, before.filemarks_written) << f.rule;
  EXPECT_EQ(after.end_of_data, end_of_data) << f.rule;
  scan = t->Catalog();
  ASSERT_TRUE(scan.ok()) << f.rule << ": " << scan.status().ToString();
  EXPECT_EQ(scan->size(), files) << f.rule;
}

class FixedTapeScanFailureTest : public ::testing::TestWithParam<ScanFault> {};

TEST_P(FixedTapeScanFailureTest, ScanReturnsTheErrorThenWorks) {
  const ScanFault& f = GetParam();
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen(std::string("capacity=16M&fail=") + f.rule);
  ExpectScanFailsOnceThenWorks(t, f, files.size(), kThreeFilesEndOfData);
  auto catalog = t->Catalog();
  ASSERT_TRUE(catalog.ok());
  EXPECT_EQ((*catalog)[0].bytes, 3072u);
  EXPECT_EQ((*catalog)[1].bytes, 5120u);
  EXPECT_EQ((*catalog)[2].bytes, 1024u);
  ExpectFilesIntact(t.unit(), files);
}

// The three files: blocks 0-5 (filemark 6), 7-16 (17), 18-19 (20), end of
// data at 21.
INSTANTIATE_TEST_SUITE_P(
    EachCommand, FixedTapeScanFailureTest,
    ::testing::Values(ScanFault{"rewind@0:hardware+2", SenseKey::kHardwareError, 0x44, 0x00,
                                "Hardware error on rewind"},
                      ScanFault{"readpos@0:medium+3", SenseKey::kMediumError, 0x11, 0x00,
                                "Media error on read position"},
                      ScanFault{"space@0:aborted", SenseKey::kAbortedCommand, 0x4B, 0x00,
                                "Aborted command on space"},
                      ScanFault{"readpos@7:hardware", SenseKey::kHardwareError, 0x44, 0x00,
                                "Hardware error on read position"},
                      ScanFault{"readpos@21:vendor+1", SenseKey::kVendorSpecific, 0x80, 0x00,
                                "Vendor unique error on read position"},
                      ScanFault{"read@7:medium", SenseKey::kMediumError, 0x11, 0x00,
                                "Media error on read"}),
    [](const ::testing::TestParamInfo<ScanFault>& info) {
      return "Rule" + std::to_string(info.index);
    });

// A tape as tar or dd leave it: variable records, the last one short. Files:
// 3 records of 1000 + one of 300 (objects 0-3, filemark 4), 2 of 700 (5-6,
// filemark 7); end of data at 8.
std::vector<std::vector<uint8_t>> LoadVariableTape(VtapeUnit& t, const std::string& rule,
                                                   bool last_filemark = true) {
  t.Drop();
  vtape::testing::TapBytes tap;
  std::vector<std::vector<uint8_t>> out;
  const std::vector<std::vector<size_t>> layout = {{1000, 1000, 1000, 300}, {700, 700}};
  uint32_t seed = 1;
  for (size_t i = 0; i < layout.size(); ++i) {
    std::vector<uint8_t> file;
    for (size_t len : layout[i]) {
      const std::vector<uint8_t> rec = Pattern(len, seed++);
      tap.Record(rec);
      file.insert(file.end(), rec.begin(), rec.end());
    }
    if (last_filemark || i + 1 < layout.size()) tap.Mark();
    out.push_back(std::move(file));
  }
  tap.WriteTo(t.image());
  t.Reopen("capacity=16M&fail=" + rule);
  return out;
}

void ExpectVariableFilesIntact(VtapeUnit& t, const std::vector<std::vector<uint8_t>>& files) {
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(ReadWholeFile(t.unit(), static_cast<int>(i)), files[i]) << "file " << i;
  }
}

class VariableTapeScanFailureTest : public ::testing::TestWithParam<ScanFault> {};

TEST_P(VariableTapeScanFailureTest, ScanReturnsTheErrorThenWorks) {
  const ScanFault& f = GetParam();
  VtapeUnit t;
  const auto files = LoadVariableTape(t, f.rule);
  ExpectScanFailsOnceThenWorks(t, f, files.size(), 8);
  auto catalog = t->Catalog();
  ASSERT_TRUE(catalog.ok());
  // Both records measured (LOCATE to the last one): exact.
  EXPECT_EQ((*catalog)[0].bytes, 3300u);
  EXPECT_EQ((*catalog)[1].bytes, 1400u);
  ExpectVariableFilesIntact(t, files);
}

INSTANTIATE_TEST_SUITE_P(EachCommand, VariableTapeScanFailureTest,
                         ::testing::Values(
                             // LOCATE to the last record of file 0 (object 3).
                             ScanFault{"locate@1:hardware", SenseKey::kHardwareError, 0x44, 0x00,
                                       "Hardware error on locate"},
                             // The READ of the filemark after that record (object 4).
                             ScanFault{"read@4:medium", SenseKey::kMediumError, 0x11, 0x00,
                                       "Media error on read"},
                             // SPACE over the filemark of file 1.
                             ScanFault{"space@5:aborted", SenseKey::kAbortedCommand, 0x4B, 0x00,
                                       "Aborted command on space"},
                             ScanFault{"readpos@8:medium+1", SenseKey::kMediumError, 0x11, 0x00,
                                       "Media error on read position"}),
                         [](const ::testing::TestParamInfo<ScanFault>& info) {
                           return "Rule" + std::to_string(info.index);
                         });

// A last file without its filemark (a crash mid-write): the SPACE meets end
// of data and READ POSITION there gives the file's records. When that READ
// POSITION fails the scan fails; the next one finds the file incomplete.
TEST(CatalogScanFailureTest, ReadPositionAtTheEndOfAnUnfinishedFile) {
  VtapeUnit t;
  // File 1 has no filemark: end of data at object 7.
  const auto files = LoadVariableTape(t, "readpos@7:hardware", /*last_filemark=*/false);
  const ScanFault f{"", SenseKey::kHardwareError, 0x44, 0x00, "Hardware error on read position"};
  ExpectScanFailsOnceThenWorks(t, f, files.size(), 7);
  auto catalog = t->Catalog();
  ASSERT_TRUE(catalog.ok());
  EXPECT_TRUE((*catalog)[0].complete);
  EXPECT_FALSE((*catalog)[1].complete);
  EXPECT_EQ((*catalog)[1].blocks, 2u);
  ExpectVariableFilesIntact(t, files);
}

}  // namespace
}  // namespace tsfs
