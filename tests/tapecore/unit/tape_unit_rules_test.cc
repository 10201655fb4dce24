// The ts rules around the streams on vtape: after a write, the mt set,
// auto-retension, erase on write, rewind and no-rewind units, one stream per
// drive, openfail.
#include <gtest/gtest.h>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::kOpErase;
using unit_testing::kOpRewind;
using unit_testing::kOpWrite6;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

TEST(TapeUnitRulesTest, IllegalReadAfterWriteUntilRewound) {
  VtapeUnit t("capacity=16M");
  const auto a = Pattern(3000, 1);
  AppendFile(t.unit(), a);
  Status s = t->OpenRead(0);
  EXPECT_EQ(s.code(), ErrorCode::kBadSequence);
  EXPECT_EQ(s.message(), "illegal read after write");
  EXPECT_TRUE(t.log().Contains("illegal read after write"));
  EXPECT_EQ(t->stream(), StreamKind::kNone);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(a));
}

TEST(TapeUnitRulesTest, RetensionAlsoAllowsReadingAfterWrite) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(100, 2));
  ASSERT_TRUE(t->Ioctl(MtOp::kRetension, 1).ok());
  EXPECT_TRUE(t->OpenRead(0).ok());
  EXPECT_TRUE(t->Close().ok());
}

TEST(TapeUnitRulesTest, OnlyRewindAndRetensionAfterWrite) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(100, 3));
  for (MtOp op : {MtOp::kFsf, MtOp::kWeof, MtOp::kEod, MtOp::kErase}) {
    Status s = t->Ioctl(op, 1);
    EXPECT_EQ(s.code(), ErrorCode::kBadSequence) << MtOpName(op);
    EXPECT_EQ(s.message(), "tsioctl: bad operation after write") << MtOpName(op);
  }
  EXPECT_TRUE(t.log().Contains("tsioctl: bad operation after write"));
  // While the write stream is open, too; rewind closes it (filemark) first.
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenAppend().ok());
  EXPECT_TRUE(t->Write(Pattern(600, 4)).ok());
  EXPECT_EQ(t->Ioctl(MtOp::kFsf, 1).code(), ErrorCode::kBadSequence);
  EXPECT_EQ(t->stream(), StreamKind::kWrite);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(t->stream(), StreamKind::kNone);
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 2u);
  EXPECT_EQ((*files)[1].blocks, 2u);
  EXPECT_TRUE((*files)[1].complete);
  EXPECT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());  // rewound: allowed again
}

TEST(TapeUnitRulesTest, UnsupportedIoctlsAreRefused) {
  VtapeUnit t("capacity=16M");
  for (MtOp op : {MtOp::kFsr, MtOp::kBsr, MtOp::kBsf, MtOp::kOffline, MtOp::kOther}) {
    Status s = t->Ioctl(op, 1);
    EXPECT_EQ(s.code(), ErrorCode::kUnsupported) << MtOpName(op);
  }
  EXPECT_TRUE(t.cdbs().Cdbs().empty());      // refused before any tape motion
  EXPECT_EQ(MtOpFromLinux(1), MtOp::kFsf);   // MTFSF
  EXPECT_EQ(MtOpFromLinux(5), MtOp::kWeof);  // MTWEOF
  EXPECT_EQ(MtOpFromLinux(6), MtOp::kRewind);
  EXPECT_EQ(MtOpFromLinux(9), MtOp::kRetension);
  EXPECT_EQ(MtOpFromLinux(12), MtOp::kEod);  // MTEOM
  EXPECT_EQ(MtOpFromLinux(13), MtOp::kErase);
  EXPECT_EQ(MtOpFromLinux(3), MtOp::kFsr);
  EXPECT_EQ(MtOpFromLinux(2), MtOp::kBsf);
  EXPECT_EQ(MtOpFromLinux(7), MtOp::kOffline);
  EXPECT_EQ(MtOpFromLinux(8), MtOp::kOther);  // MTNOP
}

