// Helpers for the TapeUnit tests: a vtape unit in a private directory, a
// pass-through transport that records every CDB (so a test can see what the
// unit sent: one LOAD with RETEN, ERASE before the first WRITE, one SPACE per
// file), and byte helpers.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"
#include "tapecore/vtape/vtape_transport.h"
#include "tests/support/temp_dir.h"

namespace tsfs::unit_testing {

// Forwards every command to the real transport and keeps the CDBs.
class RecordingTransport final : public Transport {
 public:
  explicit RecordingTransport(std::unique_ptr<Transport> inner) : inner_(std::move(inner)) {}
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      cdbs_.emplace_back(cdb.begin(), cdb.end());
    }
    return inner_->Execute(cdb, data, timeout);
  }
  std::string Describe() const override { return inner_->Describe(); }

  std::vector<std::vector<uint8_t>> Cdbs() const {
    std::lock_guard<std::mutex> lock(mu_);
    return cdbs_;
  }
  void Clear() {
    std::lock_guard<std::mutex> lock(mu_);
    cdbs_.clear();
  }
  size_t Count(uint8_t opcode) const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<size_t>(
        std::count_if(cdbs_.begin(), cdbs_.end(), [&](const auto& c) { return c[0] == opcode; }));
  }
  // LOAD UNLOAD with RETEN (byte 4 bit 1).
  size_t Retensions() const {
    std::lock_guard<std::mutex> lock(mu_);
    return static_cast<size_t>(std::count_if(cdbs_.begin(), cdbs_.end(), [](const auto& c) {
      return c[0] == 0x1B && (c[4] & 0x02) != 0;
    }));
  }
  Transport& inner() { return *inner_; }

 private:
  std::unique_ptr<Transport> inner_;
  mutable std::mutex mu_;
  std::vector<std::vector<uint8_t>> cdbs_;
};

inline constexpr uint8_t kOpRewind = 0x01;
inline constexpr uint8_t kOpRead6 = 0x08;
inline constexpr uint8_t kOpWrite6 = 0x0A;
inline constexpr uint8_t kOpWriteFilemarks = 0x10;
inline constexpr uint8_t kOpSpace6 = 0x11;
inline constexpr uint8_t kOpErase = 0x19;
inline constexpr uint8_t kOpReadPosition = 0x34;
inline constexpr uint8_t kOpLocate10 = 0x2B;

// A unit over a vtape image in a private directory.
class VtapeUnit {
 public:
  // `options` go after '?' (e.g. "capacity=8M&fail=write@100:medium").
  explicit VtapeUnit(const std::string& options = "", UnitConfig config = {}) : config_(config) {
    auto dir = testing::TempDir::Create("unit_test");
    EXPECT_TRUE(dir.ok()) << dir.status().ToString();
    dir_ = std::move(dir).value();
    image_ = dir_.File("t.tap");
    Reopen(options);
  }
  // Opens a new unit on the same image (the old one is released first).
  void Reopen(const std::string& options = "", std::optional<UnitConfig> config = std::nullopt) {
    unit_.reset();
    if (config) config_ = *config;
    spec_ = "vtape:" + image_ + "?create" + (options.empty() ? "" : "&" + options);
    config_.device = spec_;
    auto vt = VtapeTransport::Open(spec_);
    ASSERT_TRUE(vt.ok()) << vt.status().ToString();
    vtape_ = vt->get();
    auto rec = std::make_unique<RecordingTransport>(std::move(vt).value());
    recorder_ = rec.get();
    auto unit = TapeUnit::Open(config_, std::move(rec), log_);
    ASSERT_TRUE(unit.ok()) << unit.status().ToString();
    unit_ = std::move(unit).value();
    recorder_->Clear();
  }

  TapeUnit& unit() { return *unit_; }
  TapeUnit* operator->() { return unit_.get(); }
  void Drop() { unit_.reset(); }
  RecordingTransport& cdbs() { return *recorder_; }
  VtapeTransport& vtape() { return *vtape_; }
  CapturingLogger& log() { return log_; }
  const std::string& image() const { return image_; }
  const std::string& spec() const { return spec_; }
  std::string dir(const std::string& name) const { return dir_.File(name); }

 private:
  testing::TempDir dir_;
  std::string image_;
  std::string spec_;
  UnitConfig config_;
  CapturingLogger log_;
  VtapeTransport* vtape_ = nullptr;
  RecordingTransport* recorder_ = nullptr;
  std::unique_ptr<TapeUnit> unit_;
};

