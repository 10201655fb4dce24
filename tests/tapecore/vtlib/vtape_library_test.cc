// The vtape library: cartridge naming, options, strict SMC answers and its
// fault injection (a failing move, a drive that will not unload, a
// cartridge missing from its slot), the robot time and the move counter.
#include "tapecore/vtlib/vtape_library.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <map>
#include <memory>
#include <thread>
#include <vector>

#include "tapecore/smc/smc.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtlib/cartridge_dir.h"
#include "tests/support/temp_dir.h"

namespace tsfs::vtlib {
namespace {

using smc::ElementType;

class VtlibTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = testing::TempDir::Create("tsfs-vtlib-test");
    ASSERT_TRUE(d.ok());
    dir_ = std::move(d).value();
  }
  void Image(const std::string& name) {
    auto img = vtape::TapImage::Open(dir_.File(name), false, true);
    ASSERT_TRUE(img.ok()) << img.status().ToString();
  }
  std::shared_ptr<VtapeLibrary> Open(const std::string& options) {
    auto lib = VtapeLibrary::Open("vtlib:" + dir_.path() + (options.empty() ? "" : "?" + options));
    EXPECT_TRUE(lib.ok()) << lib.status().ToString();
    return lib.ok() ? *lib : nullptr;
  }
  testing::TempDir dir_;
};

TEST_F(VtlibTest, FileNamesGiveSlotsAndTags) {
  Image("BETA.tap");
  Image("ALPHA.tap");
  Image("004-GAMMA.tap");
  Image("002.tap");
  { std::ofstream(dir_.File("notes.txt")) << "ignored"; }
  auto layout = ScanCartridges(dir_.path(), 6);
  ASSERT_TRUE(layout.ok()) << layout.status().ToString();
  ASSERT_EQ(layout->cartridges.size(), 4u);
  EXPECT_EQ(layout->slots, 6);
  EXPECT_EQ(layout->cartridges[0].slot, 1);
  EXPECT_EQ(layout->cartridges[0].volume_tag, "ALPHA");
  EXPECT_EQ(layout->cartridges[1].slot, 2);
  EXPECT_FALSE(layout->cartridges[1].volume_tag.has_value());
  EXPECT_EQ(layout->cartridges[2].slot, 3);
  EXPECT_EQ(layout->cartridges[2].volume_tag, "BETA");
  EXPECT_EQ(layout->cartridges[3].slot, 4);
  EXPECT_EQ(layout->cartridges[3].volume_tag, "GAMMA");
  EXPECT_EQ(ScanCartridges(dir_.path(), 0)->slots, 4);
  EXPECT_EQ(ScanCartridges(dir_.path(), 3).status().code(), ErrorCode::kInvalidArgument);
}

TEST_F(VtlibTest, BadDirectoriesAreRefused) {
  EXPECT_EQ(ScanCartridges(dir_.File("nope"), 0).status().code(), ErrorCode::kNotFound);
  Image("001-A.tap");
  Image("001-B.tap");
  EXPECT_EQ(ScanCartridges(dir_.path(), 0).status().code(), ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ValidVolumeTag(std::string(33, 'A')));
  EXPECT_FALSE(ValidVolumeTag("A B"));
  EXPECT_TRUE(ValidVolumeTag("TS0001L6"));
}

TEST_F(VtlibTest, OptionsAreChecked) {
  EXPECT_TRUE(ParseVtlibSpec("vtlib:/x?drives=3&slots=9&ie=0&robot=5&failmove=2,4&stuck=1").ok());
  EXPECT_TRUE(ParseVtlibSpec("vtlib:/x?rate=40&drivebuf=4M&pace")->pace);
  auto gone = ParseVtlibSpec("vtlib:/x?drives=3&gone=0@2,2");
  ASSERT_TRUE(gone.ok()) << gone.status().ToString();
  EXPECT_EQ(gone->gone_drives, (std::map<int, uint64_t>{{0, 2}, {2, 0}}));
  for (const char* bad :
       {"vtlib:", "vtlib:/x?drives=0", "vtlib:/x?drives=x", "vtlib:/x?bogus=1", "vtlib:/x?stuck=2",
        "vtlib:/x?failmove=", "vtlib:/x?ro", "vtlib:/x?pace=1", "/x", "vtlib:/x?gone=2",
        "vtlib:/x?gone=0@0", "vtlib:/x?gone=0@", "vtlib:/x?gone=@1"}) {
    EXPECT_EQ(ParseVtlibSpec(bad).status().code(), ErrorCode::kInvalidArgument) << bad;
  }
  Image("A.tap");
  EXPECT_EQ(VtapeLibrary::Open("vtlib:" + dir_.path() + "?missing=NOPE").status().code(),
            ErrorCode::kInvalidArgument);
}