TEST(TapeUnitRulesTest, SupportedIoctlsMoveTheTape) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1024, 5));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  AppendFile(t.unit(), Pattern(2048, 6));  // appends after file 0
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(t.vtape().Stats().position, 0u);
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 1).ok());
  EXPECT_EQ(t.vtape().Stats().position, 3u);  // 2 blocks + filemark
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 1).ok());
  EXPECT_EQ(t.vtape().Stats().position, 8u);
  EXPECT_EQ(t->Ioctl(MtOp::kFsf, 1).code(), ErrorCode::kIo);  // nothing after end of data
  // weof at end of data: two empty files.
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 1).ok());
  ASSERT_TRUE(t->Ioctl(MtOp::kWeof, 2).ok());
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 4u);
  EXPECT_EQ((*files)[2].blocks, 0u);
  EXPECT_EQ((*files)[3].blocks, 0u);
  // erase: whole tape, then rewound.
  ASSERT_TRUE(t->Ioctl(MtOp::kErase, 1).ok());
  EXPECT_EQ(t.vtape().Stats().position, 0u);
  EXPECT_EQ(t.vtape().Stats().end_of_data, 0u);
  files = t->Catalog();
  ASSERT_TRUE(files.ok());
  EXPECT_TRUE(files->empty());
  ASSERT_TRUE(t->Ioctl(MtOp::kRetension, 1).ok());
  EXPECT_EQ(t.vtape().Stats().position, 0u);
}

TEST(TapeUnitRulesTest, FsfWhileReadingCountsFromTheFileBeingRead) {
  UnitConfig config;
  config.buffer_kb = 16;
  VtapeUnit t("capacity=16M", config);
  for (int i = 0; i < 4; ++i) AppendFile(t.unit(), Pattern(64 * 1024, 10 + i));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(10);
  ASSERT_TRUE(t->Read(buf).ok());
  ASSERT_TRUE(t->Ioctl(MtOp::kFsf, 2).ok());  // from inside file 0: to file 2
  auto st = t->GetStatus();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->file_number.value_or(-1), 2);
  EXPECT_EQ(ReadWholeFile(t.unit(), 2), Pattern(64 * 1024, 12));
}

TEST(TapeUnitRulesTest, AutoretRetensionsOnceOnFirstReadAfterATapeChange) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1000, 20));
  UnitConfig config;
  config.autoret = true;
  t.Reopen("", config);
  EXPECT_EQ(t.cdbs().Retensions(), 0u);  // not at open: at the first read
  ReadWholeFile(t.unit(), 0);
  EXPECT_EQ(t.cdbs().Retensions(), 1u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ReadWholeFile(t.unit(), 0);
  EXPECT_EQ(t.cdbs().Retensions(), 1u);  // once
  // A tape change makes it due again.
  ASSERT_TRUE(t.vtape().ChangeTape(t.image()).ok());
  ReadWholeFile(t.unit(), 0);
  EXPECT_EQ(t.cdbs().Retensions(), 2u);
}

TEST(TapeUnitRulesTest, AutoretFirstIoctlRetensionsAndRetensionIsNotDoneTwice) {
  UnitConfig config;
  config.autoret = true;
  VtapeUnit t("capacity=16M", config);
  ASSERT_TRUE(t->Ioctl(MtOp::kRetension, 1).ok());
  EXPECT_EQ(t.cdbs().Retensions(), 1u);  // ts retensioned twice here; we do not
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(t.cdbs().Retensions(), 1u);

  t.Reopen("", config);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());  // any first ioctl
  EXPECT_EQ(t.cdbs().Retensions(), 1u);
  t.cdbs().Clear();
  UnitConfig plain;
  t.Reopen("", plain);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->Ioctl(MtOp::kEod, 1).ok());
  EXPECT_EQ(t.cdbs().Retensions(), 0u);  // without autoret, never
}

TEST(TapeUnitRulesTest, EraseBeforeTheFirstWriteFromBot) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1000, 30));
  auto cdbs = t.cdbs().Cdbs();
  size_t erase_at = cdbs.size(), write_at = cdbs.size();
  for (size_t i = 0; i < cdbs.size(); ++i) {
    if (cdbs[i][0] == kOpErase && erase_at == cdbs.size()) erase_at = i;
    if (cdbs[i][0] == kOpWrite6 && write_at == cdbs.size()) write_at = i;
  }
  ASSERT_LT(erase_at, cdbs.size());
  EXPECT_EQ(cdbs[erase_at][1] & 0x01, 0x01);  // long: the whole tape
  EXPECT_LT(erase_at, write_at);
  t.cdbs().Clear();
  AppendFile(t.unit(), Pattern(1000, 31));  // not from BOT: no erase
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenOverwrite(0).ok());  // from BOT again: erase
  EXPECT_EQ(t.cdbs().Count(kOpErase), 1u);
  ASSERT_TRUE(t->Write(Pattern(10, 32)).ok());
  ASSERT_TRUE(t->Close().ok());
  auto files = t->Catalog();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(files->size(), 1u);  // everything after it is gone
}

