// TapeUnit::GetDriveActivity: the drive's counters for the unmount log line.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs::unit_testing {
namespace {

TEST(TapeUnitActivityTest, VtapeReportsBytesAndRepositions) {
  // A 1000 MB/s drive with a 64 KiB buffer: every 64 KiB the unit hands it
  // starts the tape; a pause between two files empties it.
  VtapeUnit t("capacity=16M&rate=1000&drivebuf=64K");
  AppendFile(t.unit(), Pattern(1 << 20, 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  AppendFile(t.unit(), Pattern(1 << 20, 2));
  auto a = t->GetDriveActivity();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->bytes_from_host, 2u << 20);
  EXPECT_GT(a->bytes_to_medium, 1u << 20);
  ASSERT_TRUE(a->repositions.has_value());
  EXPECT_GE(*a->repositions, 1u);
  EXPECT_GT(a->tape_starts.value_or(0), *a->repositions);
  const std::string line = DescribeDriveActivity(*a);
  EXPECT_NE(line.find(std::to_string(*a->repositions) + " repositions"), std::string::npos) << line;
}

TEST(TapeUnitActivityTest, BusyWhileAStreamIsOpen) {
  VtapeUnit t("capacity=16M");
  ASSERT_TRUE(t->OpenAppend().ok());
  EXPECT_EQ(t->GetDriveActivity().status().code(), ErrorCode::kBusy);
  ASSERT_TRUE(t->Close().ok());
  auto a = t->GetDriveActivity();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->repositions, 0u);  // no drive model: nothing counted, but reported
}

}  // namespace
}  // namespace tsfs::unit_testing