TEST_F(VtlibTest, ImportExportAndStrictAddresses) {
  Image("A.tap");
  auto lib = Open("drives=1&slots=2&ie=1");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  ASSERT_EQ(inv->import_export.size(), 1u);
  EXPECT_FALSE(inv->import_export[0].full);
  const uint16_t picker = inv->transports[0].address;
  ASSERT_TRUE(smc.MoveMedium(picker, inv->storage[0].address, inv->import_export[0].address).ok());
  inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok());
  EXPECT_TRUE(inv->import_export[0].full);
  EXPECT_EQ(inv->import_export[0].volume_tag, "A");
  // A picker that is not ours, and the picker as a source.
  Status st = smc.MoveMedium(0x0999, inv->import_export[0].address, inv->storage[0].address);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kIllegalRequest, 0x21, 0x01)) << st.ToString();
  st = smc.MoveMedium(picker, picker, inv->storage[0].address);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kIllegalRequest, 0x21, 0x01)) << st.ToString();
  // READ ELEMENT STATUS from an address that is no element.
  auto r = smc.ReadElementStatus(ElementType::kStorage, 0x0999, 1, true, true, 1024);
  EXPECT_TRUE(r.status().sense() && r.status().sense()->Is(SenseKey::kIllegalRequest, 0x21, 0x01));
  // A small allocation length cuts the report; the parser says so.
  auto cut =
      smc.ReadElementStatus(ElementType::kStorage, inv->storage[0].address, 2, true, true, 50);
  ASSERT_TRUE(cut.ok()) << cut.status().ToString();
  EXPECT_TRUE(cut->truncated);
  EXPECT_EQ(cut->elements.size(), 0u);
  EXPECT_EQ(lib->Stats().moves, 1u);
  EXPECT_EQ(lib->Stats().failed_moves, 2u);
}

TEST_F(VtlibTest, FailingMoveLeavesTheCartridgeWhereItWas) {
  Image("A.tap");
  auto lib = Open("drives=1&failmove=1&robot=20");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok());
  const uint16_t picker = inv->transports[0].address;
  Status st = smc.MoveMedium(picker, inv->storage[0].address, inv->drives[0].address);
  ASSERT_TRUE(st.sense() && st.sense()->Is(SenseKey::kHardwareError, 0x15, 0x01)) << st.ToString();
  EXPECT_EQ(st.message(), "Hardware error on move medium");
  inv = smc.ReadAllElements();
  EXPECT_TRUE(inv->storage[0].full);
  EXPECT_FALSE(inv->drives[0].full);
  EXPECT_EQ(lib->Stats().robot_seconds, 0);
  // The second move works and takes the robot time.
  const auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(smc.MoveMedium(picker, inv->storage[0].address, inv->drives[0].address).ok());
  EXPECT_GE(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(20));
  EXPECT_DOUBLE_EQ(lib->Stats().robot_seconds, 0.02);
  EXPECT_EQ(lib->Stats().moves, 1u);
  EXPECT_EQ(lib->Stats().failed_moves, 1u);
}

TEST_F(VtlibTest, StuckDriveAndPreventedRemoval) {
  Image("A.tap");
  Image("B.tap");
  auto lib = Open("drives=2&stuck=0");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok());
  const uint16_t picker = inv->transports[0].address;
  const uint16_t d0 = inv->drives[0].address, d1 = inv->drives[1].address;
  ASSERT_TRUE(smc.MoveMedium(picker, inv->storage[0].address, d0).ok());
  ASSERT_TRUE(smc.MoveMedium(picker, inv->storage[1].address, d1).ok());
  auto t0 = lib->OpenDrive(0);
  auto t1 = lib->OpenDrive(1);
  Ssc s0(**t0), s1(**t1);
  (void)s0.TestUnitReady();  // the UNIT ATTENTION of the new cartridge
  (void)s1.TestUnitReady();
  Status st = s0.LoadUnload(false, false);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kHardwareError, 0x53, 0x00)) << st.ToString();
  st = smc.MoveMedium(picker, d0, inv->storage[0].address);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kHardwareError, 0x53, 0x00)) << st.ToString();
  // Drive 1: the host prevents removal.
  ASSERT_TRUE(s1.PreventAllowMediumRemoval(true).ok());
  st = smc.MoveMedium(picker, d1, inv->storage[1].address);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kIllegalRequest, 0x53, 0x02)) << st.ToString();
  ASSERT_TRUE(s1.PreventAllowMediumRemoval(false).ok());
  // Not unloaded by the host: the robot unloads it and counts it.
  ASSERT_TRUE(smc.MoveMedium(picker, d1, inv->storage[1].address).ok());
  EXPECT_EQ(lib->Stats().forced_unloads, 1u);
  inv = smc.ReadAllElements();
  EXPECT_TRUE(inv->drives[0].full);
  EXPECT_TRUE(inv->storage[1].full);
}

