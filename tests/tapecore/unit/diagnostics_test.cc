// Diagnostics: ts(4) words with the unit name; sense buffers with their CDB
// for unusual conditions, and for every one with prsense.
#include "tapecore/unit/diagnostics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

size_t CountContaining(const CapturingLogger& log, std::string_view fragment) {
  size_t n = 0;
  for (const auto& l : log.Lines()) n += l.find(fragment) != std::string::npos;
  return n;
}

TEST(UnitDiagnosticsTest, LinesCarryTheUnitName) {
  UnitConfig config;
  config.unit = 2;
  VtapeUnit t("capacity=16M", config);
  AppendFile(t.unit(), Pattern(100, 1));
  ASSERT_FALSE(t->OpenRead(0).ok());
  EXPECT_TRUE(t.log().Contains("rts2: illegal read after write"));
}

TEST(UnitDiagnosticsTest, UnusualSenseIsShownWithItsCommandWithoutPrsense) {
  VtapeUnit t("capacity=16M&fail=read@3:medium");
  AppendFile(t.unit(), Pattern(8 * 512, 2));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  Status error;
  const auto got = ReadWholeFile(t.unit(), 0, 65536, &error);
  EXPECT_EQ(got, Pattern(3 * 512, 2));  // the blocks before the bad one, then the error
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.message(), "Media error on read");
  EXPECT_TRUE(t.log().Contains("Media error on read"));
  EXPECT_TRUE(t.log().Contains("command: 08 01"));      // READ(6), fixed
  EXPECT_TRUE(t.log().Contains(" 00 03 00 00 07 fd"));  // MEDIUM ERROR, residue 2045
  // A filemark (normal tape motion) is not unusual: no dump for it.
  EXPECT_EQ(CountContaining(t.log(), ": sense: "), 1u);
}

TEST(UnitDiagnosticsTest, PrsenseShowsEverySenseBufferWithItsCommand) {
  UnitConfig config;
  config.prsense = true;
  VtapeUnit t("capacity=16M", config);
  AppendFile(t.unit(), Pattern(2 * 512, 3));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  t.log();
  const size_t before = CountContaining(t.log(), ": sense: ");
  ReadWholeFile(t.unit(), 0);  // ends at the filemark: NO SENSE + FILEMARK
  EXPECT_GT(CountContaining(t.log(), ": sense: "), before);
  EXPECT_TRUE(t.log().Contains("command: 08 01"));
  EXPECT_TRUE(t.log().Contains("Filemark"));  // decoded by libsgutils2
}

TEST(UnitDiagnosticsTest, IllegalRequestOnEraseIsLoggedOnceAndTheWriteGoesOn) {
  // vtape has ERASE; make it refuse like tgtd (ILLEGAL REQUEST) every time.
  VtapeUnit t("capacity=16M&fail=erase@0:illegal*0");
  AppendFile(t.unit(), Pattern(1000, 4));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());
  ASSERT_TRUE(t->Write(Pattern(100, 5)).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(CountContaining(t.log(), "Illegal request on erase"), 1u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), unit_testing::Padded(Pattern(100, 5)));
  // mt erase on such a target says so.
  EXPECT_EQ(t->Ioctl(MtOp::kErase, 1).code(), ErrorCode::kUnsupported);
}

// mt erase on a drive that erases in the background (vtape with erase=
// answers a long erase with IMMED at once, then NOT READY 04/07 with a
// progress indication): the unit polls, says how far it is, and returns
// when the tape is erased.
TEST(UnitDiagnosticsTest, LongEraseReportsItsProgressAndWaitsForTheEnd) {
  VtapeUnit t("capacity=8M&erase=0.8");
  // The first write at BOT erases the tape first (ts rule) and waits the same way.
  AppendFile(t.unit(), Pattern(3000, 6));
  // One progress line, said at the first "in progress" answer: how far the
  // drive got by then depends on how soon the unit asked (a loaded machine
  // asks later), so only its form is fixed.
  EXPECT_EQ(CountContaining(t.log(), "erasing: "), 1u);
  for (const std::string& l : t.log().Lines()) {
    const size_t at = l.find("erasing: ");
    if (at == std::string::npos) continue;
    unsigned percent = 0, seconds = 0;
    char unit = 0;
    // "erasing: N%, S s" (no std::regex: GCC 12 warns inside it under ASan).
    EXPECT_EQ(std::sscanf(l.c_str() + at, "erasing: %u%%, %u %c", &percent, &seconds, &unit), 3)
        << l;
    EXPECT_LE(percent, 100u) << l;
    EXPECT_EQ(unit, 's') << l;
  }
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(t->Ioctl(MtOp::kErase, 1).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(790));
  // Said at the first "in progress" answer; then every 10 s.
  EXPECT_EQ(CountContaining(t.log(), "erasing: "), 2u);
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE(files->empty());
  EXPECT_EQ(t.vtape().Stats().end_of_data, 0u);
}

}  // namespace
}  // namespace tsfs
