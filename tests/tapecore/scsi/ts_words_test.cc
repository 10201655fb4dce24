// The ts(4) words table.
#include "tapecore/scsi/ts_words.h"

#include <gtest/gtest.h>

#include <vector>

#include "tapecore/scsi/sense.h"

namespace tsfs {
namespace {

using B = std::vector<uint8_t>;

SenseData Fixed(uint8_t key_byte, uint8_t asc, uint8_t ascq) {
  return ParseSense(B{0x70, 0x00, key_byte, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, asc, ascq, 0, 0, 0, 0});
}

TEST(TsWordsTest, ErrorWordsForEveryKeyTsNames) {
  EXPECT_STREQ(TsErrorWords(SenseKey::kAbortedCommand), "Aborted command");
  EXPECT_STREQ(TsErrorWords(SenseKey::kHardwareError), "Hardware error");
  EXPECT_STREQ(TsErrorWords(SenseKey::kIllegalRequest), "Illegal request");
  EXPECT_STREQ(TsErrorWords(SenseKey::kMediumError), "Media error");
  EXPECT_STREQ(TsErrorWords(SenseKey::kDataProtect), "Media is protected");
  EXPECT_STREQ(TsErrorWords(SenseKey::kNotReady), "Tape not ready");
  EXPECT_STREQ(TsErrorWords(SenseKey::kVendorSpecific), "Vendor unique error");
  EXPECT_STREQ(TsErrorWords(SenseKey::kVolumeOverflow), "Volume overflow");
  EXPECT_STREQ(TsErrorWords(SenseKey::kUnitAttention), "Unknown error");
  EXPECT_STREQ(TsErrorWords(SenseKey::kBlankCheck), "Unknown error");
}

TEST(TsWordsTest, CommandWords) {
  EXPECT_STREQ(TsCommandWords(B{0x19, 0, 0, 0, 0, 0}), "erase");
  EXPECT_STREQ(TsCommandWords(B{0x15, 0x10, 0, 0, 12, 0}), "mode select");
  EXPECT_STREQ(TsCommandWords(B{0x08, 1, 0, 0, 1, 0}), "read");
  EXPECT_STREQ(TsCommandWords(B{0x03, 0, 0, 0, 252, 0}), "request sense");
  EXPECT_STREQ(TsCommandWords(B{0x1B, 0, 0, 0, 0x03, 0}), "retension");
  EXPECT_STREQ(TsCommandWords(B{0x1B, 0, 0, 0, 0x01, 0}), "load");
  EXPECT_STREQ(TsCommandWords(B{0x1B, 0, 0, 0, 0x00, 0}), "unload");
  EXPECT_STREQ(TsCommandWords(B{0x01, 0, 0, 0, 0, 0}), "rewind");
  EXPECT_STREQ(TsCommandWords(B{0xA5, 0, 0, 1, 0x10, 0, 1, 0, 0, 0, 0, 0}), "move medium");
  EXPECT_STREQ(TsCommandWords(B{0xB8, 0x12, 0, 0, 0, 1, 0, 0, 0x10, 0, 0, 0}),
               "read element status");
  EXPECT_STREQ(TsCommandWords(B{0x07, 0, 0, 0, 0, 0}), "initialize element status");
  EXPECT_EQ(TsMessage(Fixed(0x04, 0x15, 0x01), B{0xA5, 0, 0, 1, 0x10, 0, 1, 0, 0, 0, 0, 0}),
            "Hardware error on move medium");
  EXPECT_STREQ(TsCommandWords(B{0x11, 1, 0, 0, 1, 0}), "space");
  EXPECT_STREQ(TsCommandWords(B{0x00, 0, 0, 0, 0, 0}), "test unit ready");
  EXPECT_STREQ(TsCommandWords(B{0x0A, 1, 0, 0, 1, 0}), "write");
  EXPECT_STREQ(TsCommandWords(B{0x10, 0, 0, 0, 1, 0}), "write file marks");
  EXPECT_STREQ(TsCommandWords(B{0x12, 0, 0, 0, 96, 0}), "inquiry");
  EXPECT_STREQ(TsCommandWords(B{0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0}), "read position");
  EXPECT_STREQ(TsCommandWords(B{0x2B, 0, 0, 0, 0, 0, 0, 0, 0, 0}), "locate");
  EXPECT_STREQ(TsCommandWords(B{0x4D, 0, 0x71, 0, 0, 0, 0, 1, 0, 0}), "log sense");
  EXPECT_STREQ(TsCommandWords(B{0x1A, 0, 0, 0, 12, 0}), "mode sense");
  EXPECT_STREQ(TsCommandWords(B{0x05, 0, 0, 0, 0, 0}), "read block limits");
  EXPECT_STREQ(TsCommandWords(B{0x1E, 0, 0, 0, 1, 0}), "prevent allow medium removal");
  EXPECT_STREQ(TsCommandWords(B{}), "command");
}

TEST(TsWordsTest, Message) {
  EXPECT_EQ(TsMessage(Fixed(0x03, 0x31, 0x00), B{0x0A, 1, 0, 0, 1, 0}), "Media error on write");
  EXPECT_EQ(TsMessage(Fixed(0x02, 0x3A, 0x00), B{0, 0, 0, 0, 0, 0}),
            "Tape not ready on test unit ready");
  EXPECT_EQ(TsMessage(Fixed(0x07, 0x27, 0x00), B{0x10, 0, 0, 0, 1, 0}),
            "Media is protected on write file marks");
  EXPECT_EQ(TsMessage(Fixed(0x05, 0x20, 0x00), B{0x19, 1, 0, 0, 0, 0}), "Illegal request on erase");
}

TEST(TsWordsTest, UsualAndUnusualSense) {
  // FILEMARK with INFORMATION: usual.
  EXPECT_FALSE(IsUnusualSense(
      ParseSense(B{0xF0, 0x00, 0x80, 0, 0, 0, 3, 0x0A, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0, 0})));
  // BLANK CHECK 00/05 at end of data: usual.
  EXPECT_FALSE(IsUnusualSense(Fixed(0x08, 0x00, 0x05)));
  // tgtd NO SENSE 00/05 on SPACE past end of data: usual.
  EXPECT_FALSE(IsUnusualSense(Fixed(0x00, 0x00, 0x05)));
  // Early warning: NO SENSE + EOM 00/02.
  EXPECT_FALSE(IsUnusualSense(
      ParseSense(B{0x70, 0x00, 0x40, 0, 0, 0, 0, 0x0A, 0, 0, 0, 0, 0x00, 0x02, 0, 0, 0, 0})));
  // ILI with a negative residue: usual.
  EXPECT_FALSE(IsUnusualSense(ParseSense(
      B{0xF0, 0x00, 0x20, 0xFF, 0xFF, 0xFE, 0x00, 0x0A, 0, 0, 0, 0, 0x00, 0x00, 0, 0, 0, 0})));
  // Errors: unusual.
  EXPECT_TRUE(IsUnusualSense(Fixed(0x03, 0x31, 0x00)));
  EXPECT_TRUE(IsUnusualSense(Fixed(0x05, 0x20, 0x00)));
  EXPECT_TRUE(IsUnusualSense(Fixed(0x07, 0x27, 0x00)));
  EXPECT_TRUE(IsUnusualSense(Fixed(0x0D, 0x00, 0x02)));
  EXPECT_TRUE(IsUnusualSense(Fixed(0x01, 0x17, 0x00)));
  EXPECT_TRUE(IsUnusualSense(Fixed(0x06, 0x28, 0x00)));
}

}  // namespace
}  // namespace tsfs