TEST_F(VtlibTest, MissingCartridgeIsFoundOnTheFirstPick) {
  Image("A.tap");
  Image("B.tap");
  auto lib = Open("drives=1&missing=B");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok());
  ASSERT_TRUE(inv->storage[1].full);  // the inventory still lists it
  const Status st =
      smc.MoveMedium(inv->transports[0].address, inv->storage[1].address, inv->drives[0].address);
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kIllegalRequest, 0x3B, 0x0E)) << st.ToString();
  inv = smc.ReadAllElements();
  EXPECT_FALSE(inv->storage[1].full);
  EXPECT_TRUE(inv->storage[1].except);
  EXPECT_FALSE(inv->drives[0].full);
}

TEST_F(VtlibTest, DriveBecomesReadyAfterLoadTime) {
  Image("A.tap");
  auto lib = Open("drives=1&loadms=100");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok());
  auto drive = lib->OpenDrive(0);
  Ssc ssc(**drive);
  Status st = ssc.TestUnitReady();
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kNotReady, 0x3A, 0x00)) << st.ToString();
  ASSERT_TRUE(
      smc.MoveMedium(inv->transports[0].address, inv->storage[0].address, inv->drives[0].address)
          .ok());
  st = ssc.TestUnitReady();
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kNotReady, 0x04, 0x01)) << st.ToString();
  std::this_thread::sleep_for(std::chrono::milliseconds(120));
  st = ssc.TestUnitReady();
  EXPECT_TRUE(st.sense() && st.sense()->Is(SenseKey::kUnitAttention, 0x28, 0x00)) << st.ToString();
  EXPECT_TRUE(ssc.TestUnitReady().ok());
}

// pace: every drive streams at `rate` on its own (a drive model and a lock
// each), so two drives writing at once take the time one takes alone.
TEST_F(VtlibTest, PacedDrivesStreamAtTheirRateEachAtOnce) {
  Image("A.tap");
  Image("B.tap");
  // 2 MB/s and a 256 KiB drive buffer: 2 MiB take at least 0.9 s.
  auto lib = Open("drives=2&rate=2&drivebuf=256K&pace");
  ASSERT_TRUE(lib);
  auto changer = lib->OpenChanger();
  smc::Smc smc(*changer);
  auto inv = smc.ReadAllElements();
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  std::vector<std::unique_ptr<Transport>> transports;
  std::vector<std::unique_ptr<Ssc>> drives;
  for (size_t d = 0; d < 2; ++d) {
    ASSERT_TRUE(
        smc.MoveMedium(inv->transports[0].address, inv->storage[d].address, inv->drives[d].address)
            .ok());
    auto transport = lib->OpenDrive(static_cast<int>(d));
    ASSERT_TRUE(transport.ok()) << transport.status().ToString();
    transports.push_back(std::move(transport).value());
    drives.push_back(std::make_unique<Ssc>(*transports.back()));
    (void)drives.back()->TestUnitReady();  // UNIT ATTENTION 28/00: a cartridge was put in
    ASSERT_TRUE(drives.back()->TestUnitReady().ok());
  }
  constexpr size_t kBytes = 2u << 20;
  constexpr double kAtLeast = (kBytes - (256u << 10)) / 2e6;
  auto write = [&](Ssc& ssc) {
    const std::vector<uint8_t> chunk(64u << 10, 0x5A);
    for (size_t done = 0; done < kBytes; done += chunk.size()) {
      auto w = ssc.Write(chunk, 0);
      if (!w.ok()) {
        ADD_FAILURE() << w.status().ToString();
        return false;
      }
    }
    return true;
  };
  auto seconds_since = [](std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };

  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(write(*drives[0]));
  const double alone = seconds_since(t0);
  EXPECT_GE(alone, kAtLeast);

  t0 = std::chrono::steady_clock::now();
  bool ok1 = false;
  std::thread other([&] { ok1 = write(*drives[1]); });
  const bool ok0 = write(*drives[0]);
  other.join();
  const double both = seconds_since(t0);
  EXPECT_TRUE(ok0 && ok1);
  EXPECT_GE(both, kAtLeast);
  // One after the other would take twice kAtLeast.
  EXPECT_LT(both, 1.6 * kAtLeast) << "alone " << alone << " s";
}

}  // namespace
}  // namespace tsfs::vtlib
