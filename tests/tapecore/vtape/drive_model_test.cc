// The drive timing model, driven with explicit times (no sleeping).
#include "tapecore/vtape/drive_model.h"

#include <gtest/gtest.h>

namespace tsfs::vtape {
namespace {

constexpr double kRate = 80e6;             // 80 MB/s
constexpr uint64_t kBuffer = 64ull << 20;  // 64 MiB
constexpr uint64_t kChunk = 1ull << 20;    // the host writes 1 MiB at a time

TEST(DriveModelTest, DisabledCountsNothing) {
  DriveModel m(0, kBuffer);
  EXPECT_FALSE(m.enabled());
  EXPECT_EQ(m.Write(kChunk, 0), 0);
  EXPECT_EQ(m.Write(kChunk, 100), 0);
  EXPECT_EQ(m.repositions(), 0u);
}

TEST(DriveModelTest, StreamingHostCausesNoRepositions) {
  DriveModel m(kRate, kBuffer);
  // The host delivers 1 MiB every 10 ms (~105 MB/s): faster than the tape.
  double t = 0;
  for (int i = 0; i < 500; ++i, t += 0.010) EXPECT_EQ(m.Write(kChunk, t), 0) << i;
  EXPECT_EQ(m.repositions(), 0u);
}

TEST(DriveModelTest, StallingHostCausesRepositions) {
  DriveModel m(kRate, kChunk * 4);  // 4 MiB buffer: empty after ~52 ms
  double t = 0;
  for (int i = 0; i < 10; ++i, t += 0.5) m.Write(kChunk, t);  // 1 MiB every 500 ms
  EXPECT_EQ(m.repositions(), 9u);  // every write after the first found the drive stopped
}

TEST(DriveModelTest, OneStallOneReposition) {
  DriveModel m(kRate, kBuffer);
  double t = 0;
  for (int i = 0; i < 20; ++i, t += 0.010) m.Write(kChunk, t);
  t += 10.0;  // the host goes away long enough for the buffer to run dry
  EXPECT_EQ(m.Write(kChunk, t), 1);
  for (int i = 0; i < 20; ++i) m.Write(kChunk, t += 0.010);
  EXPECT_EQ(m.repositions(), 1u);
}

TEST(DriveModelTest, FlushStopsTheStreamPositioningDoesNot) {
  DriveModel m(kRate, kBuffer);
  m.Write(kChunk, 0);
  m.Stop(true);  // WRITE FILEMARKS: the drive writes out and stops
  EXPECT_EQ(m.Write(kChunk, 0.001), 1);
  m.Stop(false);  // REWIND/SPACE: a new start
  EXPECT_EQ(m.Write(kChunk, 0.002), 0);
  EXPECT_EQ(m.repositions(), 1u);
}

TEST(DriveModelTest, SlowReaderCausesRepositionsFastReaderNone) {
  DriveModel fast(kRate, kChunk * 4);
  double t = 0;
  for (int i = 0; i < 100; ++i, t += 0.001) fast.Read(kChunk, t);
  EXPECT_EQ(fast.repositions(), 0u);

  DriveModel slow(kRate, kChunk * 4);
  t = 0;
  for (int i = 0; i < 20; ++i, t += 0.5) slow.Read(kChunk, t);  // buffer full long before
  EXPECT_GT(slow.repositions(), 0u);
}

}  // namespace
}  // namespace tsfs::vtape
