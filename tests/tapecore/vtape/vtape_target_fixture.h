// The fixture of the raw-CDB tests of the vtape SSC target
// (vtape_target_*_test.cc): a tape image made in the test, opened as a
// RawTape, and the sense check every case uses.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::vtape::target_testing {

using testing::Answer;
using testing::RawTape;
using testing::ReadFileBytes;
using testing::TapBytes;
using testing::TempDir;

class VtapeTargetTest : public ::testing::Test {
 protected:
  std::unique_ptr<RawTape> Open(const std::string& options = "", const TapBytes& image = {}) {
    image.WriteTo(path_);
    auto t = std::make_unique<RawTape>("vtape:" + path_ + (options.empty() ? "" : "?" + options));
    EXPECT_TRUE(t->ok());
    return t;
  }
  // BOT: A0 A1 A2 FM B0 B1 FM (fixed 512 data), the tape in fixed-512 mode.
  std::unique_ptr<RawTape> TwoFiles(const std::string& options = "") {
    TapBytes b;
    b.Record(512, 0xA0)
        .Record(512, 0xA1)
        .Record(512, 0xA2)
        .Mark()
        .Record(512, 0xB0)
        .Record(512, 0xB1)
        .Mark();
    auto t = Open(options, b);
    EXPECT_TRUE(t->SetBlockLength(512).good());
    return t;
  }
  static void ExpectSense(const Answer& a, SenseKey key, uint8_t asc, uint8_t ascq) {
    EXPECT_EQ(a.status, kScsiCheckCondition);
    EXPECT_EQ(a.sense.key, key);
    EXPECT_EQ(a.sense.asc, asc);
    EXPECT_EQ(a.sense.ascq, ascq);
  }

  TempDir dir_;
  std::string path_ = dir_.File("t.tap");
};

}  // namespace tsfs::vtape::target_testing
