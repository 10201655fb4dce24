// The erase before a write from BOT and `mt erase` on drives without ERASE.
// A refusal is remembered only when the drive answered one: tgtd's ERASE is
// assumed refused (by identity) when the probe found data on the tape and so
// did not try it; a write from BOT then goes on without erasing, but mt
// erase still asks the drive and gives its answer (ILLEGAL REQUEST 20/00).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tapecore/source/open_source.h"
#include "tests/support/targets.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::ExpectFilesIntact;
using unit_testing::kOpErase;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::RecordingTransport;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

size_t CountContaining(const CapturingLogger& log, const std::string& text) {
  size_t n = 0;
  for (const auto& line : log.Lines()) n += line.find(text) != std::string::npos;
  return n;
}

TEST(EraseRefusalTest, TgtdMtEraseAsksTheDriveAfterAWriteFromBotSkippedTheErase) {
  testing::TargetOptions options;
  options.size_mb = 16;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartTgtd, options);
  CapturingLogger log;
  UnitConfig config;
  config.device = target->uri();
  const auto first = Pattern(3000, 1);
  {
    // A first session leaves data on the tape, so the next probe does not
    // try ERASE.
    auto unit = TapeUnit::Open(config, log);
    ASSERT_TRUE(unit.ok()) << unit.status().ToString();
    ASSERT_EQ(AppendFile(**unit, first), 0);
    ASSERT_TRUE((*unit)->Release().ok());
  }
  CapturingLogger log2;
  auto source = OpenSource(target->uri());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto rec = std::make_unique<RecordingTransport>(std::move(source).value());
  RecordingTransport* cdbs = rec.get();
  auto opened = TapeUnit::Open(config, std::move(rec), log2);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  TapeUnit& unit = **opened;
  ASSERT_EQ(cdbs->Count(kOpErase), 0u);  // the tape is not blank: not probed

  // A write from BOT: ERASE assumed refused, not sent; logged once.
  ASSERT_TRUE(unit.Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(unit.OpenOverwrite(0).ok());
  const auto mine = Pattern(2000, 9);
  ASSERT_TRUE(unit.Write(mine).ok());
  ASSERT_TRUE(unit.Close().ok());
  EXPECT_EQ(cdbs->Count(kOpErase), 0u);
  EXPECT_EQ(CountContaining(log2, "Illegal request on erase"), 1u);
  ASSERT_TRUE(unit.Ioctl(MtOp::kRewind, 0).ok());  // ts: nothing else after a write

  // mt erase asks tgtd, which answers ILLEGAL REQUEST 20/00 (invalid
  // command operation code): the caller gets that answer, not a guess.
  Status s = unit.Ioctl(MtOp::kErase, 0);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported) << s.ToString();
  ASSERT_NE(s.sense(), nullptr) << s.ToString();
  EXPECT_TRUE(s.sense()->Is(SenseKey::kIllegalRequest, 0x20, 0x00)) << s.ToString();
  EXPECT_NE(s.ToString().find("Illegal request on erase"), std::string::npos) << s.ToString();
  EXPECT_GE(cdbs->Count(kOpErase), 1u);

  // Now the refusal is the drive's own: the next mt erase does not ask
  // again and gives the same answer; the file written stays.
  cdbs->Clear();
  Status again = unit.Ioctl(MtOp::kErase, 0);
  EXPECT_EQ(again.code(), ErrorCode::kUnsupported);
  ASSERT_NE(again.sense(), nullptr) << again.ToString();
  EXPECT_TRUE(again.sense()->Is(SenseKey::kIllegalRequest, 0x20, 0x00));
  EXPECT_EQ(cdbs->Count(kOpErase), 0u);
  ExpectFilesIntact(unit, {mine});
  auto list = unit.Catalog();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  EXPECT_EQ(list->size(), 1u);
}

// vtape refusing ERASE for real (ILLEGAL REQUEST 24/00, with and without
// IMMED) on the erase before a write from BOT: the write goes on, the
// refusal is logged once, and mt erase then gives the drive's answer
// without asking it again.
TEST(EraseRefusalTest, DriveRefusalOnTheWriteFromBotIsRememberedForMtErase) {
  VtapeUnit t("capacity=16M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:illegal*2");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());
  const auto mine = Pattern(2000, 7);
  ASSERT_TRUE(t->Write(mine).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.cdbs().Count(kOpErase), 2u);  // with IMMED, then without
  EXPECT_EQ(CountContaining(t.log(), "Illegal request on erase"), 1u);

  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());  // ts: nothing else after a write
  t.cdbs().Clear();
  Status s = t->Ioctl(MtOp::kErase, 0);
  EXPECT_EQ(s.code(), ErrorCode::kUnsupported) << s.ToString();
  ASSERT_NE(s.sense(), nullptr) << s.ToString();
  EXPECT_TRUE(s.sense()->Is(SenseKey::kIllegalRequest, 0x24, 0x00)) << s.ToString();
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);
  EXPECT_EQ(CountContaining(t.log(), "Illegal request on erase"), 1u);
  ExpectFilesIntact(t.unit(), {mine});
}

// A refusal that was only passed on once (IMMED refused, the plain ERASE
// done) is no refusal: the tape is erased and nothing is remembered.
TEST(EraseRefusalTest, ImmedRefusedAloneIsNotARefusal) {
  VtapeUnit t("capacity=16M");
  WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=erase@0:illegal");
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());
  ASSERT_TRUE(t->Write(Pattern(600, 3)).ok());
  ASSERT_TRUE(t->Close().ok());
  EXPECT_EQ(t.cdbs().Count(kOpErase), 2u);
  EXPECT_EQ(CountContaining(t.log(), "Illegal request on erase"), 0u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->Ioctl(MtOp::kErase, 0).ok());
  EXPECT_EQ(t.cdbs().Count(kOpErase), 1u);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
  EXPECT_EQ(AppendFile(t.unit(), Pattern(100, 1)), 0);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(Pattern(100, 1)));
}

}  // namespace
}  // namespace tsfs
