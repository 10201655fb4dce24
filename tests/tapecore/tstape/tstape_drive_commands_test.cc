// tstape inquiry / status / mt as a user runs them, against tgtd and istgt.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/process.h"
#include "tests/support/targets.h"
#include "tests/support/tstape_runner.h"

namespace tsfs {
namespace {

using testing::TargetKind;

using testing::Has;
using testing::Tstape;

class TstapeDriveTest : public ::testing::TestWithParam<TargetKind> {};

TEST_P(TstapeDriveTest, InquiryNamesDriveAndCapabilities) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  const auto r = Tstape({"inquiry", target->uri()});
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const bool tgtd = std::string(GetParam().name) == "tgtd";
  EXPECT_TRUE(Has(r.output, tgtd ? "vendor:        IET" : "vendor:        QUANTUM")) << r.output;
  EXPECT_TRUE(Has(r.output, "block size:    512")) << r.output;
  EXPECT_TRUE(Has(r.output, "write-protect: no")) << r.output;
  EXPECT_TRUE(Has(r.output, tgtd ? "locate: no" : "locate: yes")) << r.output;
  EXPECT_TRUE(Has(r.output, "known target: " + std::string(GetParam().name))) << r.output;
}

TEST_P(TstapeDriveTest, MtWeofFsfEodRewindAndStatus) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  const std::string uri = target->uri();
  // Each tstape run is a new session; the position stays on the target.
  EXPECT_EQ(Tstape({"mt", uri, "weof", "3"}).exit_code, 0);
  EXPECT_EQ(Tstape({"mt", uri, "rewind"}).exit_code, 0);
  EXPECT_EQ(Tstape({"mt", uri, "fsf", "2"}).exit_code, 0);
  const auto past = Tstape({"mt", uri, "fsf", "2"});
  EXPECT_EQ(past.exit_code, 1) << past.output;
  EXPECT_TRUE(Has(past.output, "tstape mt: fsf: end of data")) << past.output;
  EXPECT_EQ(Tstape({"mt", uri, "eod"}).exit_code, 0);
  EXPECT_EQ(Tstape({"mt", uri, "retension"}).exit_code, 0);
  const auto status = Tstape({"status", uri});
  EXPECT_EQ(status.exit_code, 0) << status.output;
  EXPECT_TRUE(Has(status.output, "online:        yes")) << status.output;
  if (std::string(GetParam().name) == "istgt") {
    EXPECT_TRUE(Has(status.output, "position:      block 0, BOT")) << status.output;
  } else {
    // tgtd: READ POSITION always answers "block position unknown".
    EXPECT_TRUE(Has(status.output, "position:      unknown")) << status.output;
  }
}

TEST_P(TstapeDriveTest, MtEraseSaysWhatTheTargetAnswered) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  const auto r = Tstape({"mt", target->uri(), "erase"});
  if (std::string(GetParam().name) == "tgtd") {
    // tgtd: ERASE is ILLEGAL REQUEST 20/00.
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(Has(r.output, "tstape mt: Illegal request on erase (")) << r.output;
    EXPECT_TRUE(Has(r.output, "Invalid command operation code")) << r.output;
  } else {
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
}

// istgt: SPACE EOD stops right after the last filemark; with records after
// it (a file without its filemark) mt eod must still end at the real end of
// data, so that an append destroys nothing.
TEST_P(TstapeDriveTest, MtEodPassesRecordsAfterTheLastFilemark) {
  TSFS_START_TARGET_OR_SKIP(target, GetParam().start, {});
  auto session = [&]() {
    auto t = OpenSource(target->uri());
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return std::move(t).value();
  };
  auto ready = [](Ssc& ssc) {
    for (int i = 0; i < 4 && !ssc.TestUnitReady().ok(); ++i) {
    }
    ASSERT_TRUE(ssc.ModeSelectBlockLength(512).ok());
  };
  std::vector<uint8_t> block(512);
  {
    auto t = session();
    Ssc ssc(*t);
    ready(ssc);
    ASSERT_TRUE(ssc.Rewind().ok());
    for (uint8_t c : {'0', '1'}) ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(512, c), 512).ok());
    ASSERT_TRUE(ssc.WriteFilemarks(1).ok());
    for (uint8_t c : {'2', '3', '4'})
      ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(512, c), 512).ok());
    ASSERT_TRUE(ssc.Rewind().ok());
  }
  const auto r = Tstape({"mt", target->uri(), "eod"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto t = session();
  Ssc ssc(*t);
  ready(ssc);
  ASSERT_TRUE(ssc.Write(std::vector<uint8_t>(512, 'X'), 512).ok());
  ASSERT_TRUE(ssc.WriteFilemarks(1).ok());
  ASSERT_TRUE(ssc.Rewind().ok());
  std::string seen;
  for (int i = 0; i < 10; ++i) {
    auto rr = ssc.Read(block, 512);
    if (!rr.ok() || rr->end_of_data) break;
    seen += rr->filemark ? 'F' : static_cast<char>(block[0]);
  }
  EXPECT_EQ(seen, "01F234XF");
}

INSTANTIATE_TEST_SUITE_P(Targets, TstapeDriveTest, testing::RealTargets(), testing::TargetKindName);

TEST(TstapeUsageTest, HelpAndUsageErrors) {
  for (const char* cmd : {"inquiry", "status", "mt"}) {
    const auto help = Tstape({cmd, "--help"});
    EXPECT_EQ(help.exit_code, 0) << cmd;
    EXPECT_TRUE(Has(help.output, std::string("usage: tstape ") + cmd)) << help.output;
    EXPECT_EQ(Tstape({cmd}).exit_code, 2) << cmd;
  }
  const auto bad_op = Tstape({"mt", "iscsi://127.0.0.1:1/iqn.x/0", "bsf"});
  EXPECT_EQ(bad_op.exit_code, 2);
  EXPECT_TRUE(Has(bad_op.output, "operation 'bsf' is not supported")) << bad_op.output;
  EXPECT_EQ(Tstape({"mt", "iscsi://127.0.0.1:1/iqn.x/0", "fsf", "x"}).exit_code, 2);
  EXPECT_EQ(Tstape({"mt", "iscsi://127.0.0.1:1/iqn.x/0", "rewind", "2"}).exit_code, 2);
  EXPECT_EQ(Tstape({"inquiry", "--bogus", "x"}).exit_code, 2);
}

TEST(TstapeUsageTest, UnreachableSourceIsOneLineError) {
  const auto r = Tstape({"status", "iscsi://127.0.0.1:1/iqn.x/0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(Has(r.output, "tstape status: ")) << r.output;
  EXPECT_EQ(r.output.find('\n'), r.output.size() - 1) << r.output;
}

}  // namespace
}  // namespace tsfs
