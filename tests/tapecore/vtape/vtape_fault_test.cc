// Fault injection: every key on every command answers exactly that sense key
// and the ASC/ASCQ documented in fault_injection.h, then the command works.
#include <gtest/gtest.h>

#include <ostream>
#include <tuple>

#include "tapecore/vtape/fault_injection.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {

// Readable test names in ctest (found by argument-dependent lookup).
void PrintTo(FaultCommand c, std::ostream* os) { *os << FaultCommandName(c); }
void PrintTo(FaultKey k, std::ostream* os) { *os << FaultKeyName(k); }

namespace {

using testing::Answer;
using testing::RawTape;
using testing::TapBytes;
using testing::TempDir;

constexpr FaultCommand kAllCommands[] = {
    FaultCommand::kRead,         FaultCommand::kWrite,      FaultCommand::kSpace,
    FaultCommand::kWfm,          FaultCommand::kRewind,     FaultCommand::kErase,
    FaultCommand::kLocate,       FaultCommand::kLoad,       FaultCommand::kTur,
    FaultCommand::kReadPosition, FaultCommand::kModeSense,  FaultCommand::kModeSelect,
    FaultCommand::kInquiry,      FaultCommand::kBlockLimits};
constexpr FaultKey kAllKeys[] = {FaultKey::kMedium,  FaultKey::kHardware, FaultKey::kNotReady,
                                 FaultKey::kAborted, FaultKey::kOverflow, FaultKey::kProtect,
                                 FaultKey::kIllegal, FaultKey::kVendor,   FaultKey::kUnitAttention};

struct Expected {
  SenseKey key;
  uint8_t asc;
  uint8_t ascq;
};

// The documented table, written out again so a change to it shows here.
Expected Documented(FaultKey key, FaultCommand command) {
  switch (key) {
    case FaultKey::kMedium:
      return (command == FaultCommand::kWrite || command == FaultCommand::kWfm ||
              command == FaultCommand::kErase)
                 ? Expected{SenseKey::kMediumError, 0x0C, 0x00}
                 : Expected{SenseKey::kMediumError, 0x11, 0x00};
    case FaultKey::kHardware:
      return {SenseKey::kHardwareError, 0x44, 0x00};
    case FaultKey::kNotReady:
      return {SenseKey::kNotReady, 0x04, 0x00};
    case FaultKey::kAborted:
      return {SenseKey::kAbortedCommand, 0x4B, 0x00};
    case FaultKey::kOverflow:
      return {SenseKey::kVolumeOverflow, 0x00, 0x02};
    case FaultKey::kProtect:
      return {SenseKey::kDataProtect, 0x27, 0x00};
    case FaultKey::kIllegal:
      return {SenseKey::kIllegalRequest, 0x24, 0x00};
    case FaultKey::kVendor:
      return {SenseKey::kVendorSpecific, 0x80, 0x00};
    case FaultKey::kUnitAttention:
      return {SenseKey::kUnitAttention, 0x28, 0x00};
    case FaultKey::kReset:  // moves the tape: ResetRewindsAndForgetsTheBlockLength
      return {SenseKey::kUnitAttention, 0x29, 0x00};
  }
  return {};
}

// Runs `command` once with the tape at object 2 (of 4 fixed blocks).
Answer RunCommand(RawTape& t, FaultCommand command) {
  std::vector<uint8_t> buf;
  switch (command) {
    case FaultCommand::kRead:
      return t.ReadFixed(1, &buf, 512);
    case FaultCommand::kWrite:
      return t.WriteFixed(1, 512, 9);
    case FaultCommand::kSpace:
      return t.Space(0, 1);
    case FaultCommand::kWfm:
      return t.WriteFilemarks(1);
    case FaultCommand::kRewind:
      return t.Rewind();
    case FaultCommand::kErase:
      return t.Erase(true);
    case FaultCommand::kLocate:
      return t.Locate(3);
    case FaultCommand::kLoad:
      return t.LoadUnload(0x01);
    case FaultCommand::kTur:
      return t.Tur();
    case FaultCommand::kReadPosition:
      buf.assign(20, 0);
      return t.Run({0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0}, DataBuffer::In(buf));
    case FaultCommand::kModeSense:
      buf.assign(64, 0);
      return t.Run({0x1A, 0, 0x10, 0, 64, 0}, DataBuffer::In(buf));
    case FaultCommand::kModeSelect:
      return t.SetBlockLength(512);
    case FaultCommand::kInquiry:
      buf.assign(36, 0);
      return t.Run({0x12, 0, 0, 0, 36, 0}, DataBuffer::In(buf));
    case FaultCommand::kBlockLimits:
      buf.assign(6, 0);
      return t.Run({0x05, 0, 0, 0, 0, 0}, DataBuffer::In(buf));
  }
  return {};
}

class VtapeFaultTest : public ::testing::TestWithParam<std::tuple<FaultCommand, FaultKey>> {};

TEST_P(VtapeFaultTest, AnswersExactlyTheKey) {
  const auto [command, key] = GetParam();
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Record(512, 2).Record(512, 3).Record(512, 4);
  b.WriteTo(dir.File("t.tap"));
  const std::string rule = std::string(FaultCommandName(command)) + "@2:" + FaultKeyName(key);
  RawTape t("vtape:" + dir.File("t.tap") + "?fail=" + rule);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t.SetBlockLength(512).good());
  // Position at object 2 with a command that is not the one under test.
  ASSERT_TRUE((command == FaultCommand::kLocate ? t.Space(0, 2) : t.Locate(2)).good());
  const Expected want = Documented(key, command);
  Answer a = RunCommand(t, command);
  EXPECT_EQ(a.status, kScsiCheckCondition) << rule;
  EXPECT_EQ(a.sense.key, want.key) << rule;
  EXPECT_EQ(a.sense.asc, want.asc) << rule;
  EXPECT_EQ(a.sense.ascq, want.ascq) << rule;
  EXPECT_EQ(a.sense.eom, key == FaultKey::kOverflow) << rule;
  EXPECT_EQ(t.Position(), 2) << rule << ": a fault does not move the tape";
  EXPECT_EQ(t.transport().Stats().faults_injected, 1u);
  // Once only: the same command now works.
  EXPECT_TRUE(RunCommand(t, command).good()) << rule;
}