// Deterministic bytes that differ from file to file.
inline std::vector<uint8_t> Pattern(size_t n, uint32_t seed) {
  std::vector<uint8_t> v(n);
  uint32_t x = seed * 2654435761u + 12345u;
  for (size_t i = 0; i < n; ++i) {
    x = x * 1103515245u + 12345u;
    v[i] = static_cast<uint8_t>(x >> 16);
  }
  return v;
}

// `data` zero-padded to whole blocks, as it comes back from the tape.
inline std::vector<uint8_t> Padded(std::vector<uint8_t> data, size_t block = 512) {
  data.resize((data.size() + block - 1) / block * block, 0);
  return data;
}

// Appends one file, written in `chunk`-byte calls; returns its index.
inline int AppendFile(TapeUnit& unit, const std::vector<uint8_t>& data, size_t chunk = 65536) {
  Result<int> index = unit.OpenAppend();
  EXPECT_TRUE(index.ok()) << index.status().ToString();
  if (!index.ok()) return -1;
  for (size_t off = 0; off < data.size(); off += chunk) {
    const size_t n = std::min(chunk, data.size() - off);
    Status s = unit.Write({data.data() + off, n});
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  Status c = unit.Close();
  EXPECT_TRUE(c.ok()) << c.ToString();
  return *index;
}

// Reads a whole file in `chunk`-byte calls.
inline std::vector<uint8_t> ReadWholeFile(TapeUnit& unit, int index, size_t chunk = 65536,
                                          Status* error = nullptr) {
  std::vector<uint8_t> out;
  Status s = unit.OpenRead(index);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return out;
  std::vector<uint8_t> buf(chunk);
  for (;;) {
    Result<size_t> n = unit.Read(buf);
    if (!n.ok()) {
      if (error)
        *error = n.status();
      else
        ADD_FAILURE() << n.status().ToString();
      break;
    }
    if (*n == 0) break;
    out.insert(out.end(), buf.begin(), buf.begin() + static_cast<long>(*n));
  }
  Status c = unit.Close();
  EXPECT_TRUE(c.ok()) << c.ToString();
  return out;
}

// The three files of the failure tests: 6 blocks (0-5, filemark 6),
// 10 blocks (7-16, filemark 17), 2 blocks (18-19, filemark 20); end of
// data at object 21.
inline constexpr uint64_t kThreeFilesEndOfData = 21;

inline std::vector<std::vector<uint8_t>> WriteThreeFiles(TapeUnit& unit) {
  std::vector<std::vector<uint8_t>> files = {Pattern(3000, 1), Pattern(5000, 2), Pattern(1000, 3)};
  for (const auto& f : files) EXPECT_GE(AppendFile(unit, f), 0);
  return files;
}

// Every file reads back as written (after a rewind: ts allows no read
// after a write before it).
inline void ExpectFilesIntact(TapeUnit& unit, const std::vector<std::vector<uint8_t>>& files) {
  ASSERT_TRUE(unit.Ioctl(MtOp::kRewind, 0).ok());
  for (size_t i = 0; i < files.size(); ++i) {
    EXPECT_EQ(ReadWholeFile(unit, static_cast<int>(i)), Padded(files[i])) << "file " << i;
  }
}

// A failed command as the unit reports it: CHECK CONDITION with this sense,
// the ts diagnostic ("Media error on read") in the Status and in the log.
inline void ExpectCommandFailed(const Status& s, const CapturingLogger& log, SenseKey key,
                                uint8_t asc, uint8_t ascq, const std::string& ts_words) {
  ASSERT_FALSE(s.ok()) << ts_words;
  EXPECT_EQ(s.code(), ErrorCode::kScsi) << s.ToString();
  ASSERT_NE(s.sense(), nullptr) << s.ToString();
  EXPECT_EQ(s.sense()->key, key) << s.ToString();
  EXPECT_EQ(s.sense()->asc, asc) << s.ToString();
  EXPECT_EQ(s.sense()->ascq, ascq) << s.ToString();
  EXPECT_NE(s.ToString().find(ts_words), std::string::npos) << s.ToString();
  EXPECT_TRUE(log.Contains(ts_words)) << ts_words;
}

}  // namespace tsfs::unit_testing
