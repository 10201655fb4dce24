// Reader paths around its slots on vtape: a close while the reader waits to
// cut its slots larger for a long record, and a file whose first record is
// one block but whose second is not (the first fixed READ gives nothing and
// switches to variable reads). Every byte read is checked.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <vector>

#include "tests/tapecore/unit/record_tape_util.h"

namespace tsfs {
namespace {

using unit_testing::ReadWholeFile;
using unit_testing::VtapeUnit;

std::vector<std::vector<uint8_t>> WriteImage(VtapeUnit& t,
                                             const std::vector<std::vector<size_t>>& files,
                                             const UnitConfig& config) {
  return unit_testing::WriteRecordImage(t, files, config, 80);
}

// Record 0 fills part of slot 0; record 1 (1.5 MiB) is longer than a slot,
// so the reader waits until slot 0 is taken to cut larger slots. The file
// is closed before: the reader stops, close spaces to file 1.
TEST(ReaderSlotPathsTest, CloseWhileTheReaderWaitsToWidenItsSlots) {
  VtapeUnit t;
  UnitConfig config;
  config.buffer_kb = 2048;  // two slots of 1 MiB in each buffer
  const auto files = WriteImage(t, {{1000, 1536 * 1024, 500}, {700}}, config);
  ASSERT_TRUE(t->OpenRead(0).ok());
  std::vector<uint8_t> buf(100);
  Result<size_t> n = t->Read(buf);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  ASSERT_EQ(*n, 100u);
  EXPECT_TRUE(std::equal(buf.begin(), buf.end(), files[0].begin()));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the reader reaches record 1
  ASSERT_TRUE(t->Close().ok());
  auto st = t->GetStatus();
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->file_number.value_or(-1), 1);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);
}

TEST(ReaderSlotPathsTest, SecondRecordNotOneBlock) {
  VtapeUnit t;
  const auto files = WriteImage(t, {{512, 700, 512, 512}, {512}}, UnitConfig{});
  EXPECT_EQ(ReadWholeFile(t.unit(), 0), files[0]);
  EXPECT_EQ(ReadWholeFile(t.unit(), 1), files[1]);
  auto list = t->Catalog();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)[0].bytes, files[0].size());
  EXPECT_EQ((*list)[0].blocks, 4u);
}

}  // namespace
}  // namespace tsfs
