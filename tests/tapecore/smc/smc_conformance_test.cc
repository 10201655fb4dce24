// The SMC conformance suite: the same cases on the vtape library (the
// reference: strict SMC-3) and on tgtd's virtual tape library. Where tgtd
// answers otherwise, the case asserts tgtd's answer as TARGETS.md lists it
// and reports it with a "[deviation]" line.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tapecore/scsi/sense.h"
#include "tapecore/smc/smc.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/targets.h"
#include "tests/support/test_library.h"

namespace tsfs {
namespace {

using smc::ElementStatus;
using smc::ElementType;
using testing::LibraryKind;

class SmcConformanceTest : public ::testing::TestWithParam<LibraryKind> {
 protected:
  bool tgtd() const { return GetParam() == LibraryKind::kTgtd; }

  void SetUp() override {
    auto lib = testing::StartTestLibrary(GetParam());
    if (!lib.ok()) {
      if (lib.status().code() == ErrorCode::kNotFound && !testing::InCi()) {
        GTEST_SKIP() << lib.status().ToString();
      }
      FAIL() << lib.status().ToString();
    }
    lib_ = std::move(lib).value();
    auto changer = lib_->OpenChanger();
    ASSERT_TRUE(changer.ok()) << changer.status().ToString();
    changer_ = std::move(changer).value();
    smc_ = std::make_unique<smc::Smc>(*changer_);
    // A new session may open with UNIT ATTENTION (power on): clear it.
    for (int i = 0; i < 3 && !smc_->TestUnitReady().ok(); ++i) {
    }
    ASSERT_TRUE(smc_->TestUnitReady().ok());
  }

  void Deviation(const std::string& what) {
    std::printf("[deviation] %s: %s\n", testing::LibraryKindName(GetParam()), what.c_str());
    RecordProperty("deviation", what);
  }

  smc::Inventory Inventory() {
    auto inv = smc_->ReadAllElements();
    EXPECT_TRUE(inv.ok()) << inv.status().ToString();
    return inv.ok() ? std::move(inv).value() : smc::Inventory{};
  }

