// Helpers for the vtape tests: temporary images, hand-built .tap bytes and a
// raw-CDB driver (these tests check the target below the Ssc layer, so they
// build their CDBs themselves).
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/vtape/vtape_transport.h"

namespace tsfs::vtape::testing {

// A private directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/vtape_test.XXXXXX";
    const char* d = ::mkdtemp(tmpl);
    path_ = d ? d : "/tmp";
  }
  ~TempDir() { std::system(("rm -rf '" + path_ + "'").c_str()); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Builds SIMH .tap bytes.
class TapBytes {
 public:
  TapBytes& Record(const std::vector<uint8_t>& data, uint32_t cls = 0) {
    const uint32_t h = (cls << 28) | static_cast<uint32_t>(data.size());
    Le32(h);
    bytes_.insert(bytes_.end(), data.begin(), data.end());
    if (data.size() & 1) bytes_.push_back(0);
    Le32(h);
    return *this;
  }
  TapBytes& Record(size_t length, uint8_t fill) {
    return Record(std::vector<uint8_t>(length, fill));
  }
  TapBytes& Mark() { return Le32(0); }
  TapBytes& Le32(uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
    return *this;
  }
  TapBytes& Raw(const std::vector<uint8_t>& b) {
    bytes_.insert(bytes_.end(), b.begin(), b.end());
    return *this;
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  void WriteTo(const std::string& path) const {
    std::ofstream f(path, std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(bytes_.data()),
            static_cast<std::streamsize>(bytes_.size()));
  }

 private:
  std::vector<uint8_t> bytes_;
};

inline std::vector<uint8_t> ReadFileBytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct Answer {
  uint8_t status = 0;
  SenseData sense;
  size_t residual = 0;
  bool good() const { return status == kScsiGood; }
};

// Sends raw CDBs to a VtapeTransport.
class RawTape {
 public:
  explicit RawTape(const std::string& spec) {
    auto t = VtapeTransport::Open(spec);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    if (t.ok()) t_ = std::move(t).value();
  }
  bool ok() const { return t_ != nullptr; }
  VtapeTransport& transport() { return *t_; }

  Answer Run(std::vector<uint8_t> cdb, DataBuffer data = DataBuffer::None()) {
    auto r = t_->Execute(cdb, data, std::chrono::milliseconds(1000));
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    Answer a;
    if (!r.ok()) {
      a.status = 0xFF;
      return a;
    }
    a.status = r->status;
    a.residual = r->transport_residual;
    if (!r->sense.empty()) a.sense = ParseSense(r->sense);
    return a;
  }

  static std::vector<uint8_t> Be24(uint32_t v) {
    return {static_cast<uint8_t>(v >> 16), static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
  }

  Answer Tur() { return Run({0x00, 0, 0, 0, 0, 0}); }
  Answer Rewind() { return Run({0x01, 0, 0, 0, 0, 0}); }
  Answer SetBlockLength(uint32_t len) {
    std::vector<uint8_t> p = {0, 0, 0x10, 8, 0, 0, 0, 0, 0, 0, 0, 0};
    p[9] = static_cast<uint8_t>(len >> 16);
    p[10] = static_cast<uint8_t>(len >> 8);
    p[11] = static_cast<uint8_t>(len);
    return Run({0x15, 0x10, 0, 0, static_cast<uint8_t>(p.size()), 0}, DataBuffer::Out(p));
  }
  Answer WriteFixed(uint32_t blocks, uint32_t block_length, uint8_t fill) {
    std::vector<uint8_t> d(size_t{blocks} * block_length, fill);
    auto b = Be24(blocks);
    return Run({0x0A, 0x01, b[0], b[1], b[2], 0}, DataBuffer::Out(d));
  }
  Answer WriteVariable(const std::vector<uint8_t>& d) {
    auto b = Be24(static_cast<uint32_t>(d.size()));
    return Run({0x0A, 0x00, b[0], b[1], b[2], 0}, DataBuffer::Out(d));
  }
  Answer ReadFixed(uint32_t blocks, std::vector<uint8_t>* out, uint32_t block_length) {
    out->assign(size_t{blocks} * block_length, 0xEE);
    auto b = Be24(blocks);
    return Run({0x08, 0x01, b[0], b[1], b[2], 0}, DataBuffer::In(*out));
  }
  Answer ReadVariable(uint32_t length, std::vector<uint8_t>* out, bool sili = false) {
    out->assign(length, 0xEE);
    auto b = Be24(length);
    return Run({0x08, static_cast<uint8_t>(sili ? 0x02 : 0x00), b[0], b[1], b[2], 0},
               DataBuffer::In(*out));
  }
  Answer WriteFilemarks(uint32_t count, bool immediate = false) {
    auto b = Be24(count);
    return Run({0x10, static_cast<uint8_t>(immediate ? 1 : 0), b[0], b[1], b[2], 0});
  }
  Answer Space(uint8_t code, int32_t count) {
    auto b = Be24(static_cast<uint32_t>(count) & 0xFFFFFF);
    return Run({0x11, code, b[0], b[1], b[2], 0});
  }
  Answer Locate(uint32_t object) {
    return Run({0x2B, 0, 0, static_cast<uint8_t>(object >> 24), static_cast<uint8_t>(object >> 16),
                static_cast<uint8_t>(object >> 8), static_cast<uint8_t>(object), 0, 0, 0});
  }
  Answer Erase(bool long_erase) {
    return Run({0x19, static_cast<uint8_t>(long_erase ? 1 : 0), 0, 0, 0, 0});
  }
  Answer LoadUnload(uint8_t byte4) { return Run({0x1B, 0, 0, 0, byte4, 0}); }
  // Logical object number from READ POSITION short form; -1 on error.
  int64_t Position(bool* bop = nullptr, bool* eop = nullptr) {
    std::vector<uint8_t> buf(20, 0);
    Answer a = Run({0x34, 0, 0, 0, 0, 0, 0, 0, 0, 0}, DataBuffer::In(buf));
    if (!a.good()) return -1;
    if (bop) *bop = buf[0] & 0x80;
    if (eop) *eop = buf[0] & 0x40;
    return int64_t{buf[4]} << 24 | int64_t{buf[5]} << 16 | int64_t{buf[6]} << 8 | buf[7];
  }

 private:
  std::unique_ptr<VtapeTransport> t_;
};

}  // namespace tsfs::vtape::testing
