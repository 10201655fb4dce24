#include "tapecore/unit/read_pacer.h"

#include <gtest/gtest.h>

namespace tsfs {
namespace {

using State = ReadPacer::State;
constexpr size_t kSlot = size_t{1} << 20;
constexpr double kFromTape = kSlot / 80e6;      // a fill that waited for an 80 MB/s tape
constexpr double kFromBuffer = kSlot / 2000e6;  // one served from the drive's buffer

// 8 slots (two buffers of 4), resume when all 8 are free, trickle at most 4.
ReadPacer EightSlots() { return ReadPacer(8, 8, 4); }

// Fills every slot while streaming, as the thread does for a slow consumer.
void FillAll(ReadPacer& p, double seconds) {
  for (size_t free = 8; free-- > 0;) {
    ASSERT_TRUE(p.MayFill(free + 1, 7 - free));
    p.FillStarting();
    p.Filled(kSlot, seconds, free);
  }
}

TEST(ReadPacerTest, StreamsUntilEverySlotIsFullThenHoldsToTheWatermark) {
  ReadPacer p = EightSlots();
  EXPECT_EQ(p.state(), State::kStream);
  FillAll(p, kFromTape);
  EXPECT_EQ(p.state(), State::kHeld);
  EXPECT_FALSE(p.MayFill(0, 8));
  EXPECT_FALSE(p.MayFill(7, 1));  // the watermark is all eight
  EXPECT_TRUE(p.MayFill(8, 0));
}

TEST(ReadPacerTest, TakesTheDrivesBufferOneSlotAheadOfTheConsumer) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  p.FillStarting();
  EXPECT_EQ(p.state(), State::kTrickle);
  p.Filled(kSlot, kFromBuffer, 7);
  EXPECT_EQ(p.state(), State::kTrickle);
  // One slot waits for the consumer: one more may be filled, not two.
  EXPECT_TRUE(p.MayFill(7, 1));
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer, 6);
  EXPECT_FALSE(p.MayFill(6, 2));
}

TEST(ReadPacerTest, AFillThatWaitedForTheTapeStreamsAgain) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer, 7);
  p.FillStarting();
  // The drive's buffer ran out: this fill ran at the tape's rate, 25 times
  // slower than the one before.
  p.Filled(kSlot, kFromTape, 6);
  EXPECT_EQ(p.state(), State::kStream);
  EXPECT_TRUE(p.MayFill(6, 2));
}

TEST(ReadPacerTest, ASlightlySlowerFillIsNotTheTape) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer, 7);
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer * 3, 7);  // within kSlowFactor of the fastest
  EXPECT_EQ(p.state(), State::kTrickle);
}

TEST(ReadPacerTest, OneBufferTakenSlotBySlotIsTheMost) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  for (int n = 0; n < 3; ++n) {
    p.FillStarting();
    p.Filled(kSlot, kFromBuffer, 7);
    EXPECT_EQ(p.state(), State::kTrickle) << n;
  }
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer, 7);  // the fourth: a drive that restarts early hides the tape
  EXPECT_EQ(p.state(), State::kStream);
}

TEST(ReadPacerTest, AStarvedConsumerEndsTheTrickleButNotTheHold) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  p.ConsumerStarved();
  EXPECT_EQ(p.state(), State::kHeld);
  p.FillStarting();
  p.Filled(kSlot, kFromBuffer, 7);
  p.ConsumerStarved();
  EXPECT_EQ(p.state(), State::kStream);
}

TEST(ReadPacerTest, ALowerWatermarkResumesEarlierAndResetStreams) {
  ReadPacer p(8, 4, 4);
  FillAll(p, kFromTape);
  EXPECT_FALSE(p.MayFill(3, 5));
  EXPECT_TRUE(p.MayFill(4, 4));
  p.Reset(2, 0, 0);  // clamped: resume at one slot, trickle at least one
  EXPECT_EQ(p.state(), State::kStream);
  EXPECT_TRUE(p.MayFill(1, 1));
  EXPECT_FALSE(p.MayFill(0, 2));
}

TEST(ReadPacerTest, AnEmptyFillChangesNothing) {
  ReadPacer p = EightSlots();
  FillAll(p, kFromTape);
  p.FillStarting();
  p.Filled(0, 0, 8);  // the filemark, nothing read
  EXPECT_EQ(p.state(), State::kTrickle);
}

}  // namespace
}  // namespace tsfs
