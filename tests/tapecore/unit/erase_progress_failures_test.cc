// mt erase (a long ERASE with IMMED, then TEST UNIT READY once a second)
// beyond diagnostics_test.cc: the ERASE itself failing with something other
// than ILLEGAL REQUEST, a TEST UNIT READY of the wait answering NOT READY
// that is not "in progress", and an erase long enough for a second "in
// progress" answer that is not reported (one line per 10 s).
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

size_t CountContaining(const CapturingLogger& log, std::string_view fragment) {
  size_t n = 0;
  for (const auto& l : log.Lines()) n += l.find(fragment) != std::string::npos;
  return n;
}

// MEDIUM ERROR on the ERASE: mt erase fails with it (not "unsupported"),
// and the tape is as it was.
TEST(EraseProgressFailuresTest, EraseFailingWithAMediumErrorFailsMtErase) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:medium");
  Status s = t->Ioctl(MtOp::kErase, 1);
  ExpectCommandFailed(s, t.log(), SenseKey::kMediumError, 0x0C, 0x00, "Media error on erase");
  EXPECT_EQ(t.vtape().Stats().end_of_data, unit_testing::kThreeFilesEndOfData);
  ExpectFilesIntact(t.unit(), files);
}

// NOT READY 04/00 (cause not reportable: not an operation in progress) to
// the first TEST UNIT READY of the wait: the wait ends with that error.
// The TEST UNIT READYs before it: the open's two and the erase's check of
// the medium.
TEST(EraseProgressFailuresTest, NotReadyThatIsNotProgressEndsTheWait) {
  VtapeUnit t("capacity=16M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=tur@0:notready+3");
  Status s = t->Ioctl(MtOp::kErase, 1);
  ExpectCommandFailed(s, t.log(), SenseKey::kNotReady, 0x04, 0x00,
                      "Tape not ready on test unit ready");
  EXPECT_EQ(t.vtape().Stats().erases, 1u);  // the ERASE was done; only the wait failed
  EXPECT_EQ(CountContaining(t.log(), "erasing: "), 0u);
  EXPECT_EQ(t.vtape().Stats().end_of_data, 0u);
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_TRUE(files->empty());
}

// An erase of 1.2 s: "in progress" at about 0 s (reported) and 1 s (not:
// less than 10 s since the report), ready at about 2 s.
TEST(EraseProgressFailuresTest, SecondProgressAnswerWithinTenSecondsIsNotReported) {
  VtapeUnit t("capacity=16M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&erase=1.2");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  const size_t before = CountContaining(t.log(), "erasing: ");
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(t->Ioctl(MtOp::kErase, 1).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1190));
  EXPECT_EQ(CountContaining(t.log(), "erasing: "), before + 1);
  EXPECT_EQ(t.vtape().Stats().end_of_data, 0u);
}

}  // namespace
}  // namespace tsfs
