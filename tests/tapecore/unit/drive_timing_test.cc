// DriveTiming: the drive's buffer and tape rate learned from the timing of
// the streaming commands; through a unit on vtape's paced drive model.
#include "tapecore/unit/drive_timing.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "tests/tapecore/unit/unit_test_util.h"

namespace tsfs::unit_testing {
namespace {

constexpr size_t kMiB = size_t{1} << 20;

TEST(DriveTimingTest, TheTapeDrainsTheBufferAtItsRateAndStopsWhenEmpty) {
  DriveTiming t;
  t.Stopped();
  for (int n = 0; n < 4; ++n) t.Transferred(kMiB, 0.0005, 1.0 + n * 0.001);  // 2 GB/s
  EXPECT_FALSE(t.knows_drive());
  t.Transferred(kMiB, 0.05, 1.1);  // 20 MB/s: the buffer was full
  EXPECT_FALSE(t.knows_drive());   // one alone proves nothing
  EXPECT_TRUE(t.Transferred(kMiB, 0.05, 1.15));
  ASSERT_TRUE(t.knows_drive());
  EXPECT_DOUBLE_EQ(t.drive_buffer(), 4.0 * kMiB);
  EXPECT_NEAR(t.tape_rate(), kMiB / 0.05, 1);
  EXPECT_TRUE(t.TapeMoving(1.15));
  // 4 MiB at 21 MB/s: about 0.2 s until the drive has run dry.
  EXPECT_TRUE(t.TapeMoving(1.3));
  EXPECT_FALSE(t.TapeMoving(1.4));
  // Standing and empty: the overflow fills it again; at D the tape starts.
  for (int n = 0; n < 3; ++n) t.Transferred(kMiB, 0.0005, 1.5 + n * 0.001);
  EXPECT_FALSE(t.TapeMoving(1.504));
  t.Transferred(kMiB, 0.0005, 1.505);
  EXPECT_TRUE(t.TapeMoving(1.505));
}

TEST(DriveTimingTest, AUnitLearnsThePacedDriveAndSaysSoOnlyWhenIdle) {
  // vtape's drive model in real time: a 2 MiB buffer and a 20 MB/s tape.
  // Writing faster than that, the third 1 MiB WRITE meets a full buffer and
  // waits 50 ms, against well under a millisecond for the first two.
  VtapeUnit t("capacity=64M&rate=20&drivebuf=2M&pace");
  EXPECT_EQ(t->DescribeDriveTiming(), "");
  ASSERT_TRUE(t->OpenAppend().ok());
  const std::vector<uint8_t> data = Pattern(6 * kMiB + 1000, 7);
  ASSERT_TRUE(t->Write(data).ok());
  EXPECT_EQ(t->DescribeDriveTiming(), "");  // a stream is open
  ASSERT_TRUE(t->Close().ok());
  const std::string line = t->DescribeDriveTiming();
  unsigned mib = 0;
  unsigned mbs = 0;
  ASSERT_EQ(
      std::sscanf(line.c_str(), "the drive seemed to buffer %u MiB and its tape to move %u MB/s",
                  &mib, &mbs),
      2)
      << line;
  EXPECT_EQ(mib, 2u) << line;
  EXPECT_GE(mbs, 15u) << line;
  EXPECT_LE(mbs, 25u) << line;
  ASSERT_TRUE(t->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), Padded(data));
}

}  // namespace
}  // namespace tsfs::unit_testing
