// Matching drives to data transfer elements by their identifiers.
#include "tapecore/library/drive_matcher.h"

#include <gtest/gtest.h>

namespace tsfs::library {
namespace {

smc::ElementStatus Element(uint16_t address, std::optional<smc::DeviceIdentifier> id) {
  smc::ElementStatus e;
  e.type = smc::ElementType::kDataTransfer;
  e.address = address;
  e.device = std::move(id);
  return e;
}

smc::DeviceIdentifier T10(const std::string& s) { return {2, 0, 1, s}; }

smc::DriveIdentity Drive(const std::string& serial, std::vector<smc::DeviceIdentifier> ids = {}) {
  smc::DriveIdentity d;
  d.serial = serial;
  d.identifiers = std::move(ids);
  return d;
}

TEST(DriveMatcherTest, BySerialInTheT10Identifier) {
  // tgtd's layout: vendor (8), product (16), serial (10, space padded).
  const std::vector<smc::ElementStatus> elements{Element(1, T10("IET     VIRTUAL-TAPE    beaf11")),
                                                 Element(2, T10("IET     VIRTUAL-TAPE    beaf12"))};
  auto m = MatchDrives(elements, {Drive("beaf12"), Drive("beaf11"), Drive("other")});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(*m, (std::vector<int>{1, 0}));
}

TEST(DriveMatcherTest, ByVpd83IdentifierAndUnmatchedElements) {
  const smc::DeviceIdentifier naa{1, 0, 3, std::string("\x50\x01\x02\x03\x04\x05\x06\x07", 8)};
  const std::vector<smc::ElementStatus> elements{Element(0x100, naa),
                                                 Element(0x101, T10("X       Y               Z1"))};
  auto m = MatchDrives(elements, {Drive("S1", {naa})});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (std::vector<int>{0, -1}));
}

TEST(DriveMatcherTest, TheLastElementWithoutIdentifierTakesTheLastDrive) {
  const std::vector<smc::ElementStatus> elements{Element(1, T10("IET     VIRTUAL-TAPE    beaf11")),
                                                 Element(2, std::nullopt)};
  auto m = MatchDrives(elements, {Drive("beaf12"), Drive("beaf11")});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (std::vector<int>{1, 0}));
  // Two drives left: no guess.
  auto two = MatchDrives(elements, {Drive("x"), Drive("beaf11"), Drive("y")});
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(*two, (std::vector<int>{1, -1}));
}

TEST(DriveMatcherTest, SerialMustBeWholeNotAPrefix) {
  const std::vector<smc::ElementStatus> elements{Element(1, T10("V       P               SER12"))};
  auto m = MatchDrives(elements, {Drive("SER1"), Drive("ER12")});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (std::vector<int>{-1}));
}

TEST(DriveMatcherTest, WithoutIdentifiersByOrderOnlyWhenCountsAgree) {
  const std::vector<smc::ElementStatus> elements{Element(1, std::nullopt),
                                                 Element(2, std::nullopt)};
  auto m = MatchDrives(elements, {Drive("a"), Drive("b")});
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, (std::vector<int>{0, 1}));
  EXPECT_EQ(MatchDrives(elements, {Drive("a")}).status().code(), ErrorCode::kConfig);
}

TEST(DriveMatcherTest, OneDriveInTwoElementsIsAConfigError) {
  const std::vector<smc::ElementStatus> elements{Element(1, T10("V       P               S1")),
                                                 Element(2, T10("W       Q               S1"))};
  EXPECT_EQ(MatchDrives(elements, {Drive("S1")}).status().code(), ErrorCode::kConfig);
}

}  // namespace
}  // namespace tsfs::library
