// tstape changer as a user runs it: status in the mtx layout, load and
// unload on tgtd's library (whose robot state lasts between runs), the
// errors of a bad operand, an empty slot and a source that is no changer.
#include <gtest/gtest.h>

#include <cstdio>

#include "tapecore/vtape/tap_image.h"
#include "tests/support/targets.h"
#include "tests/support/test_library.h"
#include "tests/support/tstape_runner.h"

namespace tsfs {
namespace {

using testing::CommandResult;
using testing::Has;
using testing::Tstape;

TEST(TstapeChangerTest, StatusOfTheVtapeLibraryInTheMtxLayout) {
  auto lib = testing::StartTestLibrary(testing::LibraryKind::kVtlib);
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  const CommandResult r = Tstape({"changer", (*lib)->changer_source, "status"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, ":2 Drives, 8 Slots ( 0 Import/Export )")) << r.output;
  EXPECT_TRUE(Has(r.output, "Data Transfer Element 0:Empty\nData Transfer Element 1:Empty\n"))
      << r.output;
  EXPECT_TRUE(Has(r.output, "      Storage Element 1:Full :VolumeTag=LIB001\n")) << r.output;
  EXPECT_TRUE(Has(r.output, "      Storage Element 8:Empty\n")) << r.output;
  // Bad operands are usage errors; an empty slot is the changer's error.
  EXPECT_EQ(Tstape({"changer", (*lib)->changer_source, "load", "99"}).exit_code, 2);
  EXPECT_EQ(Tstape({"changer", (*lib)->changer_source, "fly"}).exit_code, 2);
  const CommandResult empty = Tstape({"changer", (*lib)->changer_source, "load", "8", "1"});
  EXPECT_EQ(empty.exit_code, 1) << empty.output;
  EXPECT_TRUE(Has(empty.output, "Illegal request on move medium")) << empty.output;
}

TEST(TstapeChangerTest, JsonStatusOfALibraryFromTheConfiguration) {
  auto lib = testing::StartTestLibrary(testing::LibraryKind::kVtlib);
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  const std::string conf = (*lib)->dir.File("tsbconf.conf");
  FILE* f = std::fopen(conf.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fprintf(f, "[unit.0]\ndevice = /dev/sg9\n\n[library.2]\nchanger = %s\n",
               (*lib)->changer_source.c_str());
  std::fclose(f);
  const CommandResult r = Tstape({"changer", "lib2", "status", "--json", "--config", conf});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output, "{\"changer\":\"lib2\",\"drives\":[{\"drive\":0,")) << r.output;
  EXPECT_TRUE(Has(r.output, "\"full\":false,\"volume_tag\":null,\"from_slot\":null}")) << r.output;
  EXPECT_TRUE(Has(r.output, "\"slot\":1,")) << r.output;
  EXPECT_TRUE(Has(r.output, "\"import_export\":false,\"full\":true,\"volume_tag\":\"LIB001\"}"))
      << r.output;
  EXPECT_TRUE(Has(r.output, "\"slot\":8,")) << r.output;
  // A library the file does not list.
  const CommandResult none = Tstape({"changer", "lib3", "--config", conf});
  EXPECT_EQ(none.exit_code, 1) << none.output;
  EXPECT_TRUE(Has(none.output, "no [library.3] section")) << none.output;
}

TEST(TstapeChangerTest, MklibMakesALibraryAndSaysHowToUseIt) {
  auto dir = testing::TempDir::Create("tsfs-mklib");
  ASSERT_TRUE(dir.ok());
  const std::string lib = dir->File("lib");
  const CommandResult r =
      Tstape({"mklib", lib, "--slots", "8", "--drives", "2", "--cartridges", "6"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string source = "vtlib:" + lib + "?drives=2&slots=8";
  EXPECT_TRUE(Has(r.output, "6 blank cartridges LIB001..LIB006: use the source " + source + "\n"))
      << r.output;
  const CommandResult status = Tstape({"changer", source, "status"});
  ASSERT_EQ(status.exit_code, 0) << status.output;
  // mtx counts the mail slot among the slots.
  EXPECT_TRUE(Has(status.output, ":2 Drives, 9 Slots ( 1 Import/Export )")) << status.output;
  EXPECT_TRUE(Has(status.output, "      Storage Element 6:Full :VolumeTag=LIB006\n"))
      << status.output;
  EXPECT_TRUE(Has(status.output, "      Storage Element 7:Empty\n")) << status.output;
  // Not over a library that is there; not more cartridges than slots.
  const CommandResult again = Tstape({"mklib", lib});
  EXPECT_EQ(again.exit_code, 1) << again.output;
  EXPECT_TRUE(Has(again.output, "LIB001.tap exists")) << again.output;
  EXPECT_EQ(Tstape({"mklib", dir->File("x"), "--slots", "2", "--cartridges", "3"}).exit_code, 2);
}

TEST(TstapeChangerTest, NotAChanger) {
  auto dir = testing::TempDir::Create("tsfs-notchanger");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(vtape::TapImage::Open(dir->File("t.tap"), false, true).ok());
  const CommandResult r = Tstape({"changer", dir->File("t.tap"), "status"});
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_TRUE(Has(r.output, "not a media changer: peripheral device type 0x01 (tape)")) << r.output;
}

TEST(TstapeChangerTest, LoadAndUnloadOnTgtd) {
  auto lib = testing::StartTestLibrary(testing::LibraryKind::kTgtd);
  if (!lib.ok() && lib.status().code() == ErrorCode::kNotFound && !testing::InCi()) {
    GTEST_SKIP() << lib.status().ToString();
  }
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  const std::string source = (*lib)->changer_source;
  CommandResult r = Tstape({"changer", source, "load", "3", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = Tstape({"changer", source});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(Has(r.output,
                  "Data Transfer Element 1:Full (Storage Element 3 Loaded):VolumeTag = "
                  "LIB003\n"))
      << r.output;
  EXPECT_TRUE(Has(r.output, "      Storage Element 3:Empty\n")) << r.output;
  r = Tstape({"changer", source, "unload", "1"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = Tstape({"changer", source, "transfer", "3", "7"});
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = Tstape({"changer", source, "status"});
  EXPECT_TRUE(Has(r.output, "Data Transfer Element 1:Empty\n")) << r.output;
  EXPECT_TRUE(Has(r.output, "      Storage Element 7:Full :VolumeTag=LIB003\n")) << r.output;
}

}  // namespace
}  // namespace tsfs
