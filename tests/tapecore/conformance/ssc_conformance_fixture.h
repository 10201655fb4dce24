// The fixture of the SSC conformance suite (ssc_conformance_*_test.cc): the
// targets, the connection and the raw CDB helpers every case uses. The
// suite is instantiated once, in ssc_conformance_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <cstdio>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/source/open_source.h"
#include "tapecore/ssc/cdb.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/vtape/vtape_transport.h"
#include "tests/support/targets.h"
#include "tests/support/temp_dir.h"

namespace tsfs::conformance_testing {

enum class Target { kVtape, kTgtd, kIstgt };

inline const char* TargetName(Target t) {
  switch (t) {
    case Target::kVtape:
      return "vtape";
    case Target::kTgtd:
      return "tgtd";
    case Target::kIstgt:
      return "istgt";
  }
  return "?";
}

// Readable test names in ctest ("GetParam() = tgtd").
inline void PrintTo(Target t, std::ostream* os) { *os << TargetName(t); }

using Starter = Result<std::unique_ptr<testing::TapeTarget>> (*)(const testing::TargetOptions&);

inline Starter StarterFor(Target t) {
  return t == Target::kTgtd ? testing::StartTgtd : testing::StartIstgt;
}

// Blocks with recognisable contents: block i is filled with first + i.
inline std::vector<uint8_t> Blocks(int n, uint8_t first) {
  std::vector<uint8_t> d(static_cast<size_t>(n) * 512);
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i / 512);
  return d;
}

struct RawAnswer {
  uint8_t status = 0xFF;
  SenseData sense;
  bool check() const { return status == kScsiCheckCondition; }
};

class SscConformanceTest : public ::testing::TestWithParam<Target> {
 protected:
  Target target() const { return GetParam(); }
  bool vtape() const { return target() == Target::kVtape; }
  bool tgtd() const { return target() == Target::kTgtd; }
  bool istgt() const { return target() == Target::kIstgt; }

  // Opens the transport to the started target (or a fresh vtape) and makes
  // it ready: UNIT ATTENTION cleared, fixed 512-byte blocks.
  void Connect(const testing::TargetOptions& options) {
    if (vtape()) {
      auto dir = testing::TempDir::Create("tsfs-conformance");
      ASSERT_TRUE(dir.ok()) << dir.status().ToString();
      dir_ = std::move(dir).value();
      const std::string path = dir_.File("tape.tap");
      std::FILE* f = std::fopen(path.c_str(), "w");
      ASSERT_NE(f, nullptr);
      std::fclose(f);
      std::string spec = "vtape:" + path + "?capacity=" + std::to_string(options.size_mb) + "M";
      if (options.size_mb < 8) spec += "&ew=256K";
      if (options.read_only) spec += "&ro";
      auto t = OpenSource(spec);
      ASSERT_TRUE(t.ok()) << t.status().ToString();
      transport_ = std::move(t).value();
    } else {
      auto t = OpenSource(real_->uri());
      ASSERT_TRUE(t.ok()) << t.status().ToString();
      transport_ = std::move(t).value();
    }
    ssc_ = std::make_unique<Ssc>(*transport_);
    Status ready;
    for (int i = 0; i < 4; ++i) {
      ready = ssc_->TestUnitReady();
      if (ready.ok() || ready.sense() == nullptr ||
          ready.sense()->key != SenseKey::kUnitAttention) {
        break;
      }
    }
    ASSERT_TRUE(ready.ok()) << ready.ToString();
    ASSERT_TRUE(ssc_->ModeSelectBlockLength(512).ok());
  }

  Ssc& ssc() { return *ssc_; }

  RawAnswer Raw(std::span<const uint8_t> cdb, DataBuffer data = DataBuffer::None()) {
    RawAnswer a;
    auto r = transport_->Execute(cdb, data, std::chrono::seconds(30));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return a;
    a.status = r->status;
    if (!r->sense.empty()) a.sense = ParseSense(r->sense);
    return a;
  }

  // Two files: A B C D FM a b FM (logical objects 0..7, end of data at 8).
  void WriteTwoFiles() {
    ASSERT_TRUE(ssc().Rewind().ok());
    auto w = ssc().Write(Blocks(4, 'A'), 512);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(ssc().WriteFilemarks(1).ok());
    w = ssc().Write(Blocks(2, 'a'), 512);
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    ASSERT_TRUE(ssc().WriteFilemarks(1).ok());
    ASSERT_TRUE(ssc().Rewind().ok());
  }

  // Reads one 512-byte block; returns its fill byte, or -1 (filemark), -2
  // (end of data), -3 (error).
  int ReadOne() {
    std::vector<uint8_t> b(512);
    auto r = ssc().Read(b, 512);
    if (!r.ok()) return -3;
    if (r->filemark) return -1;
    if (r->end_of_data) return -2;
    return b[0];
  }

  void Deviation(const std::string& what) {
    RecordProperty("deviation", what);
    std::printf("[deviation] %s: %s\n", TargetName(target()), what.c_str());
  }

  std::unique_ptr<testing::TapeTarget> real_;
  testing::TempDir dir_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<Ssc> ssc_;
};

// Starts the target of the parameter (skipping or failing as targets.h
// says when the daemon is missing) and connects.
#define CONFORMANCE_START_WITH(options)                                              \
  do {                                                                               \
    const testing::TargetOptions conformance_options = (options);                    \
    if (!vtape()) {                                                                  \
      TSFS_START_TARGET_OR_SKIP(started, StarterFor(target()), conformance_options); \
      real_ = std::move(started);                                                    \
    }                                                                                \
    ASSERT_NO_FATAL_FAILURE(Connect(conformance_options));                           \
  } while (0)
#define CONFORMANCE_START() CONFORMANCE_START_WITH(testing::TargetOptions())

}  // namespace tsfs::conformance_testing