TEST(TapeUnitRulesTest, EraseOnWriteCanBeTurnedOff) {
  UnitConfig config;
  config.erase_on_write = false;
  VtapeUnit t("capacity=16M", config);
  AppendFile(t.unit(), Pattern(1000, 33));
  EXPECT_EQ(t.cdbs().Count(kOpErase), 0u);
}

TEST(TapeUnitRulesTest, RewindUnitRewindsOnReleaseNoRewindUnitDoesNot) {
  UnitConfig rewind;
  rewind.unit = 0;
  VtapeUnit t("capacity=16M", rewind);
  EXPECT_EQ(t->config().Name(), "rts0");
  AppendFile(t.unit(), Pattern(1000, 40));
  t.cdbs().Clear();
  ASSERT_TRUE(t->Release().ok());
  auto cdbs = t.cdbs().Cdbs();
  ASSERT_FALSE(cdbs.empty());
  EXPECT_EQ(cdbs.back()[0], kOpRewind);
  EXPECT_EQ(t.vtape().Stats().position, 0u);
  EXPECT_TRUE(t->Release().ok());  // twice is fine

  UnitConfig norewind;
  norewind.unit = 0;
  norewind.rewind_on_release = false;
  t.Reopen("", norewind);
  EXPECT_EQ(t->config().Name(), "rts8");
  ASSERT_TRUE(t->OpenAppend().ok());
  ASSERT_TRUE(t->Write(Pattern(1000, 41)).ok());
  t.cdbs().Clear();
  ASSERT_TRUE(t->Release().ok());  // finishes the file (filemark), stays there
  EXPECT_EQ(t.cdbs().Count(kOpRewind), 0u);
  EXPECT_EQ(t.cdbs().Count(unit_testing::kOpWriteFilemarks), 1u);
  EXPECT_EQ(t.vtape().Stats().position, 6u);  // 2 + FM + 2 + FM
}

TEST(TapeUnitRulesTest, OneDataStreamPerDrive) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1000, 50));
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  ASSERT_TRUE(t->OpenRead(0).ok());
  EXPECT_EQ(t->OpenRead(0).code(), ErrorCode::kBusy);
  EXPECT_EQ(t->OpenAppend().status().code(), ErrorCode::kBusy);
  ASSERT_TRUE(t->Close().ok());
  ASSERT_TRUE(t->OpenAppend().ok());
  EXPECT_EQ(t->OpenRead(0).code(), ErrorCode::kBusy);
  EXPECT_EQ(t->OpenOverwrite(0).code(), ErrorCode::kBusy);
  EXPECT_EQ(t->Read(std::span<uint8_t>()).status().code(), ErrorCode::kBadSequence);
  ASSERT_TRUE(t->Close().ok());
}

TEST(TapeUnitRulesTest, OpenfailRefusesWhenTheBuffersCannotBeHad) {
  UnitConfig config;
  config.openfail = true;
  config.buffer_kb = size_t{64} << 30 >> 10 << 10;  // 64 TiB each: no machine has that
  VtapeUnit t("capacity=16M", config);
  auto r = t->OpenAppend();
  EXPECT_EQ(r.status().code(), ErrorCode::kNoMemory) << r.status().ToString();
  EXPECT_EQ(t->stream(), StreamKind::kNone);
}

TEST(TapeUnitRulesTest, WriteProtectedTapeRefusesWriting) {
  VtapeUnit t("capacity=16M");
  AppendFile(t.unit(), Pattern(1000, 60));
  t.Reopen("ro");
  auto r = t->OpenAppend();
  EXPECT_EQ(r.status().code(), ErrorCode::kReadOnly);
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(Pattern(1000, 60)));
}

}  // namespace
}  // namespace tsfs
