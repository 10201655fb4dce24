// A long erase given with IMMED on a vtape with erase=SECONDS: the drive
// answers at once and is NOT READY 04/07 with a progress indication until
// the time is over, as LTO drives are during a long erase.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tapecore/vtape/vtape_transport.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {
namespace {

using testing::Answer;
using testing::RawTape;
using testing::TapBytes;
using testing::TempDir;

constexpr uint8_t kLong = 0x01, kImmed = 0x02;

TEST(VtapeEraseTest, ImmediateLongEraseRunsInTheBackgroundWithProgress) {
  TempDir dir;
  const std::string path = dir.File("t.tap");
  TapBytes b;
  b.Record(512, 0xA0).Mark().Record(512, 0xB0).Mark();
  b.WriteTo(path);
  RawTape t("vtape:" + path + "?capacity=8M&erase=0.8");
  ASSERT_TRUE(t.ok());
  const auto start = std::chrono::steady_clock::now();
  ASSERT_TRUE(t.Run({0x19, kLong | kImmed, 0, 0, 0, 0}).good());
  int busy = 0;
  int last_progress = -1;
  for (;;) {
    const Answer a = t.Tur();
    if (a.good()) break;
    ASSERT_EQ(a.sense.key, SenseKey::kNotReady);
    ASSERT_EQ(a.sense.asc, 0x04);
    ASSERT_EQ(a.sense.ascq, 0x07);
    ASSERT_GE(a.sense.raw.size(), 18u);
    ASSERT_EQ(a.sense.raw[15] & 0x80, 0x80) << "SKSV: a progress indication";
    const int progress = (a.sense.raw[16] << 8) | a.sense.raw[17];
    EXPECT_GE(progress, last_progress) << "progress goes forward";
    last_progress = progress;
    // Any command on the medium waits for the erase too.
    const Answer rewind = t.Rewind();
    EXPECT_EQ(rewind.sense.key, SenseKey::kNotReady);
    ++busy;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    ASSERT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(30));
  }
  EXPECT_GE(busy, 3);  // about 8 polls in 0.8 s; a loaded machine polls fewer
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(790));
  // Everything from BOT on is gone.
  ASSERT_TRUE(t.Rewind().good());
  std::vector<uint8_t> buf(512);
  const Answer read = t.Run({0x08, 0, 0, 0x02, 0, 0}, DataBuffer::In(buf));
  EXPECT_EQ(read.sense.key, SenseKey::kBlankCheck);

  // Without IMMED, or without erase=, the erase is done when it answers.
  ASSERT_TRUE(t.Run({0x19, kLong, 0, 0, 0, 0}).good());
  EXPECT_TRUE(t.Tur().good());
  TapBytes().WriteTo(dir.File("plain.tap"));
  RawTape plain("vtape:" + dir.File("plain.tap") + "?capacity=8M");
  ASSERT_TRUE(plain.Run({0x19, kLong | kImmed, 0, 0, 0, 0}).good());
  EXPECT_TRUE(plain.Tur().good());
}

}  // namespace
}  // namespace tsfs::vtape
