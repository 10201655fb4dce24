// IMAGE.medium: the properties of a cartridge beside its image.
#include "tapecore/vtape/medium_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape {
namespace {

using testing::TempDir;

TEST(MediumFileTest, RoundTripAndSourceOverrides) {
  TempDir dir;
  const std::string image = dir.File("t.tap");
  MediumProperties m;
  m.capacity = 10u << 20;
  m.early_warning = 256u << 10;
  ASSERT_TRUE(WriteMediumFile(image, m).ok());
  auto back = ReadMediumFile(image);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->capacity, m.capacity);
  EXPECT_EQ(back->early_warning, m.early_warning);
  EXPECT_FALSE(back->write_protected);

  auto plain = ParseVtapeSpec("vtape:" + image);
  ASSERT_TRUE(plain.ok());
  ASSERT_TRUE(ApplyMedium(*back, *plain).ok());
  EXPECT_EQ(plain->capacity, 10u << 20);
  EXPECT_EQ(plain->early_warning, 256u << 10);

  auto given = ParseVtapeSpec("vtape:" + image + "?capacity=4M");
  ASSERT_TRUE(given.ok());
  ASSERT_TRUE(ApplyMedium(*back, *given).ok());
  EXPECT_EQ(given->capacity, 4u << 20);
  EXPECT_EQ(given->early_warning, 256u << 10);

  // ew from the medium larger than a capacity from the source: refused.
  auto tiny = ParseVtapeSpec("vtape:" + image + "?capacity=100K");
  ASSERT_TRUE(tiny.ok());
  EXPECT_EQ(ApplyMedium(*back, *tiny).code(), ErrorCode::kInvalidArgument);
}

TEST(MediumFileTest, NoFileMeansDefaults) {
  TempDir dir;
  auto m = ReadMediumFile(dir.File("none.tap"));
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->capacity.has_value());
  auto o = ParseVtapeSpec("vtape:" + dir.File("none.tap"));
  ASSERT_TRUE(o.ok());
  ASSERT_TRUE(ApplyMedium(*m, *o).ok());
  EXPECT_EQ(o->capacity, kDefaultCapacity);
  EXPECT_EQ(o->early_warning, kDefaultEarlyWarning);
}

TEST(MediumFileTest, MalformedFileNamesFileAndLine) {
  TempDir dir;
  const std::string image = dir.File("t.tap");
  std::ofstream(MediumPathFor(image)) << "# comment\ncapacity=10M\ncolour=blue\n";
  auto m = ReadMediumFile(image);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("t.tap.medium:3"), std::string::npos)
      << m.status().ToString();
  std::ofstream(MediumPathFor(image)) << "capacity=lots\n";
  EXPECT_FALSE(ReadMediumFile(image).ok());
}

}  // namespace
}  // namespace tsfs::vtape
