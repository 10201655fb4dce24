// The drive timing model, driven with explicit times (no sleeping).
#include "tapecore/vtape/drive_model.h"

#include <cmath>

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

TEST(DriveModelTest, TheTapeStartsOnlyWhenTheBufferIsFull) {
  DriveModel m(kRate, kChunk * 4);  // 4 MiB buffer: drains in ~52 ms
  double t = 0;
  // 1 MiB every 500 ms: the buffer takes 4 writes to fill, then the tape
  // writes it out and stops. Every fill after the first is one reposition.
  for (int i = 0; i < 12; ++i, t += 0.5) m.Write(kChunk, t);
  EXPECT_EQ(m.counters().starts, 3u);
  EXPECT_EQ(m.repositions(), 2u);
  EXPECT_EQ(m.counters().bytes_to_tape, 8 * kChunk);  // the third fill is still draining
}

TEST(DriveModelTest, LowerStartThresholdMeansMoreRepositions) {
  DriveModel m(kRate, kChunk * 4, 0.25);  // starts at 1 MiB
  double t = 0;
  for (int i = 0; i < 12; ++i, t += 0.5) m.Write(kChunk, t);
  EXPECT_EQ(m.counters().starts, 12u);
  EXPECT_EQ(m.repositions(), 11u);
}

TEST(DriveModelTest, OneStallOneReposition) {
  DriveModel m(kRate, kBuffer);
  double t = 0;
  for (int i = 0; i < 100; ++i, t += 0.010) m.Write(kChunk, t);  // starts at 64 MiB
  EXPECT_EQ(m.counters().starts, 1u);
  t += 10.0;  // the host goes away long enough for the buffer to run dry
  for (int i = 0; i < 100; ++i, t += 0.010) m.Write(kChunk, t);
  EXPECT_EQ(m.repositions(), 1u);
  EXPECT_EQ(m.counters().starts, 2u);
}

TEST(DriveModelTest, FlushWritesOutAndStopsPositioningStartsAfresh) {
  DriveModel m(kRate, kBuffer);
  m.Write(kChunk, 0);
  EXPECT_EQ(m.counters().starts, 0u);  // 1 MiB is not enough to start
  EXPECT_EQ(m.Flush(0.001), 0);        // WRITE FILEMARKS: the first start, then a stop
  EXPECT_EQ(m.counters().starts, 1u);
  EXPECT_EQ(m.counters().bytes_to_tape, kChunk);
  EXPECT_GT(m.busy_until(), 0.001 + 0.9 * kChunk / kRate);  // the host waited for the tape
  m.Write(kChunk, 1.0);
  EXPECT_EQ(m.Flush(1.0), 1);  // the next start needs a back-hitch
  m.Reposition();              // REWIND/SPACE: a new start
  m.Write(kChunk, 2.0);
  EXPECT_EQ(m.Flush(2.0), 0);
  EXPECT_EQ(m.repositions(), 1u);
}

TEST(DriveModelTest, SlowReaderCausesRepositionsFastReaderNone) {
  DriveModel fast(kRate, kChunk * 4);
  double t = 0;
  for (int i = 0; i < 100; ++i, t += 0.001) fast.Read(kChunk, t);
  EXPECT_EQ(fast.repositions(), 0u);

  // 1 MiB every 500 ms: the buffer (4 MiB) fills and the tape stops; it
  // starts again when the reader has emptied it: once per 4 reads.
  DriveModel slow(kRate, kChunk * 4);
  t = 0;
  for (int i = 0; i < 21; ++i, t += 0.5) slow.Read(kChunk, t);
  EXPECT_EQ(slow.repositions(), 5u);
}

// A steady producer (writing) or consumer (reading) at p < rate, 1 MiB at a
// time, with no host buffers of its own: the tape starts with a full buffer
// D (writing) or starts again once it is empty (reading), and runs until it
// is dry (or full) again, moving D * rate / (rate - p) bytes per start. A
// transfer of 8.5 of those needs ceil(8.5) starts, the first not counted:
// 8 repositions each way, at any p. tests/bench/repositions.sh compares
// tsfs with the same ideal (plus the host buffers); a model that counted no
// read stops, or restarted before its buffer was empty, fails here.
TEST(DriveModelTest, RepositionsOfASteadyHostMatchTheIdeal) {
  for (const double percent : {25.0, 50.0, 90.0}) {
    const double p = kRate * percent / 100;
    const double per_start = static_cast<double>(kBuffer) * kRate / (kRate - p);
    const auto chunks = static_cast<int>(std::ceil(8.5 * per_start / kChunk));
    DriveModel writer(kRate, kBuffer);
    DriveModel reader(kRate, kBuffer);
    double t = 0;
    for (int i = 1; i <= chunks; ++i) {
      t = i * kChunk / p;
      writer.Write(kChunk, t);
      reader.Read(kChunk, t);
    }
    writer.Flush(t);  // the close
    EXPECT_EQ(writer.repositions(), 8u) << percent << " %";
    EXPECT_EQ(writer.counters().starts, 9u) << percent << " %";
    EXPECT_EQ(reader.repositions(), 8u) << percent << " %";
    EXPECT_EQ(reader.counters().starts, 9u) << percent << " %";
  }
}

}  // namespace
}  // namespace tsfs::vtape
