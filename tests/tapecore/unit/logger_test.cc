#include "tapecore/unit/logger.h"

#include <gtest/gtest.h>

namespace tsfs {
namespace {

TEST(LoggerTest, CapturingLoggerKeepsUnitAndLine) {
  CapturingLogger log;
  log.Log(LogLevel::kError, "rts0", "Media error on write");
  log.Log(LogLevel::kInfo, "", "no unit");
  ASSERT_EQ(log.Lines().size(), 2u);
  EXPECT_EQ(log.Lines()[0], "rts0: Media error on write");
  EXPECT_EQ(log.Lines()[1], "no unit");
  EXPECT_TRUE(log.Contains("Media error"));
  EXPECT_FALSE(log.Contains("Hardware error"));
}

TEST(LoggerTest, SystemLoggerWritesStderrLine) {
  ::testing::internal::CaptureStderr();
  {
    SystemLogger log("ts", /*to_syslog=*/false, /*to_stderr=*/true);
    log.Log(LogLevel::kError, "rts1", "illegal read after write");
  }
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "ts: rts1: illegal read after write\n");
}

}  // namespace
}  // namespace tsfs
