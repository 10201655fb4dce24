// Opening the unit when INQUIRY, MODE SENSE, MODE SELECT, READ BLOCK LIMITS
// or TEST UNIT READY fail (vtape fail= rules; `+M` lets the probe's own
// commands pass): the open fails with that command's Status and ts words,
// leaves nothing half-open (a second open on the same tape works), and no
// file is lost. And status and release when MODE SENSE, TEST UNIT READY or
// the release's REWIND keep failing.
#include <gtest/gtest.h>

#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::Pattern;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

struct OpenFault {
  const char* rule;
  SenseKey key;
  uint8_t asc;
  uint8_t ascq;
  const char* words;
};

void PrintTo(const OpenFault& f, std::ostream* os) { *os << f.rule; }

class UnitOpenModeFailureTest : public ::testing::TestWithParam<OpenFault> {};

TEST_P(UnitOpenModeFailureTest, OpenFailsAndTheNextOpenWorks) {
  const OpenFault& f = GetParam();
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Drop();
  CapturingLogger log;
  UnitConfig config;
  config.device = "vtape:" + t.image() + "?fail=" + f.rule;
  auto unit = TapeUnit::Open(config, log);
  ASSERT_FALSE(unit.ok()) << f.rule;
  ExpectCommandFailed(unit.status(), log, f.key, f.asc, f.ascq, f.words);
  EXPECT_NE(unit.status().ToString().find("open vtape:"), std::string::npos)
      << unit.status().ToString();
  // Nothing was left open: the same tape opens again and every file is there.
  t.Reopen("capacity=16M");
  auto catalog = t->Catalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(catalog->size(), files.size());
  ExpectFilesIntact(t.unit(), files);
}

INSTANTIATE_TEST_SUITE_P(
    EachCommand, UnitOpenModeFailureTest,
    ::testing::Values(
        // The unit's own INQUIRY, the first command.
        OpenFault{"inquiry@0:hardware", SenseKey::kHardwareError, 0x44, 0x00,
                  "Hardware error on inquiry"},
        // The probe's MODE SENSE.
        OpenFault{"modesense@0:aborted", SenseKey::kAbortedCommand, 0x4B, 0x00,
                  "Aborted command on mode sense"},
        // The MODE SELECT of the block length after the probe.
        OpenFault{"modeselect@0:illegal", SenseKey::kIllegalRequest, 0x24, 0x00,
                  "Illegal request on mode select"},
        // The MODE SENSE for the write protection, after the probe's.
        OpenFault{"modesense@0:medium+1", SenseKey::kMediumError, 0x11, 0x00,
                  "Media error on mode sense"},
        // A drive that never stops answering UNIT ATTENTION: given up after four.
        OpenFault{"tur@0:unitattention*0", SenseKey::kUnitAttention, 0x28, 0x00,
                  "on test unit ready"}),
    [](const ::testing::TestParamInfo<OpenFault>& info) {
      return "Rule" + std::to_string(info.index);
    });

// READ BLOCK LIMITS is only a note of the probe: the open goes on without.
TEST(UnitOpenModeFailureDetailTest, FailingBlockLimitsDoNotFailTheOpen) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=limits@0:illegal");
  EXPECT_EQ(t.vtape().Stats().faults_injected, 1u);
  ExpectFilesIntact(t.unit(), files);
}

// Status asks MODE SENSE: its failure is the status's error, logged; the
// next status works.
TEST(UnitOpenModeFailureDetailTest, StatusWithFailingModeSense) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=modesense@0:hardware+2");
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_FALSE(st.ok());
  ExpectCommandFailed(st.status(), t.log(), SenseKey::kHardwareError, 0x44, 0x00,
                      "Hardware error on mode sense");
  st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(st->online);
  ExpectFilesIntact(t.unit(), files);
}

// Five UNIT ATTENTIONs in a row (a tape change each): the unit takes each
// (catalog and position dropped), gives up after the fifth for this status
// (offline), and the next status finds the drive ready.
TEST(UnitOpenModeFailureDetailTest, StatusAfterUnitAttentionsWithoutEnd) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@0:unitattention*5+2");  // the open's two pass
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_FALSE(st->online);
  EXPECT_EQ(t.vtape().Stats().faults_injected, 5u);
  EXPECT_TRUE(t.log().Contains("tape changed: catalog and position dropped"));
  st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(st->online);
  ExpectFilesIntact(t.unit(), files);
}

// Release while a file is written: the filemark fails and so does the
// rewind; the release returns the first error (the filemark's) and logs
// both. The files before it are intact.
TEST(UnitOpenModeFailureDetailTest, ReleaseKeepsTheCloseErrorWhenTheRewindFailsToo) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=wfm@0:medium,rewind@21:hardware");
  Result<int> index = t->OpenAppend();
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ASSERT_EQ(*index, 3);
  ASSERT_TRUE(t->Write(Pattern(2048, 9)).ok());
  Status s = t->Release();
  ExpectCommandFailed(s, t.log(), SenseKey::kMediumError, 0x0C, 0x00,
                      "Media error on write file marks");
  EXPECT_TRUE(t.log().Contains("Hardware error on rewind"));
  EXPECT_EQ(t.vtape().Stats().faults_injected, 2u);
  t.Reopen("capacity=16M");
  auto catalog = t->Catalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  ASSERT_EQ(catalog->size(), 4u);
  EXPECT_FALSE((*catalog)[3].complete);  // its data, no filemark
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
