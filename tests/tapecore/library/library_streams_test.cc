// Two cartridges in two drives stream at the same time: each lease's unit
// is used outside the library's lock. Prints the aggregate rate against one
// drive alone (no bound asserted: this machine's two cores are shared).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "tapecore/library/tape_library.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtlib/vtape_library.h"
#include "tests/support/temp_dir.h"

namespace tsfs::library {
namespace {

constexpr size_t kBytes = 32u << 20;

class LibraryStreamsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = testing::TempDir::Create("tsfs-libstream");
    ASSERT_TRUE(d.ok());
    dir_ = std::move(d).value();
    for (const char* name : {"LIB001.tap", "LIB002.tap", "LIB003.tap"}) {
      ASSERT_TRUE(vtape::TapImage::Open(dir_.File(name), false, true).ok());
    }
    LibraryConfig config;
    config.changer = "vtlib:" + dir_.path() + "?drives=2&capacity=200M";
    auto lib = TapeLibrary::Open(config, logger_);
    ASSERT_TRUE(lib.ok()) << lib.status().ToString();
    lib_ = std::move(lib).value();
  }

  // Writes kBytes as one tape file on `name`; returns the seconds it took.
  double Stream(const std::string& name, uint8_t fill, Status* result) {
    const auto t0 = std::chrono::steady_clock::now();
    auto lease = lib_->Acquire(name);
    if (!lease.ok()) {
      *result = lease.status();
      return 0;
    }
    TapeUnit& unit = lease->unit();
    auto index = unit.OpenAppend();
    if (!index.ok()) {
      *result = index.status();
      return 0;
    }
    std::vector<uint8_t> chunk(1u << 20, fill);
    for (size_t done = 0; done < kBytes && result->ok(); done += chunk.size()) {
      *result = unit.Write(chunk);
    }
    if (result->ok()) *result = unit.Close();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  testing::TempDir dir_;
  CapturingLogger logger_;
  std::unique_ptr<TapeLibrary> lib_;
};

TEST_F(LibraryStreamsTest, TwoDrivesStreamAtTheSameTime) {
  // Both cartridges loaded first, so the timing is the data path only.
  for (const char* name : {"LIB001", "LIB002"}) {
    auto lease = lib_->Acquire(name);
    ASSERT_TRUE(lease.ok()) << lease.status().ToString();
  }
  Status alone;
  const double single = Stream("LIB003", 0x03, &alone);
  ASSERT_TRUE(alone.ok()) << alone.ToString();  // LIB003 took the place of LIB001
  Status a, b;
  double ta = 0, tb = 0;
  const auto t0 = std::chrono::steady_clock::now();
  std::thread first([&] { ta = Stream("LIB002", 0x02, &a); });
  std::thread second([&] { tb = Stream("LIB003", 0x13, &b); });
  first.join();
  second.join();
  const double both = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_TRUE(a.ok()) << a.ToString();
  ASSERT_TRUE(b.ok()) << b.ToString();
  std::printf("[bench] one drive %.1f MB/s, two drives %.1f MB/s together (%.2fx)\n",
              kBytes / single / 1e6, 2 * kBytes / both / 1e6, single * 2 / both);
  ASSERT_TRUE(lib_->Close().ok());
  auto img2 = vtape::TapImage::Open(dir_.File("LIB002.tap"), true, false);
  auto img3 = vtape::TapImage::Open(dir_.File("LIB003.tap"), true, false);
  ASSERT_TRUE(img2.ok() && img3.ok());
  EXPECT_EQ((*img2)->DataBytesBefore((*img2)->size()), kBytes);
  EXPECT_EQ((*img3)->DataBytesBefore((*img3)->size()), 2 * kBytes);
}

}  // namespace
}  // namespace tsfs::library
