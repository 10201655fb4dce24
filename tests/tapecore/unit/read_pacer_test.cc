#include "tapecore/unit/read_pacer.h"

#include <gtest/gtest.h>

namespace tsfs {
namespace {

using State = ReadPacer::State;
constexpr size_t kSlot = size_t{1} << 20;
constexpr double kRate = 80e6;
constexpr double kFromTape = kSlot / kRate;     // a fill that waited for an 80 MB/s tape
constexpr double kFromBuffer = kSlot / 2000e6;  // one served from the drive's buffer

// Fills every slot while streaming, as the thread does for a slow consumer.
void FillAll(ReadPacer& p, double& now, double seconds) {
  for (size_t free = 8; free-- > 0;) {
    ASSERT_TRUE(p.MayFill(free + 1, 7 - free, now));
    p.FillStarting(now);
    now += seconds;
    p.Filled(kSlot, seconds, now, free);
  }
}

// One trickle fill of a slot; returns the state after it.
State Trickle(ReadPacer& p, double& now, double seconds, size_t free = 7) {
  p.FillStarting(now);
  now += seconds;
  p.Filled(kSlot, seconds, now, free);
  return p.state();
}

TEST(ReadPacerTest, StreamsUntilEverySlotIsFullThenHoldsToTheWatermark) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  EXPECT_EQ(p.state(), State::kStream);
  FillAll(p, now, kFromTape);
  EXPECT_EQ(p.state(), State::kHeld);
  EXPECT_FALSE(p.MayFill(0, 8, now));
  EXPECT_FALSE(p.MayFill(7, 1, now));  // the watermark is all eight
  EXPECT_TRUE(p.MayFill(8, 0, now));
}

TEST(ReadPacerTest, TakesTheDrivesBufferOneSlotAheadOfTheConsumer) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle);
  // One slot waits for the consumer: one more may be filled, not two.
  EXPECT_TRUE(p.MayFill(7, 1, now));
  EXPECT_EQ(Trickle(p, now, kFromBuffer, 6), State::kTrickle);
  EXPECT_FALSE(p.MayFill(6, 2, now));
}

TEST(ReadPacerTest, AFillThatWaitedForTheTapeStreamsAgainAndShowsTheDrive) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle);
  EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle);
  // The drive's buffer ran out: these fills ran at the tape's rate, 25 times
  // slower than the ones before (one alone could be the host's scheduler).
  // The drive held the two slots taken at once.
  EXPECT_EQ(Trickle(p, now, kFromTape, 6), State::kTrickle);
  EXPECT_EQ(Trickle(p, now, kFromTape, 6), State::kStream);
  EXPECT_TRUE(p.MayFill(6, 2, now));
  EXPECT_TRUE(p.timing().knows_drive());
  EXPECT_DOUBLE_EQ(p.timing().drive_buffer(), 2.0 * kSlot);
  EXPECT_NEAR(p.timing().tape_rate(), kRate, 1);
}

TEST(ReadPacerTest, ASlightlySlowerFillIsNotTheTape) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle);
  EXPECT_EQ(Trickle(p, now, kFromBuffer * 6), State::kTrickle);  // within the slow factor
  EXPECT_EQ(Trickle(p, now, kFromBuffer * 6), State::kTrickle);
  EXPECT_FALSE(p.timing().knows_drive());
}

TEST(ReadPacerTest, BeforeTheDriveIsKnownOneBufferSlotBySlotIsTheMost) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  for (int n = 0; n < 3; ++n) EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle) << n;
  // The fourth: a drive that restarts early hides the tape.
  EXPECT_EQ(Trickle(p, now, kFromBuffer), State::kStream);
}

TEST(ReadPacerTest, OnceTheDriveIsKnownItTopsUpWhileTheTapeFillsItsBuffer) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  Trickle(p, now, kFromBuffer);
  Trickle(p, now, kFromTape, 6);
  Trickle(p, now, kFromTape, 6);  // learned: D = 1 slot, R = 80 MB/s; the tape moves
  FillAll(p, now, kFromTape);
  ASSERT_EQ(p.state(), State::kHeld);
  // The tape still moves (the drive's 1 MiB buffer needs 13 ms at 80 MB/s):
  // a slot the consumer frees is filled at once, not at the watermark.
  EXPECT_TRUE(p.MayFill(1, 7, now + 0.001));
  p.FillStarting(now + 0.001);
  EXPECT_EQ(p.state(), State::kHeld);
  // Long after, the drive's buffer is full and the tape stands.
  EXPECT_FALSE(p.MayFill(1, 7, now + 1.0));
  EXPECT_TRUE(p.MayFill(8, 0, now + 1.0));
}

TEST(ReadPacerTest, OnceTheDriveIsKnownTheTrickleEndsWhenItsBufferIsEmpty) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  for (int n = 0; n < 2; ++n) Trickle(p, now, kFromBuffer);
  Trickle(p, now, kFromTape, 6);
  Trickle(p, now, kFromTape, 6);  // learned D = 2 slots
  FillAll(p, now, kFromTape);
  now += 1.0;  // the tape stands with a full buffer
  ASSERT_EQ(Trickle(p, now, kFromBuffer), State::kTrickle);
  EXPECT_FALSE(p.MayFill(6, 2, now));  // one ahead, the tape stands
  EXPECT_EQ(Trickle(p, now, kFromBuffer, 6), State::kTrickle);
  // Both slots of the drive's buffer taken: its tape starts; fill everything.
  EXPECT_TRUE(p.MayFill(6, 2, now));
}

TEST(ReadPacerTest, AStarvedConsumerEndsTheTrickleButNotTheHold) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  p.ConsumerStarved();
  EXPECT_EQ(p.state(), State::kHeld);
  Trickle(p, now, kFromBuffer);
  p.ConsumerStarved();
  EXPECT_EQ(p.state(), State::kStream);
}

TEST(ReadPacerTest, ALowerWatermarkResumesEarlierAndResetStreams) {
  DriveTiming t;
  ReadPacer p(8, 4, 4, t);
  double now = 0;
  FillAll(p, now, kFromTape);
  EXPECT_FALSE(p.MayFill(3, 5, now));
  EXPECT_TRUE(p.MayFill(4, 4, now));
  p.Reset(2, 0, 0);  // clamped: resume at one slot, trickle at least one
  EXPECT_EQ(p.state(), State::kStream);
  EXPECT_TRUE(p.MayFill(1, 1, now));
  EXPECT_FALSE(p.MayFill(0, 2, now));
}

TEST(ReadPacerTest, AnEmptyFillChangesNothing) {
  DriveTiming t;
  ReadPacer p(8, 8, 4, t);  // two buffers of 4 slots, resume when all are free
  double now = 0;
  FillAll(p, now, kFromTape);
  p.FillStarting(now);
  p.Filled(0, 0, now, 8);  // the filemark, nothing read
  EXPECT_EQ(p.state(), State::kTrickle);
}

}  // namespace
}  // namespace tsfs
