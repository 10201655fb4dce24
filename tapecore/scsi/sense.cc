#include "tapecore/scsi/sense.h"

#include <scsi/sg_lib.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace tsfs {
namespace {

// The sense bytes as handed to libsgutils2. Its decoders trust the lengths
// inside sense descriptors and read past the end of the buffer they are given
// (libsgutils2 1.46, sg_get_sense_str on a designation descriptor that claims
// more bytes than there are: found by tests/fuzz/fuzz_sense). So they get a
// zero-padded copy, cut to the most sense data SPC allows (8 + 255 bytes),
// with room behind it for any length a descriptor byte can state.
class SgSense {
 public:
  explicit SgSense(std::span<const uint8_t> raw)
      : len_(static_cast<int>(std::min(raw.size(), kMaxSense))) {
    std::copy_n(raw.begin(), len_, bytes_.begin());
  }
  const uint8_t* data() const { return bytes_.data(); }
  int size() const { return len_; }

 private:
  static constexpr size_t kMaxSense = 8 + 255;
  std::array<uint8_t, 4096> bytes_{};
  int len_;
};

}  // namespace

SenseData ParseSense(std::span<const uint8_t> raw) {
  SenseData out;
  out.raw.assign(raw.begin(), raw.end());
  sg_scsi_sense_hdr hdr{};
  const SgSense sense(raw);
  const int len = sense.size();
  if (raw.empty() || !sg_scsi_normalize_sense(sense.data(), len, &hdr)) return out;
  out.response_code = hdr.response_code;
  out.key = static_cast<SenseKey>(hdr.sense_key & 0x0F);
  out.asc = hdr.asc;
  out.ascq = hdr.ascq;
  uint64_t info = 0;
  out.information_valid = sg_get_sense_info_fld(sense.data(), len, &info);
  if (out.information_valid) {
    // INFORMATION is a signed 32-bit quantity in fixed format for tape
    // commands (negative: a variable record longer than requested).
    if (out.response_code == 0x70 || out.response_code == 0x71) {
      out.information = static_cast<int32_t>(static_cast<uint32_t>(info));
    } else {
      out.information = static_cast<int64_t>(info);
    }
  }
  bool fm = false, eom = false, ili = false;
  if (sg_get_sense_filemark_eom_ili(sense.data(), len, &fm, &eom, &ili)) {
    out.filemark = fm;
    out.eom = eom;
    out.ili = ili;
  }
  return out;
}

std::string DescribeSense(std::span<const uint8_t> raw) {
  if (raw.empty()) return "no sense data";
  char buf[1024];
  const SgSense sense(raw);
  sg_get_sense_str(nullptr, sense.data(), sense.size(), false, sizeof buf, buf);
  std::string s(buf);
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string HexBytes(std::span<const uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size() * 3);
  char hex[4];
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::snprintf(hex, sizeof hex, i ? " %02x" : "%02x", bytes[i]);
    out += hex;
  }
  return out;
}

}  // namespace tsfs
