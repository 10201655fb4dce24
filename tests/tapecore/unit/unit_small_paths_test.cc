// Small error paths of the unit's helpers, each with its outcome: stream
// buffers that cannot be had, the activity line of a drive without
// reposition counters, the diagnostic line's form per error kind, and
// learning sizes when the open or the catalog fails.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/stream_buffers.h"
#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs {
namespace {

using unit_testing::ExpectCommandFailed;
using unit_testing::ExpectFilesIntact;
using unit_testing::VtapeUnit;
using unit_testing::WriteThreeFiles;

TEST(UnitSmallPathsTest, EmptyStreamBufferIsAnInvalidArgument) {
  auto b = StreamBuffers::Allocate(0, /*openfail=*/true);
  EXPECT_EQ(b.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(b.status().message(), "empty stream buffer");
}

// The first buffer came, the second did not: with openfail the first is
// given back and the open fails with kNoMemory naming the size.
TEST(UnitSmallPathsTest, SecondBufferMissingFreesTheFirst) {
  int allocs = 0, frees = 0;
  auto b = StreamBuffers::Allocate(
      8192, /*openfail=*/true, {},
      [&](size_t n) -> void* { return ++allocs == 1 ? std::malloc(n) : nullptr; },
      [&](void* p, size_t) {
        ++frees;
        std::free(p);
      });
  EXPECT_EQ(b.status().code(), ErrorCode::kNoMemory);
  EXPECT_NE(b.status().message().find("8 KiB"), std::string::npos) << b.status().ToString();
  EXPECT_EQ(allocs, 2);
  EXPECT_EQ(frees, 1);
}

// Without openfail and without a wait callback: retried quietly.
TEST(UnitSmallPathsTest, WaitingWithoutACallback) {
  int allocs = 0;
  auto b = StreamBuffers::Allocate(
      4096, /*openfail=*/false, {},
      [&](size_t n) -> void* { return ++allocs == 1 ? nullptr : std::malloc(n); },
      [](void* p, size_t) { std::free(p); });
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(allocs, 3);
  EXPECT_EQ((*b)->size(), 4096u);
}

TEST(UnitSmallPathsTest, ActivityOfADriveWithoutRepositionCounters) {
  DriveActivity a;
  a.bytes_to_medium = 1024;
  a.bytes_from_medium = 512;
  EXPECT_EQ(DescribeDriveActivity(a),
            "tape moved 1024 bytes written, 512 read; repositions not reported by the drive");
  a.repositions = 3;
  EXPECT_EQ(DescribeDriveActivity(a),
            "tape moved 1024 bytes written, 512 read; 3 repositions (0 starts)");
}

TEST(UnitSmallPathsTest, DiagnosticLineFormPerErrorKind) {
  CapturingLogger log;
  Diagnostics diag(log, "rts0", /*prsense=*/false);
  diag.CommandFailed(Status::Ok());
  EXPECT_TRUE(log.Lines().empty());
  // ts words alone for the kinds whose message already says them.
  diag.CommandFailed(Status::Error(ErrorCode::kReadOnly, "Media is protected").WithContext("open"));
  diag.CommandFailed(Status::Error(ErrorCode::kNoSpace, "Volume overflow").WithContext("write"));
  // Others name where they happened.
  diag.CommandFailed(Status::Error(ErrorCode::kIo, "end of data not found").WithContext("space"));
  diag.CommandFailed(Status::Error(ErrorCode::kIo, "no context"));
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("rts0: Media is protected"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[0].find("open:"), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].find("write:"), std::string::npos) << lines[1];
  EXPECT_NE(lines[2].find("rts0: space: end of data not found"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("rts0: no context"), std::string::npos) << lines[3];
}

TEST(UnitSmallPathsTest, SenseDumpSkipsEmptyDecodedLines) {
  CapturingLogger log;
  Diagnostics diag(log, "rts0", /*prsense=*/true);
  diag.SenseDump("08 00", "70 00 05", "first\n\nsecond\n");
  const auto lines = log.Lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("command: 08 00"), std::string::npos);
  EXPECT_NE(lines[1].find("sense: 70 00 05"), std::string::npos);
  EXPECT_NE(lines[2].find("  first"), std::string::npos);
  EXPECT_NE(lines[3].find("  second"), std::string::npos);
}

TEST(UnitSmallPathsTest, LearnSizeOfAFileThatDoesNotExist) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 0).ok());
  EXPECT_EQ(t->LearnSize(-1).code(), ErrorCode::kNotFound);
  EXPECT_EQ(t->stream(), StreamKind::kNone);
  ExpectFilesIntact(t.unit(), files);
}

// The catalog scan failing is LearnAllSizes' error; the next call works
// (with no progress callback: sizes are known after the scan on vtape).
TEST(UnitSmallPathsTest, LearnAllSizesFailsWithTheCatalogScan) {
  VtapeUnit t("capacity=16M");
  const auto files = WriteThreeFiles(t.unit());
  t.Reopen("capacity=16M&fail=read@7:medium");  // the first record of file 1
  ExpectCommandFailed(t->LearnAllSizes(), t.log(), SenseKey::kMediumError, 0x11, 0x00,
                      "Media error on read");
  EXPECT_TRUE(t->LearnAllSizes().ok());
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 3u);
  for (const auto& f : *list) EXPECT_TRUE(f.size_known) << f.index;
  ExpectFilesIntact(t.unit(), files);
}

}  // namespace
}  // namespace tsfs
