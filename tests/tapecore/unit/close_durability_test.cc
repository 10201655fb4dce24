// When a flush (every close, fsync) returns OK, every byte of the file is on
// the medium, the last block zero-padded; a descriptor that writes again
// afterwards continues the same tape file (issue 8 item 4). On every target:
// the back-over-the-padded-block step is a backward SPACE, then WRITE.
#include <gtest/gtest.h>

#include "tests/tapecore/unit/record_tape_util.h"

namespace tsfs {
namespace {

using unit_testing::Padded;
using unit_testing::Pattern;

class CloseDurabilityTest : public ::testing::TestWithParam<const char*> {
 protected:
  unit_testing::TestSource src_;
  CapturingLogger log_;
};

TEST_P(CloseDurabilityTest, SyncPutsThePaddedTailOnTapeAndLaterWritesContinueTheFile) {
  if (!unit_testing::StartTestSource(GetParam(), &src_)) GTEST_SKIP();
  auto unit = unit_testing::OpenTestUnit(src_, log_);
  ASSERT_NE(unit, nullptr);
  const auto a = Pattern(1000, 1), b = Pattern(1500, 2), c = Pattern(7, 3);
  ASSERT_TRUE(unit->OpenAppend().ok());
  ASSERT_TRUE(unit->Write(a).ok());
  ASSERT_TRUE(unit->Sync().ok());
  // What a second session sees now: the file's bytes, padded, without filemark.
  ASSERT_TRUE(unit->Write(b).ok());
  ASSERT_TRUE(unit->Sync().ok());
  ASSERT_TRUE(unit->Sync().ok());  // nothing new: nothing moves
  ASSERT_TRUE(unit->Write(c).ok());
  ASSERT_TRUE(unit->Close().ok());

  std::vector<uint8_t> all = a;
  all.insert(all.end(), b.begin(), b.end());
  all.insert(all.end(), c.begin(), c.end());
  ASSERT_TRUE(unit->Ioctl(MtOp::kRewind, 1).ok());
  EXPECT_EQ(unit_testing::ReadWholeFile(*unit, 0), Padded(all));
  auto list = unit->Catalog();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].bytes, Padded(all).size());

  // A new session (another mount) lists one file of the same size.
  ASSERT_TRUE(unit->Release().ok());
  unit.reset();  // vtape: one writer per image
  unit = unit_testing::OpenTestUnit(src_, log_);
  ASSERT_NE(unit, nullptr);
  EXPECT_EQ(unit_testing::ReadWholeFile(*unit, 0), Padded(all));
}

// vtape only: the test reads the SIMH image file itself.
TEST(CloseDurabilityVtapeTest, AfterSyncTheBytesAreInTheImageFile) {
  unit_testing::TestSource src_;
  CapturingLogger log_;
  ASSERT_TRUE(unit_testing::StartTestSource("vtape", &src_));
  auto unit = unit_testing::OpenTestUnit(src_, log_);
  ASSERT_NE(unit, nullptr);
  const auto a = Pattern(700, 5);
  ASSERT_TRUE(unit->OpenAppend().ok());
  ASSERT_TRUE(unit->Write(a).ok());
  ASSERT_TRUE(unit->Sync().ok());
  // The SIMH image holds a 512-byte record with the first 512 bytes and a
  // second one with the last 188 and zeros: read it straight from the file.
  FILE* f = std::fopen(src_.dir.File("t.tap").c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::vector<uint8_t> image(4096);
  image.resize(std::fread(image.data(), 1, image.size(), f));
  std::fclose(f);
  const auto padded = Padded(a);
  ASSERT_GE(image.size(), 2 * (512 + 8));
  EXPECT_TRUE(std::equal(padded.begin(), padded.begin() + 512, image.begin() + 4));
  EXPECT_TRUE(std::equal(padded.begin() + 512, padded.end(), image.begin() + 4 + 512 + 8));
  ASSERT_TRUE(unit->Close().ok());
}

INSTANTIATE_TEST_SUITE_P(Sources, CloseDurabilityTest, unit_testing::AllSources(),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace tsfs
