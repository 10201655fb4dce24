#include "fusefs/tape_names.h"

#include <gtest/gtest.h>

#include "fusefs/source_path.h"

namespace tsfs::fusefs {
namespace {

TEST(TapeNamesTest, NamesArePaddedToThreeDigits) {
  EXPECT_EQ(TapeFileName(0), "file000");
  EXPECT_EQ(TapeFileName(42), "file042");
  EXPECT_EQ(TapeFileName(999), "file999");
  EXPECT_EQ(TapeFileName(1000), "file1000");
}

TEST(TapeNamesTest, OnlyCanonicalNamesParse) {
  EXPECT_EQ(ParseTapeFileName("file000"), 0);
  EXPECT_EQ(ParseTapeFileName("/file007"), 7);
  EXPECT_EQ(ParseTapeFileName("file1000"), 1000);
  EXPECT_EQ(ParseTapeFileName("file7"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("file0007"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("file01000"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("File000"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("file00x"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("file000.tar"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName(""), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("/"), std::nullopt);
  EXPECT_EQ(ParseTapeFileName("file99999999999"), std::nullopt);
}

TEST(SourcePathTest, RelativeImagesBecomeAbsolute) {
  EXPECT_EQ(AbsoluteSource("vtape:t.tap?ro", "/home/u"), "vtape:/home/u/t.tap?ro");
  EXPECT_EQ(AbsoluteSource("dir/t.tap", "/home/u/"), "/home/u/dir/t.tap");
  EXPECT_EQ(AbsoluteSource("vtape:/abs.tap", "/home/u"), "vtape:/abs.tap");
  EXPECT_EQ(AbsoluteSource("rts0", "/home/u"), "rts0");
  EXPECT_EQ(AbsoluteSource("/dev/sg1", "/home/u"), "/dev/sg1");
  EXPECT_EQ(AbsoluteSource("iscsi://h/iqn/1", "/home/u"), "iscsi://h/iqn/1");
}

}  // namespace
}  // namespace tsfs::fusefs