INSTANTIATE_TEST_SUITE_P(AllCommandsAllKeys, VtapeFaultTest,
                         ::testing::Combine(::testing::ValuesIn(kAllCommands),
                                            ::testing::ValuesIn(kAllKeys)),
                         [](const ::testing::TestParamInfo<VtapeFaultTest::ParamType>& info) {
                           return std::string(FaultCommandName(std::get<0>(info.param))) + "_" +
                                  FaultKeyName(std::get<1>(info.param));
                         });

// reset: the drive resets itself, then answers UNIT ATTENTION 29/00; it is
// at BOT and in variable-block mode, as tgtd and istgt on a new session.
TEST(VtapeFaultDetailTest, ResetRewindsAndForgetsTheBlockLength) {
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Record(512, 2).Record(512, 3).Record(512, 4);
  b.WriteTo(dir.File("t.tap"));
  RawTape t("vtape:" + dir.File("t.tap") + "?fail=tur@2:reset");
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(t.SetBlockLength(512).good());
  ASSERT_TRUE(t.Locate(2).good());
  Answer a = t.Tur();
  EXPECT_EQ(a.status, kScsiCheckCondition);
  EXPECT_EQ(a.sense.key, SenseKey::kUnitAttention);
  EXPECT_EQ(a.sense.asc, 0x29);
  EXPECT_EQ(t.Position(), 0);
  std::vector<uint8_t> buf;
  a = t.ReadFixed(1, &buf, 512);  // no block length any more
  EXPECT_EQ(a.sense.key, SenseKey::kIllegalRequest);
  EXPECT_TRUE(t.Tur().good());
  ASSERT_TRUE(t.SetBlockLength(512).good());
  EXPECT_TRUE(t.ReadFixed(1, &buf, 512).good());
  EXPECT_EQ(buf[0], 1);
}

TEST(VtapeFaultDetailTest, FixedWriteSpanningTheBlockWritesTheGoodPart) {
  TempDir dir;
  RawTape t("vtape:" + dir.File("t.tap") + "?create&fail=write@10:medium*2");
  ASSERT_TRUE(t.SetBlockLength(512).good());
  Answer a = t.WriteFixed(16, 512, 1);  // blocks 0..15; 10 is bad
  EXPECT_EQ(a.sense.key, SenseKey::kMediumError);
  EXPECT_TRUE(a.sense.information_valid);
  EXPECT_EQ(a.sense.information, 6);
  EXPECT_EQ(t.Position(), 10);
  a = t.WriteFixed(1, 512, 1);  // second time
  EXPECT_EQ(a.sense.key, SenseKey::kMediumError);
  EXPECT_EQ(a.sense.information, 1);
  EXPECT_TRUE(t.WriteFixed(6, 512, 1).good());  // used up
  EXPECT_EQ(t.Position(), 16);
}

TEST(VtapeFaultDetailTest, FixedReadSpanningTheBlockReturnsTheGoodPart) {
  TempDir dir;
  TapBytes b;
  for (int i = 0; i < 8; ++i) b.Record(512, static_cast<uint8_t>(i));
  b.WriteTo(dir.File("t.tap"));
  RawTape t("vtape:" + dir.File("t.tap") + "?fail=read@5:hardware");
  ASSERT_TRUE(t.SetBlockLength(512).good());
  std::vector<uint8_t> buf;
  Answer a = t.ReadFixed(8, &buf, 512);
  EXPECT_EQ(a.sense.key, SenseKey::kHardwareError);
  EXPECT_EQ(a.sense.information, 3);
  EXPECT_EQ(buf[4 * 512], 4);
  EXPECT_EQ(t.Position(), 5);
  a = t.ReadFixed(3, &buf, 512);
  EXPECT_TRUE(a.good());
  EXPECT_EQ(buf[0], 5);
}

