// Positioning on istgt: LOCATE onto a filemark followed by READ goes to a
// wrong place there (TARGETS.md), so an empty file (which starts at its own
// filemark) is reached with REWIND and SPACE instead; the files around it
// read exactly.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tests/support/targets.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::AppendFile;
using unit_testing::kOpLocate10;
using unit_testing::kOpSpace6;
using unit_testing::Padded;
using unit_testing::Pattern;
using unit_testing::ReadWholeFile;
using unit_testing::RecordingTransport;

TEST(PositionIstgtTest, EmptyFileIsReachedWithoutLocate) {
  testing::TargetOptions options;
  options.size_mb = 16;
  TSFS_START_TARGET_OR_SKIP(target, testing::StartIstgt, options);
  CapturingLogger log;
  UnitConfig config;
  config.device = target->uri();
  auto source = OpenSource(target->uri());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  auto rec = std::make_unique<RecordingTransport>(std::move(source).value());
  RecordingTransport* cdbs = rec.get();
  auto opened = TapeUnit::Open(config, std::move(rec), log);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  TapeUnit& unit = **opened;
  const auto a = Pattern(3000, 1);
  const auto c = Pattern(5000, 3);
  ASSERT_EQ(AppendFile(unit, a), 0);
  ASSERT_EQ(AppendFile(unit, {}), 1);
  ASSERT_EQ(AppendFile(unit, c), 2);
  ASSERT_TRUE(unit.Ioctl(MtOp::kRewind, 0).ok());

  cdbs->Clear();
  EXPECT_EQ(ReadWholeFile(unit, 2), Padded(c));  // LOCATE to a file with blocks
  EXPECT_EQ(cdbs->Count(kOpLocate10), 1u);
  cdbs->Clear();
  EXPECT_TRUE(ReadWholeFile(unit, 1).empty());  // behind: rewind and SPACE
  EXPECT_EQ(cdbs->Count(kOpLocate10), 0u);
  EXPECT_GE(cdbs->Count(kOpSpace6), 1u);
  EXPECT_EQ(ReadWholeFile(unit, 2), Padded(c));
  EXPECT_EQ(ReadWholeFile(unit, 0), Padded(a));
  EXPECT_FALSE(log.Contains("error"));
}

}  // namespace
}  // namespace tsfs
