// After a drive reset (UNIT ATTENTION 29/00 from vtape's `reset` key) each
// step of setting the drive up again failing or finding something else:
// the TEST UNIT READYs that hear the new session (another UNIT ATTENTION,
// NOT READY), the comparison of the tape (its REWIND failing, another first
// record), the way back to the file start (LOCATE failing), and a tape whose
// first file is empty (nothing to compare). Each outcome asserted, and every
// file reads back.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpLocate10;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

// The log, for a failure message.
std::string LogText(VtapeUnit& t) {
  std::string all;
  for (const auto& l : t.log().Lines()) all += l + "\n";
  return all;
}

constexpr const char* kResetLine =
    "the drive was reset or its session was logged in again: the block length and the position "
    "are set again";

// Three files; the unit reads file 0 (now at object 7, the start of file 1),
// then asks for its status: the TEST UNIT READY there answers the reset.
// `more` are the rules of the step under test. Before the status the unit
// has sent three TEST UNIT READYs (open, probe, the read) and four REWINDs
// (two of the probe, the scan's, the read's of file 0).
struct ResetAtFileOne {
  VtapeUnit t{"capacity=16M"};
  std::vector<std::vector<uint8_t>> files;
  Result<UnitStatus> status = Status::Ok();

  explicit ResetAtFileOne(const std::string& more) {
    files = WriteThreeFiles(t.unit());
    t.Reopen("capacity=16M&fail=tur@7:reset," + more);
    EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(files[0]));
    t.cdbs().Clear();
    status = t->GetStatus();
    EXPECT_TRUE(status.ok()) << status.status().ToString();
    EXPECT_TRUE(t.log().Contains(kResetLine));
  }
};

// The new session also says the tape may have changed (28/00): the unit
// treats it as a tape change (catalog and position dropped) and reads the
// catalog again when it needs it.
TEST(UnitResetFailuresTest, UnitAttentionAfterTheResetIsATapeChange) {
  ResetAtFileOne r("tur@0:unitattention+3");
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.status->online);
  EXPECT_TRUE(r.t.log().Contains("tape changed: catalog and position dropped"));
  EXPECT_FALSE(r.status->file_number.has_value() && *r.status->file_number >= 0);
  EXPECT_EQ(r.t.vtape().Stats().faults_injected, 2u);
  EXPECT_EQ(r.t.cdbs().Count(kOpLocate10), 0u);  // no way back: the position is gone
  ExpectFilesIntact(r.t.unit(), r.files);
}

// NOT READY to the first TEST UNIT READY of the new session: no more
// attentions to hear; the unit goes on and finds file 1 again.
TEST(UnitResetFailuresTest, NotReadyAfterTheResetStillGoesBack) {
  ResetAtFileOne r("tur@0:notready+3");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.t.vtape().Stats().faults_injected, 2u);
  EXPECT_EQ(r.status->file_number, 1);
  EXPECT_EQ(r.status->block_number, 0);
  EXPECT_EQ(r.t.cdbs().Count(kOpLocate10), 1u);
  EXPECT_EQ(ReadWholeFile(r.t.unit(), 1), Padded(r.files[1]));
  ExpectFilesIntact(r.t.unit(), r.files);
}

// The REWIND before reading the first record fails: unsure which tape it
// is, the unit drops the catalog (read again when needed) and says why.
TEST(UnitResetFailuresTest, TapeThatCannotBeComparedDropsTheCatalog) {
  ResetAtFileOne r("rewind@0:hardware+4");
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.t.log().Contains(
      "cannot compare the tape after the reset: rewind: Hardware error on rewind"))
      << LogText(r.t);
  EXPECT_EQ(r.t.vtape().Stats().faults_injected, 2u);
  EXPECT_EQ(r.t.cdbs().Count(kOpLocate10), 0u);
  r.t.cdbs().Clear();
  EXPECT_EQ(ReadWholeFile(r.t.unit(), 1), Padded(r.files[1]));
  EXPECT_GE(r.t.cdbs().Count(unit_testing::kOpSpace6), 3u);  // the catalog read again
  ExpectFilesIntact(r.t.unit(), r.files);
}

