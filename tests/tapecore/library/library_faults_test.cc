// The library layer against the vtape library's faults: a robot that fails
// a move, a drive that will not unload, a cartridge missing from its slot,
// a write-protected cartridge, a cartridge without a barcode. Nothing is
// written to the wrong tape in any of them.
#include <gtest/gtest.h>

#include "tapecore/library/tape_library.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtlib/vtape_library.h"
#include "tests/support/temp_dir.h"

namespace tsfs::library {
namespace {

class LibraryFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = testing::TempDir::Create("tsfs-libfault");
    ASSERT_TRUE(d.ok());
    dir_ = std::move(d).value();
    for (const char* name : {"LIB001.tap", "LIB002.tap", "LIB003.tap", "004.tap"}) {
      ASSERT_TRUE(vtape::TapImage::Open(dir_.File(name), false, true).ok());
    }
  }

  std::unique_ptr<TapeLibrary> Open(const std::string& options) {
    LibraryConfig config;
    config.changer = "vtlib:" + dir_.path() + "?drives=2&slots=6&" + options;
    config.busy_wait = std::chrono::milliseconds(200);
    config.ready_timeout = std::chrono::seconds(10);
    auto lib = vtlib::VtapeLibrary::Open(config.changer);
    EXPECT_TRUE(lib.ok()) << lib.status().ToString();
    if (!lib.ok()) return nullptr;
    vtlib_ = *lib;
    std::vector<std::unique_ptr<Transport>> drives;
    for (int i = 0; i < vtlib_->drive_count(); ++i) drives.push_back(vtlib_->OpenDrive(i).value());
    auto opened = TapeLibrary::Open(config, vtlib_->OpenChanger(), std::move(drives), logger_);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  static Status Append(TapeUnit& unit, uint8_t fill) {
    auto index = unit.OpenAppend();
    if (!index.ok()) return index.status();
    std::vector<uint8_t> data(2048, fill);
    TSFS_RETURN_IF_ERROR(unit.Write(data));
    return unit.Close();
  }

  // The files on an image, read directly.
  uint64_t ObjectsOn(const std::string& name) {
    auto img = vtape::TapImage::Open(dir_.File(name), true, false);
    EXPECT_TRUE(img.ok());
    return img.ok() ? (*img)->size() : 0;
  }

  testing::TempDir dir_;
  std::shared_ptr<vtlib::VtapeLibrary> vtlib_;
  CapturingLogger logger_;
};

TEST_F(LibraryFaultsTest, RobotFailureLeavesTheCartridgeWhereTheChangerSays) {
  auto lib = Open("failmove=1");
  ASSERT_TRUE(lib);
  auto lease = lib->Acquire("LIB002");
  ASSERT_FALSE(lease.ok());
  EXPECT_EQ(lease.status().message(), "Hardware error on move medium");
  EXPECT_TRUE(logger_.Contains("Hardware error on move medium")) << logger_.Lines().size();
  for (const CartridgeInfo& c : lib->Cartridges()) EXPECT_EQ(c.location, c.home) << c.name;
  // The robot works again: the next access loads it.
  auto again = lib->Acquire("LIB002");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  ASSERT_TRUE(Append(again->unit(), 0x22).ok());
  again->Release();
  ASSERT_TRUE(lib->Close().ok());
  EXPECT_EQ(ObjectsOn("LIB002.tap"), 5u);  // 4 blocks and a filemark
  EXPECT_EQ(ObjectsOn("LIB001.tap"), 0u);
}

TEST_F(LibraryFaultsTest, StuckDriveIsTakenOutAndTheOtherServes) {
  auto lib = Open("stuck=0");
  ASSERT_TRUE(lib);
  {
    auto a = lib->Acquire("LIB001");  // the first free drive: drive 0, the stuck one
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    auto b = lib->Acquire("LIB002");
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    ASSERT_NE(a->drive(), b->drive());
    a->Release();  // LIB001's drive is now the least recently used
    b->Release();
  }
  // LIB001 (least recently used) is in the stuck drive: its unload fails, the
  // drive leaves the pool, LIB002 goes home and LIB003 takes its drive.
  auto c = lib->Acquire("LIB003");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(lib->UsableDrives(), 1);
  ASSERT_TRUE(Append(c->unit(), 0x33).ok());
  c->Release();
  // LIB001 is stuck in a drive that is out of use.
  EXPECT_EQ(lib->Acquire("LIB001").status().code(), ErrorCode::kIo);
  auto d = lib->Acquire("LIB002");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  d->Release();
  (void)lib->Close();
  EXPECT_EQ(ObjectsOn("LIB003.tap"), 5u);
  EXPECT_EQ(ObjectsOn("LIB002.tap"), 0u);
}

TEST_F(LibraryFaultsTest, MissingCartridgeIsAnErrorAndLeavesTheList) {
  auto lib = Open("missing=LIB003");
  ASSERT_TRUE(lib);
  auto lease = lib->Acquire("LIB003");
  ASSERT_FALSE(lease.ok());
  bool listed = false;
  for (const CartridgeInfo& c : lib->Cartridges()) listed = listed || c.name == "LIB003";
  EXPECT_FALSE(listed);
  EXPECT_EQ(lib->Acquire("LIB003").status().code(), ErrorCode::kNotFound);
}

TEST_F(LibraryFaultsTest, WriteProtectedCartridge) {
  auto lib = Open("ro=LIB001");
  ASSERT_TRUE(lib);
  auto lease = lib->Acquire("LIB001");
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  EXPECT_EQ(Append(lease->unit(), 0x11).code(), ErrorCode::kReadOnly);
  lease->Release();
  (void)lib->Close();
  EXPECT_EQ(ObjectsOn("LIB001.tap"), 0u);
}

TEST_F(LibraryFaultsTest, CartridgeWithoutBarcodeIsNamedBySlot) {
  auto lib = Open("");
  ASSERT_TRUE(lib);
  bool found = false;
  for (const CartridgeInfo& c : lib->Cartridges()) {
    if (c.name == "slot004") {
      found = true;
      EXPECT_FALSE(c.volume_tag.has_value());
    }
  }
  ASSERT_TRUE(found);
  auto lease = lib->Acquire("slot004");
  ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  ASSERT_TRUE(Append(lease->unit(), 0x44).ok());
  // In the drive it is still slot004 (named by its home slot).
  bool in_drive = false;
  for (const CartridgeInfo& c : lib->Cartridges())
    in_drive = in_drive || (c.name == "slot004" && c.drive >= 0);
  EXPECT_TRUE(in_drive);
  lease->Release();
  ASSERT_TRUE(lib->Close().ok());
  EXPECT_EQ(ObjectsOn("004.tap"), 5u);
}

}  // namespace
}  // namespace tsfs::library