  // Waits until the drive answers TEST UNIT READY with GOOD (after UNIT
  // ATTENTION and NOT READY 04/01 while it becomes ready).
  Status WaitReady(Transport& drive) {
    Ssc ssc(drive);
    Status last;
    for (int i = 0; i < 200; ++i) {
      last = ssc.TestUnitReady();
      if (last.ok()) return last;
      const SenseData* s = last.sense();
      if (s == nullptr) return last;
      if (s->key == SenseKey::kNotReady && s->asc == 0x3A) return last;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return last;
  }

  std::unique_ptr<testing::TestLibrary> lib_;
  std::unique_ptr<Transport> changer_;
  std::unique_ptr<smc::Smc> smc_;
};

TEST_P(SmcConformanceTest, InquiryIsAChangerAndADriveIsNot) {
  auto inq = smc_->Inquiry();
  ASSERT_TRUE(inq.ok()) << inq.status().ToString();
  EXPECT_EQ(inq->device_type, 0x08);
  EXPECT_TRUE(smc::CheckChangerDevice(*inq).ok());
  auto drive = lib_->OpenDrive(0);
  ASSERT_TRUE(drive.ok());
  smc::Smc on_drive(**drive);
  auto dinq = on_drive.Inquiry();
  ASSERT_TRUE(dinq.ok()) << dinq.status().ToString();
  const Status st = smc::CheckChangerDevice(*dinq);
  EXPECT_EQ(st.code(), ErrorCode::kNotChanger);
  EXPECT_NE(st.message().find("not a media changer: peripheral device type 0x01 (tape)"),
            std::string::npos)
      << st.message();
}

TEST_P(SmcConformanceTest, ElementAddressAssignment) {
  auto a = smc_->ElementAddresses();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->transport.count, 1);
  EXPECT_EQ(a->storage.count, 8);
  EXPECT_EQ(a->import_export.count, 0);
  EXPECT_EQ(a->data_transfer.count, 2);
}

TEST_P(SmcConformanceTest, InventoryHasTagsAndDriveIdentifiers) {
  const smc::Inventory inv = Inventory();
  ASSERT_EQ(inv.storage.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    const ElementStatus& e = inv.storage[i];
    EXPECT_EQ(e.type, ElementType::kStorage);
    if (i < 6) {
      EXPECT_TRUE(e.full) << i;
      EXPECT_EQ(e.volume_tag, lib_->barcode(i)) << i;
    } else {
      EXPECT_FALSE(e.full) << i;
      EXPECT_FALSE(e.volume_tag.has_value()) << i;
    }
  }
  ASSERT_EQ(inv.transports.size(), 1u);
  ASSERT_EQ(inv.drives.size(), 2u);
  for (int d = 0; d < 2; ++d) {
    const ElementStatus& e = inv.drives[d];
    EXPECT_FALSE(e.full);
    if (tgtd() && d == 1) {
      // The last descriptor of every answer is 8 bytes short: the end of its
      // identifier is missing, so it has none.
      EXPECT_FALSE(e.device.has_value());
      Deviation(
          "READ ELEMENT STATUS transfers 8 bytes less than it reports: the last "
          "descriptor is cut (its device identifier is lost)");
      continue;
    }
    ASSERT_TRUE(e.device.has_value()) << d;
    auto drive = lib_->OpenDrive(d);
    ASSERT_TRUE(drive.ok());
    Ssc ssc(**drive);
    auto serial = ssc.UnitSerialNumber();
    ASSERT_TRUE(serial.ok()) << serial.status().ToString();
    ASSERT_FALSE(serial->empty());
    // The element's identifier names the drive behind it (T10 vendor ID
    // format: vendor, product, serial number).
    EXPECT_EQ(e.device->identifier_type, 1) << d;
    EXPECT_NE(e.device->identifier.find(*serial), std::string::npos)
        << e.device->identifier << " vs " << *serial;
  }
}

TEST_P(SmcConformanceTest, MoveIntoADriveAndBack) {
  smc::Inventory inv = Inventory();
  ASSERT_EQ(inv.storage.size(), 8u);
  const uint16_t picker = inv.transports[0].address;
  const uint16_t slot = inv.storage[2].address;
  const uint16_t drive = inv.drives[1].address;
  ASSERT_TRUE(smc_->MoveMedium(picker, slot, drive).ok());
  inv = Inventory();
  EXPECT_FALSE(inv.storage[2].full);
  ASSERT_TRUE(inv.drives[1].full);
  EXPECT_EQ(inv.drives[1].volume_tag, lib_->barcode(2));
  EXPECT_EQ(inv.drives[1].source, slot);

  auto t = lib_->OpenDrive(1);
  ASSERT_TRUE(t.ok());
  ASSERT_TRUE(WaitReady(**t).ok());
  Ssc ssc(**t);
  ASSERT_TRUE(ssc.ModeSelectBlockLength(512).ok());
  std::vector<uint8_t> block(512, 0x5A);
  ASSERT_TRUE(ssc.Write(block, 512).ok());
  ASSERT_TRUE(ssc.WriteFilemarks(1).ok());
  ASSERT_TRUE(ssc.Rewind().ok());
  ASSERT_TRUE(ssc.LoadUnload(false, false).ok());

  ASSERT_TRUE(smc_->MoveMedium(picker, drive, slot).ok());
  inv = Inventory();
  EXPECT_TRUE(inv.storage[2].full);
  EXPECT_EQ(inv.storage[2].volume_tag, lib_->barcode(2));
  EXPECT_FALSE(inv.drives[1].full);
  const Status empty = ssc.TestUnitReady();
  ASSERT_NE(empty.sense(), nullptr) << empty.ToString();
  EXPECT_TRUE(empty.sense()->Is(SenseKey::kNotReady, 0x3A, 0x00)) << empty.ToString();

  // The block written went with the cartridge: load it into the other drive.
  ASSERT_TRUE(smc_->MoveMedium(picker, slot, inv.drives[0].address).ok());
  auto t0 = lib_->OpenDrive(0);
  ASSERT_TRUE(t0.ok());
  ASSERT_TRUE(WaitReady(**t0).ok());
  Ssc ssc0(**t0);
  ASSERT_TRUE(ssc0.ModeSelectBlockLength(512).ok());
  std::vector<uint8_t> back(512);
  auto r = ssc0.Read(back, 512);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(back, block);
  ASSERT_TRUE(ssc0.LoadUnload(false, false).ok());
  ASSERT_TRUE(smc_->MoveMedium(picker, inv.drives[0].address, slot).ok());
}

TEST_P(SmcConformanceTest, MoveErrorsHaveSenseInTsWords) {
  const smc::Inventory inv = Inventory();
  ASSERT_EQ(inv.storage.size(), 8u);
  const uint16_t picker = inv.transports[0].address;
  // Source empty.
  Status st = smc_->MoveMedium(picker, inv.storage[7].address, inv.drives[0].address);
  ASSERT_NE(st.sense(), nullptr) << st.ToString();
  EXPECT_TRUE(st.sense()->Is(SenseKey::kIllegalRequest, 0x3B, 0x0E)) << st.ToString();
  EXPECT_EQ(st.message(), "Illegal request on move medium");
  // Destination full.
  st = smc_->MoveMedium(picker, inv.storage[0].address, inv.storage[1].address);
  ASSERT_NE(st.sense(), nullptr) << st.ToString();
  EXPECT_TRUE(st.sense()->Is(SenseKey::kIllegalRequest, 0x3B, 0x0D)) << st.ToString();
  // No such element.
  st = smc_->MoveMedium(picker, 0x7777, inv.drives[0].address);
  ASSERT_NE(st.sense(), nullptr) << st.ToString();
  if (tgtd()) {
    EXPECT_TRUE(st.sense()->Is(SenseKey::kIllegalRequest, 0x24, 0x00)) << st.ToString();
    Deviation("MOVE MEDIUM from a non-existent element: ILLEGAL REQUEST 24/00, not 21/01");
  } else {
    EXPECT_TRUE(st.sense()->Is(SenseKey::kIllegalRequest, 0x21, 0x01)) << st.ToString();
  }
  // Nothing moved.
  const smc::Inventory after = Inventory();
  for (size_t i = 0; i < after.storage.size(); ++i) {
    EXPECT_EQ(after.storage[i].full, inv.storage[i].full) << i;
  }
}

TEST_P(SmcConformanceTest, InitializeElementStatusAndPrevent) {
  const Status init = smc_->InitializeElementStatus();
  EXPECT_TRUE(init.ok()) << init.ToString();
  const Status prevent = smc_->PreventAllowMediumRemoval(true);
  if (tgtd()) {
    EXPECT_EQ(prevent.code(), ErrorCode::kUnsupported) << prevent.ToString();
    Deviation("PREVENT ALLOW MEDIUM REMOVAL on the changer: ILLEGAL REQUEST 20/00");
  } else {
    EXPECT_TRUE(prevent.ok()) << prevent.ToString();
    EXPECT_TRUE(smc_->PreventAllowMediumRemoval(false).ok());
  }
}

TEST_P(SmcConformanceTest, LargeAllocationAndAllTypesAtOnce) {
  auto a = smc_->ElementAddresses();
  ASSERT_TRUE(a.ok());
  auto big = smc_->ReadElementStatus(ElementType::kStorage, a->storage.first, a->storage.count,
                                     true, false, 8192);
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->elements.size(), 8u);
  // Element type 0: every element in one answer.
  auto all = smc_->ReadElementStatus(ElementType::kAll, a->transport.first, 100, true, false, 4096);
  if (tgtd()) {
    // The pages after the first overlap: the parser finds a page header
    // with element type 0 and refuses the answer.
    EXPECT_EQ(all.status().code(), ErrorCode::kIo) << all.status().ToString();
    Deviation("READ ELEMENT STATUS of element type 0 (all): malformed pages (" +
              all.status().message() + ")");
  } else {
    ASSERT_TRUE(all.ok()) << all.status().ToString();
    EXPECT_EQ(all->elements.size(), 1u + 8u + 2u);
  }
}

INSTANTIATE_TEST_SUITE_P(Libraries, SmcConformanceTest,
                         ::testing::Values(LibraryKind::kVtlib, LibraryKind::kTgtd),
                         [](const auto& info) { return testing::LibraryKindName(info.param); });

}  // namespace
}  // namespace tsfs