TEST(VtapeFaultDetailTest, BeforeTheBlockNothingFires) {
  TempDir dir;
  RawTape t("vtape:" + dir.File("t.tap") + "?create&fail=wfm@3:medium,tur@100:notready*0");
  ASSERT_TRUE(t.SetBlockLength(512).good());
  EXPECT_TRUE(t.WriteFilemarks(1).good());  // at 0
  EXPECT_TRUE(t.Tur().good());
  ASSERT_TRUE(t.WriteFixed(2, 512, 1).good());
  EXPECT_EQ(t.WriteFilemarks(1).sense.asc, 0x0C);  // at 3
  EXPECT_TRUE(t.WriteFilemarks(1).good());
}

// The commands that do not move the tape by name, and a misspelt one.
TEST(VtapeFaultDetailTest, ParsesTheCommandsThatDoNotMoveTheTape) {
  auto rules = ParseFaultRules(
      "readpos@0:medium,modesense@1:hardware*2,modeselect@2:illegal*0,"
      "inquiry@3:notready,limits@4:aborted");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  ASSERT_EQ(rules->size(), 5u);
  const FaultCommand want[] = {FaultCommand::kReadPosition, FaultCommand::kModeSense,
                               FaultCommand::kModeSelect, FaultCommand::kInquiry,
                               FaultCommand::kBlockLimits};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ((*rules)[i].command, want[i]) << i;
    EXPECT_EQ((*rules)[i].block, i);
  }
  EXPECT_EQ((*rules)[1].times, 2u);
  EXPECT_EQ((*rules)[2].times, 0u);
  EXPECT_STREQ(FaultCommandName(FaultCommand::kReadPosition), "readpos");
  EXPECT_STREQ(FaultCommandName(FaultCommand::kBlockLimits), "limits");
  auto bad = ParseFaultRules("readposition@0:medium");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("unknown command 'readposition'"), std::string::npos)
      << bad.status().ToString();
}

// +M: the first M commands the rule would fail pass; it fires on the next.
TEST(VtapeFaultDetailTest, SkipLetsTheFirstMatchingCommandsPass) {
  auto rules = ParseFaultRules("readpos@1:medium*2+3");
  ASSERT_TRUE(rules.ok()) << rules.status().ToString();
  EXPECT_EQ((*rules)[0].times, 2u);
  EXPECT_EQ((*rules)[0].skip, 3u);
  for (const char* bad : {"readpos@1:medium+", "readpos@1:medium+x", "readpos@1:medium+1*2"}) {
    auto r = ParseFaultRules(bad);
    EXPECT_FALSE(r.ok()) << bad;
  }
  TempDir dir;
  TapBytes b;
  b.Record(512, 1).Record(512, 2).Record(512, 3);
  b.WriteTo(dir.File("t.tap"));
  RawTape t("vtape:" + dir.File("t.tap") + "?fail=readpos@1:hardware*2+2");
  ASSERT_TRUE(t.SetBlockLength(512).good());
  EXPECT_EQ(t.Position(), 0);  // before the block: not counted
  ASSERT_TRUE(t.Locate(1).good());
  EXPECT_EQ(t.Position(), 1);   // passed 1
  EXPECT_EQ(t.Position(), 1);   // passed 2
  EXPECT_EQ(t.Position(), -1);  // fired 1
  EXPECT_EQ(t.Position(), -1);  // fired 2
  EXPECT_EQ(t.Position(), 1);   // used up
  EXPECT_EQ(t.transport().Stats().faults_injected, 2u);
}

// INQUIRY is answered during a pending UNIT ATTENTION; its fault fires all
// the same, and before the attention is reported to the next command.
TEST(VtapeFaultDetailTest, InquiryFaultFiresUnderAPendingUnitAttention) {
  TempDir dir;
  RawTape t("vtape:" + dir.File("t.tap") + "?create&poweron&fail=inquiry@0:hardware");
  std::vector<uint8_t> buf(36, 0);
  Answer a = t.Run({0x12, 0, 0, 0, 36, 0}, DataBuffer::In(buf));
  EXPECT_EQ(a.sense.key, SenseKey::kHardwareError);
  EXPECT_EQ(a.sense.asc, 0x44);
  EXPECT_EQ(t.Tur().sense.key, SenseKey::kUnitAttention);
  a = t.Run({0x12, 0, 0, 0, 36, 0}, DataBuffer::In(buf));
  EXPECT_TRUE(a.good());
  EXPECT_EQ(buf[0], 0x01);  // sequential-access device
}

}  // namespace
}  // namespace tsfs::vtape
