// Tapes as other programs write them: records of any length in variable mode
// (what tar and dd do through the Linux st driver), written with raw SSC
// commands so the unit under test has no part in making them.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/ssc/ssc.h"
#include "tests/support/targets.h"
#include "tests/tapecore/unit/unit_test_util.h"
#include "tests/tapecore/vtape/vtape_test_util.h"

namespace tsfs::unit_testing {

// One tape file: the length of each of its records.
using RecordLayout = std::vector<size_t>;

// `count` records of `length` bytes, then one of `last` bytes (if not 0).
inline RecordLayout Records(size_t count, size_t length, size_t last = 0) {
  RecordLayout r(count, length);
  if (last != 0) r.push_back(last);
  return r;
}

// Writes the files from BOT in variable mode, one filemark after each, and
// returns the bytes of each file (its records joined). The drive is left in
// variable mode at end of data.
inline std::vector<std::vector<uint8_t>> WriteRecordTape(Transport& transport,
                                                         const std::vector<RecordLayout>& files,
                                                         uint32_t seed = 1) {
  Ssc ssc(transport);
  (void)ssc.TestUnitReady();  // a first UNIT ATTENTION (tgtd) is not an error here
  EXPECT_TRUE(ssc.ModeSelectBlockLength(0).ok());
  EXPECT_TRUE(ssc.Rewind().ok());
  std::vector<std::vector<uint8_t>> out;
  uint32_t n = seed;
  for (const RecordLayout& records : files) {
    std::vector<uint8_t> file;
    for (size_t len : records) {
      std::vector<uint8_t> rec = Pattern(len, n++);
      Result<WriteResult> w = ssc.Write(rec, 0);
      EXPECT_TRUE(w.ok()) << w.status().ToString();
      file.insert(file.end(), rec.begin(), rec.end());
    }
    EXPECT_TRUE(ssc.WriteFilemarks(1).ok());
    out.push_back(std::move(file));
  }
  EXPECT_TRUE(ssc.WriteFilemarks(0).ok());
  return out;
}

// Same, opening the source by name (and closing it again).
inline std::vector<std::vector<uint8_t>> WriteRecordTape(const std::string& source,
                                                         const std::vector<RecordLayout>& files,
                                                         uint32_t seed = 1) {
  auto t = OpenSource(source);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  if (!t.ok()) return {};
  return WriteRecordTape(**t, files, seed);
}

// A tape to test on: a vtape image in a private directory, or a private
// tgtd or istgt. The kinds a "Sources/" suite runs on.
struct TestSource {
  std::string kind;
  std::string uri;
  bool trusted_positions = true;  // false on tgtd (READ POSITION answers zeros)
  std::unique_ptr<testing::TapeTarget> target;
  testing::TempDir dir;
};

inline auto AllSources() { return ::testing::Values("vtape", "tgtd", "istgt"); }

// Starts `kind`; false (after ADD_FAILURE in CI) when its daemon is missing.
inline bool StartTestSource(const std::string& kind, TestSource* src, int size_mb = 64) {
  src->kind = kind;
  auto dir = testing::TempDir::Create("src");
  EXPECT_TRUE(dir.ok());
  src->dir = std::move(dir).value();
  if (kind == "vtape") {
    src->uri =
        "vtape:" + src->dir.File("t.tap") + "?create&capacity=" + std::to_string(size_mb) + "M";
    return true;
  }
  testing::TargetOptions options;
  options.size_mb = size_mb;
  auto t = kind == "tgtd" ? testing::StartTgtd(options) : testing::StartIstgt(options);
  if (!t.ok()) {
    if (t.status().code() == ErrorCode::kNotFound && !testing::InCi()) return false;
    ADD_FAILURE() << t.status().ToString();
    return false;
  }
  src->target = std::move(t).value();
  src->uri = src->target->uri();
  src->trusted_positions = kind != "tgtd";
  return true;
}

inline std::unique_ptr<TapeUnit> OpenTestUnit(const TestSource& src, Logger& log,
                                              UnitConfig config = {}) {
  config.device = src.uri;
  auto unit = TapeUnit::Open(config, log);
  EXPECT_TRUE(unit.ok()) << unit.status().ToString();
  return unit.ok() ? std::move(unit).value() : nullptr;
}

// Makes `files` (record lengths, a filemark after each) the unit's image
// directly, without the unit, and reopens the unit on it with `config`.
// Returns each file's bytes.
inline std::vector<std::vector<uint8_t>> WriteRecordImage(VtapeUnit& t,
                                                          const std::vector<RecordLayout>& files,
                                                          const UnitConfig& config, uint32_t seed) {
  t.Drop();
  vtape::testing::TapBytes tap;
  std::vector<std::vector<uint8_t>> out;
  for (const RecordLayout& file : files) {
    std::vector<uint8_t> bytes;
    for (size_t len : file) {
      const std::vector<uint8_t> data = Pattern(len, seed++);
      tap.Record(data);
      bytes.insert(bytes.end(), data.begin(), data.end());
    }
    tap.Mark();
    out.push_back(std::move(bytes));
  }
  tap.WriteTo(t.image());
  t.Reopen("", config);
  return out;
}

}  // namespace tsfs::unit_testing
