// Sense decoding of malformed sense data a target may send.
#include "tapecore/scsi/sense.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace tsfs {
namespace {

// Found by tests/fuzz/fuzz_sense: descriptor-format sense whose designation
// descriptor claims more bytes than were sent. libsgutils2 read past the end
// of the buffer (ASan: heap-buffer-overflow in sg_get_sense_str); the input
// sits in a heap block of exactly its size so the sanitizer build sees any
// read beyond it.
TEST(SenseTest, DescriptorLongerThanTheSenseIsNotReadPastTheEnd) {
  const std::vector<uint8_t> sense = {0x72, 0x01, 0x00, 0x60, 0xe6, 0xff, 0x12, 0x0e, 0x0e,
                                      0x0e, 0x0e, 0x0e, 0x7f, 0x01, 0x00, 0x02, 0x02, 0xdc};
  const std::string text = DescribeSense(sense);
  EXPECT_FALSE(text.empty());
  const SenseData d = ParseSense(sense);
  EXPECT_EQ(d.response_code, 0x72);
  EXPECT_EQ(d.key, SenseKey::kRecoveredError);
  EXPECT_EQ(d.raw, sense);
}

TEST(SenseTest, TruncatedAndOversizedSense) {
  EXPECT_EQ(ParseSense(std::vector<uint8_t>{0x70}).key, SenseKey::kNoSense);
  EXPECT_EQ(ParseSense(std::vector<uint8_t>{0x12, 0x34}).response_code, 0);
  EXPECT_EQ(DescribeSense({}), "no sense data");
  // Longer than SPC allows: decoded from its first 263 bytes, kept whole in raw.
  std::vector<uint8_t> big(600, 0);
  big[0] = 0x70;
  big[2] = 0x03;
  big[7] = 0xFF;
  big[12] = 0x11;
  const SenseData d = ParseSense(big);
  EXPECT_EQ(d.key, SenseKey::kMediumError);
  EXPECT_EQ(d.asc, 0x11);
  EXPECT_EQ(d.raw.size(), 600u);
  EXPECT_FALSE(DescribeSense(big).empty());
}

}  // namespace
}  // namespace tsfs
