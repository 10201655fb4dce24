// [library.N] sections of tsbconf: the changer, the drives, the unit keys
// of every drive; errors with the file and line; [unit.N] parsing ignores
// them.
#include "tapecore/library/library_tsbconf.h"

#include <gtest/gtest.h>

#include "tapecore/unit/unit_config.h"

namespace tsfs::library {
namespace {

constexpr const char* kConf =
    "[unit.0]\n"
    "device = /dev/sg3\n"
    "\n"
    "[library.1]   # the VTL\n"
    "changer = iscsi://127.0.0.1:3260/iqn.2012-08.example:vtl/3\n"
    "drive = iscsi://127.0.0.1:3260/iqn.2012-08.example:vtl/1\n"
    "drive = iscsi://127.0.0.1:3260/iqn.2012-08.example:vtl/2\n"
    "buffer-kb = 2048\n"
    "catalog-dir = /var/tmp/cat\n";

TEST(LibraryTsbconfTest, ChangerDrivesAndUnitKeys) {
  auto lib = ParseLibrarySection(kConf, "t.conf", 1);
  ASSERT_TRUE(lib.ok()) << lib.status().ToString();
  EXPECT_EQ(lib->changer, "iscsi://127.0.0.1:3260/iqn.2012-08.example:vtl/3");
  ASSERT_EQ(lib->drives.size(), 2u);
  EXPECT_EQ(lib->drives[1], "iscsi://127.0.0.1:3260/iqn.2012-08.example:vtl/2");
  EXPECT_EQ(lib->unit.buffer_kb, 2048u);
  EXPECT_EQ(lib->unit.catalog_dir, "/var/tmp/cat");
  // The units of the same file are not disturbed by the library.
  auto units = ParseTsbconf(kConf, "t.conf");
  ASSERT_TRUE(units.ok()) << units.status().ToString();
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ(units->front().device, "/dev/sg3");
}

TEST(LibraryTsbconfTest, ErrorsNameTheLine) {
  auto missing = ParseLibrarySection(kConf, "t.conf", 2);
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  auto bad =
      ParseLibrarySection("[library.0]\nchanger = vtlib:/x\nbuffer-kb = lots\n", "t.conf", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("t.conf:3: [library.0] buffer-kb"), std::string::npos)
      << bad.status().ToString();
  auto no_changer = ParseLibrarySection("[library.0]\ndrive = /dev/sg1\n", "t.conf", 0);
  ASSERT_FALSE(no_changer.ok());
  EXPECT_NE(no_changer.status().message().find("t.conf:1: [library.0] changer: missing"),
            std::string::npos)
      << no_changer.status().ToString();
  auto device = ParseLibrarySection("[library.0]\ndevice = /dev/sg1\n", "t.conf", 0);
  EXPECT_FALSE(device.ok());
}

TEST(LibraryTsbconfTest, Names) {
  EXPECT_EQ(LibraryNumber("lib0"), 0);
  EXPECT_EQ(LibraryNumber("lib7"), 7);
  EXPECT_EQ(LibraryNumber("lib8"), std::nullopt);
  EXPECT_EQ(LibraryNumber("lib"), std::nullopt);
  EXPECT_EQ(LibraryNumber("rts0"), std::nullopt);
  EXPECT_FALSE(ResolveLibrary("lib9", "/nonexistent").ok());
  EXPECT_EQ(ResolveLibrary("lib0", "/nonexistent/t.conf").status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace tsfs::library
