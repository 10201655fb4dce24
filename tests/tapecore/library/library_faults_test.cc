// The library layer against the vtape library's faults: a robot that fails
// a move, a drive that will not unload, a cartridge missing from its slot,
// a write-protected cartridge, a cartridge without a barcode, a drive that
// goes away. Nothing is written to the wrong tape in any of them.
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

// gone=0@2: drive 0 stops answering once the robot has made two moves,
// while a file is being written through it.
TEST_F(LibraryFaultsTest, DriveGoneWhileAFileIsOpenOnIt) {
  auto lib = Open("gone=0@2");
  ASSERT_TRUE(lib);
  auto a = lib->Acquire("LIB001");  // drive 0 (move 1)
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_EQ(a->drive(), 0);
  ASSERT_TRUE(Append(a->unit(), 0x11).ok());
  ASSERT_TRUE(a->unit().OpenAppend().ok());
  {
    auto b = lib->Acquire("LIB002");  // drive 1 (move 2): drive 0 is gone now
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    ASSERT_TRUE(Append(b->unit(), 0x22).ok());
  }
  // The open file cannot be finished: its drive does not answer.
  std::vector<uint8_t> data(2048, 0x33);
  Status wrote = a->unit().Write(data);
  if (wrote.ok()) wrote = a->unit().Close();
  EXPECT_FALSE(wrote.ok());
  a->Release();
  // The next access takes drive 0 out (one line) and its cartridge home
  // (move 3); LIB002 leaves drive 1 (move 4), LIB001 comes in (move 5).
  auto again = lib->Acquire("LIB001");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->drive(), 1);
  EXPECT_EQ(lib->UsableDrives(), 1);
  EXPECT_EQ(lib->Stats().moves, 5u);
  EXPECT_TRUE(logger_.Contains("the drive at element 256 (vtlib:")) << logger_.Lines().size();
  EXPECT_TRUE(logger_.Contains(") is gone: it does not answer")) << logger_.Lines().size();
  EXPECT_TRUE(logger_.Contains("cartridge LIB001 was taken out of the drive at element 256"));
  auto catalog = again->unit().Catalog();
  ASSERT_TRUE(catalog.ok()) << catalog.status().ToString();
  EXPECT_EQ(catalog->size(), 1u);  // the file closed before the drive went
  ASSERT_TRUE(Append(again->unit(), 0x44).ok());
  again->Release();
  ASSERT_TRUE(lib->Close().ok());
  EXPECT_EQ(vtlib_->Stats().forced_unloads, 1u);  // the gone drive could not unload
  EXPECT_EQ(ObjectsOn("LIB001.tap"), 10u);        // 0x11 and 0x44, each 4 blocks and a filemark
  EXPECT_EQ(ObjectsOn("LIB002.tap"), 5u);
  EXPECT_EQ(ObjectsOn("LIB003.tap"), 0u);
}

// gone + stuck: the robot cannot take the cartridge out of the gone drive.
TEST_F(LibraryFaultsTest, DriveGoneWithACartridgeTheRobotCannotTakeOut) {
  auto lib = Open("gone=0@2&stuck=0");
  ASSERT_TRUE(lib);
  {
    auto a = lib->Acquire("LIB001");
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_EQ(a->drive(), 0);
    ASSERT_TRUE(Append(a->unit(), 0x11).ok());
  }
  {
    auto b = lib->Acquire("LIB002");
    ASSERT_TRUE(b.ok()) << b.status().ToString();
  }
  auto stuck = lib->Acquire("LIB001");
  EXPECT_EQ(stuck.status().code(), ErrorCode::kIo);
  EXPECT_NE(stuck.status().message().find("cannot take it out"), std::string::npos)
      << stuck.status().message();
  EXPECT_TRUE(logger_.Contains("cartridge LIB001 stays in the drive at element 256"));
  auto c = lib->Acquire("LIB003");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->drive(), 1);
  ASSERT_TRUE(Append(c->unit(), 0x33).ok());
  c->Release();
  EXPECT_EQ(lib->Acquire("LIB001").status().code(), ErrorCode::kIo);
  (void)lib->Close();
  EXPECT_EQ(ObjectsOn("LIB001.tap"), 5u);
  EXPECT_EQ(ObjectsOn("LIB002.tap"), 0u);
  EXPECT_EQ(ObjectsOn("LIB003.tap"), 5u);
}

// A drive that does not answer when the library is opened is not used.
TEST_F(LibraryFaultsTest, DriveGoneBeforeTheMount) {
  auto lib = Open("gone=1");
  ASSERT_TRUE(lib);
  EXPECT_EQ(lib->UsableDrives(), 1);
  EXPECT_TRUE(logger_.Contains(" drive 1 not used: ")) << logger_.Lines().size();
  for (const char* name : {"LIB001", "LIB002"}) {
    auto lease = lib->Acquire(name);
    ASSERT_TRUE(lease.ok()) << name << ": " << lease.status().ToString();
    EXPECT_EQ(lease->drive(), 0);
    ASSERT_TRUE(Append(lease->unit(), 0x55).ok());
  }
  ASSERT_TRUE(lib->Close().ok());
  EXPECT_EQ(ObjectsOn("LIB001.tap"), 5u);
  EXPECT_EQ(ObjectsOn("LIB002.tap"), 5u);
}

}  // namespace
}  // namespace tsfs::library