// The LOCATE back to file 1 fails, and so does the REWIND of the way
// round (REWIND + SPACE): a warning naming the file and the error; the next
// read of file 1 finds it. (The fifth REWIND is the reset's own, before the
// first record is compared.)
TEST(UnitResetFailuresTest, FailingWayBackIsAWarningAndTheNextReadSeeks) {
  ResetAtFileOne r("locate@7:hardware,rewind@0:aborted+5");
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.t.log().Contains("Hardware error on locate")) << LogText(r.t);
  EXPECT_TRUE(r.t.log().Contains(
      "cannot return to file 1 after the reset: rewind: Aborted command on rewind"))
      << LogText(r.t);
  EXPECT_EQ(r.t.vtape().Stats().faults_injected, 3u);
  EXPECT_EQ(ReadWholeFile(r.t.unit(), 1), Padded(r.files[1]));
  ExpectFilesIntact(r.t.unit(), r.files);
}

// The first record is another one after the reset (another tape was put
// in while the drive was reset; here: the image's first record rewritten
// in place): a tape change, the catalog is read again.
TEST(UnitResetFailuresTest, AnotherFirstRecordAfterTheResetIsAnotherTape) {
  VtapeUnit t("capacity=16M");
  auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@7:reset");
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(files[0]));
  // SIMH: a 4-byte length, then the 512 bytes of record 0.
  const std::vector<uint8_t> other = Pattern(512, 77);
  {
    std::fstream f(t.image(), std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.good());
    f.seekp(4);
    f.write(reinterpret_cast<const char*>(other.data()),
            static_cast<std::streamsize>(other.size()));
    ASSERT_TRUE(f.good());
  }
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(t.log().Contains(kResetLine));
  EXPECT_TRUE(t.log().Contains("another tape is loaded since the reset"));
  EXPECT_TRUE(t.log().Contains("tape changed: catalog and position dropped"));
  std::copy(other.begin(), other.end(), files[0].begin());
  ExpectFilesIntact(t.unit(), files);
}

// File 0 is empty: no first record, nothing to compare (and nothing to
// keep a catalog under in the store). The unit goes back to end of data
// without going to BOT, and the next file lands after the last one.
TEST(UnitResetFailuresTest, TapeWithAnEmptyFirstFileIsNotCompared) {
  VtapeUnit t("capacity=16M");
  UnitConfig config;
  config.catalog_dir = t.dir("catalogs");
  t.Reopen("capacity=16M", config);
  std::vector<std::vector<uint8_t>> files = {{}, Pattern(3000, 1)};
  EXPECT_EQ(AppendFile(t.unit(), files[0]), 0);
  EXPECT_EQ(AppendFile(t.unit(), files[1]), 1);
  // Objects: filemark 0, blocks 1-6, filemark 7; end of data at 8.
  t.Reopen("capacity=16M&fail=tur@8:reset");
  ASSERT_TRUE(t->Catalog().ok());
  t.cdbs().Clear();
  Result<UnitStatus> st = t->GetStatus();
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  EXPECT_TRUE(t.log().Contains(kResetLine));
  EXPECT_EQ(st->file_number, 2);
  EXPECT_EQ(st->block_number, 0);
  EXPECT_EQ(t.cdbs().Count(unit_testing::kOpRewind), 0u) << LogText(t);  // no first record read
  EXPECT_FALSE(std::filesystem::exists(t.dir("catalogs")) &&
               !std::filesystem::is_empty(t.dir("catalogs")));
  files.push_back(Pattern(700, 2));
  EXPECT_EQ(AppendFile(t.unit(), files.back()), 2);
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
