// VtapeTarget: INQUIRY, REQUEST SENSE, READ BLOCK LIMITS, MODE SENSE/SELECT, LOG SENSE,
// REPORT LUNS: what the drive says about itself and its settings.
#include <cstring>
#include <iterator>
#include <utility>

#include "tapecore/vtape/cdb_fields.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs::vtape {

VtapeTarget::Reply VtapeTarget::Inquiry(Cdb cdb, DataBuffer& data) {
  const bool evpd = cdb[1] & 0x01;
  const uint8_t page = cdb[2];
  const size_t alloc = Be16(&cdb[3]);
  std::vector<uint8_t> b;
  if (!evpd) {
    if (page != 0) return InvalidField();
    b.assign(36, 0);
    b[0] = 0x01;  // sequential-access device
    b[1] = 0x80;  // removable medium
    b[2] = 0x06;  // SPC-4
    b[3] = 0x02;  // response data format
    b[4] = 31;
    std::memcpy(&b[8], "TSFS    ", 8);
    std::memcpy(&b[16], "VTAPE           ", 16);
    std::memcpy(&b[32], "0001", 4);
  } else if (page == 0x00) {
    b = {0x01, 0x00, 0x00, 0x02, 0x00, 0x80};
  } else if (page == 0x80) {
    // Sized first and copied (GCC 12 warns falsely, -Warray-bounds, on
    // inserting a string's range into a 4-byte vector).
    b.assign(4 + serial_.size(), 0);
    b[0] = 0x01;
    b[1] = 0x80;
    b[3] = static_cast<uint8_t>(serial_.size());
    std::memcpy(&b[4], serial_.data(), serial_.size());
  } else {
    return InvalidField();
  }
  return PutIn(data, b, alloc);
}

VtapeTarget::Reply VtapeTarget::RequestSense(Cdb cdb, DataBuffer& data) {
  SenseSpec s;
  if (unit_attention_) {
    unit_attention_ = false;
    s = {SenseKey::kUnitAttention, unit_attention_asc_, 0x00};
  } else if (!loaded_) {
    s = {SenseKey::kNotReady, 0x3A, 0x00};
  }
  return PutIn(data, BuildFixedSense(s), cdb[4]);
}

VtapeTarget::Reply VtapeTarget::ReadBlockLimits(DataBuffer& data) {
  std::vector<uint8_t> b(6, 0);
  PutBe(&b[1], kMaxBlockLength, 3);
  PutBe(&b[4], 1, 2);
  return PutIn(data, b, b.size());
}

VtapeTarget::Reply VtapeTarget::ModeSense(Cdb cdb, DataBuffer& data, bool ten) {
  const bool dbd = cdb[1] & 0x08;
  const uint8_t pc = cdb[2] >> 6;
  const uint8_t page = cdb[2] & 0x3F;
  const uint8_t subpage = cdb[3];
  const size_t alloc = ten ? Be16(&cdb[7]) : cdb[4];
  if (pc == 3) return Check(SenseKey::kIllegalRequest, 0x39, 0x00);  // saving not supported
  if (subpage != 0 && subpage != 0xFF) return InvalidField();
  const bool changeable = pc == 1;
  std::vector<uint8_t> pages;
  auto add_compression = [&] {
    std::vector<uint8_t> p(16, 0);
    p[0] = 0x0F;
    p[1] = 0x0E;  // no compression (DCC 0)
    pages.insert(pages.end(), p.begin(), p.end());
  };
  auto add_configuration = [&] {
    std::vector<uint8_t> p(16, 0);
    p[0] = 0x10;
    p[1] = 0x0E;
    if (!changeable) p[10] = 0x18;  // EEG, SEW: early warning with everything on tape
    pages.insert(pages.end(), p.begin(), p.end());
  };
  switch (page) {
    case 0x00:
      break;
    case 0x0F:
      add_compression();
      break;
    case 0x10:
      add_configuration();
      break;
    case 0x3F:
      add_compression();
      add_configuration();
      break;
    default:
      return InvalidField();
  }
  uint8_t device_specific = changeable ? 0x70 : static_cast<uint8_t>((buffered_mode_ & 7) << 4);
  if (!changeable && write_protected_) device_specific |= 0x80;
  std::vector<uint8_t> bd;
  if (!dbd) {
    bd.assign(8, 0);
    bd[0] = changeable ? 0 : density_code_;
    PutBe(&bd[5], changeable ? kMaxBlockLength : block_length_, 3);
  }
  std::vector<uint8_t> b;
  if (ten) {
    b.assign(8, 0);
    PutBe(&b[0], 6 + bd.size() + pages.size(), 2);
    b[3] = device_specific;
    PutBe(&b[6], bd.size(), 2);
  } else {
    b.assign(4, 0);
    b[0] = static_cast<uint8_t>(3 + bd.size() + pages.size());
    b[2] = device_specific;
    b[3] = static_cast<uint8_t>(bd.size());
  }
  b.insert(b.end(), bd.begin(), bd.end());
  b.insert(b.end(), pages.begin(), pages.end());
  return PutIn(data, b, alloc);
}

VtapeTarget::Reply VtapeTarget::ModeSelect(Cdb cdb, DataBuffer& data, bool ten) {
  if (cdb[1] & 0x01) return InvalidField();  // SP: no saved pages
  const size_t len = ten ? Be16(&cdb[7]) : cdb[4];
  if (len == 0) return Good();
  if (data.direction != DataDirection::kOut || data.length < len) {
    host_error_ =
        Status::Error(ErrorCode::kInvalidArgument,
                      "vtape: MODE SELECT parameter list longer than the data-out buffer");
    return Good();
  }
  const uint8_t* p = data.data;
  const size_t header = ten ? 8 : 4;
  auto list_length_error = [&] { return Check(SenseKey::kIllegalRequest, 0x1A, 0x00); };
  auto bad_parameter = [&] { return Check(SenseKey::kIllegalRequest, 0x26, 0x00); };
  if (len < header) return list_length_error();
  const uint8_t device_specific = ten ? p[3] : p[2];
  const size_t bd_len = ten ? Be16(&p[6]) : p[3];
  if (bd_len != 0 && bd_len != 8) return bad_parameter();
  if (header + bd_len > len) return list_length_error();
  uint8_t buffered = (device_specific >> 4) & 0x07;
  if (buffered > 2) return bad_parameter();
  uint32_t block_length = block_length_;
  uint8_t density = density_code_;
  if (bd_len == 8) {
    density = p[header];
    block_length = Be24(&p[header + 5]);
  }
  size_t off = header + bd_len;
  while (off < len) {
    if (len - off < 2) return list_length_error();
    const uint8_t code = p[off] & 0x3F;
    const size_t page_len = size_t{p[off + 1]} + 2;
    if (off + page_len > len) return list_length_error();
    if ((code != 0x0F && code != 0x10) || page_len != 16) return bad_parameter();
    off += page_len;
  }
  block_length_ = block_length;
  density_code_ = density;
  buffered_mode_ = buffered;
  return Good();
}

VtapeTarget::Reply VtapeTarget::LogSense(Cdb cdb, DataBuffer& data) {
  if (cdb[1] & 0x02) return InvalidField();  // PPC
  const uint8_t page = cdb[2] & 0x3F;
  const size_t alloc = Be16(&cdb[7]);
  if (cdb[3] != 0) return InvalidField();
  std::vector<uint8_t> b;
  if (page == 0x00) {
    b = {0x00, 0x00, 0x00, 0x03, 0x00, 0x0C, 0x31};
  } else if (page == 0x0C) {
    b = SequentialAccessLogPage();
  } else if (page == 0x31) {
    // Tape capacity page: remaining and maximum of the main partition in MiB.
    const uint64_t used = Used();
    const uint64_t remaining = used >= options_.capacity ? 0 : options_.capacity - used;
    const uint32_t values[4] = {static_cast<uint32_t>(remaining >> 20), 0,
                                static_cast<uint32_t>(options_.capacity >> 20), 0};
    b.assign(4 + 4 * 8, 0);
    b[0] = 0x31;
    PutBe(&b[2], 4 * 8, 2);
    for (int i = 0; i < 4; ++i) {
      uint8_t* p = &b[4 + 8 * i];
      PutBe(p, static_cast<uint64_t>(i) + 1, 2);
      p[2] = 0x40;  // control: DS, binary
      p[3] = 4;
      PutBe(p + 4, values[i], 4);
    }
  } else {
    return InvalidField();
  }
  return PutIn(data, b, alloc);
}

// Sequential-access device page (SSC-4 0x0C): the standard byte counters,
// and two vendor parameters of vtape (documented in tstape(1) and TARGETS.md):
// 0x8000 repositions (tape starts after a stop in the middle of a stream) and
// 0x8001 tape starts, both of the drive model since the transport opened.
// Without a model (rate=0) the medium counters equal the host counters.
std::vector<uint8_t> VtapeTarget::SequentialAccessLogPage() const {
  const DriveCounters& d = drive_.counters();
  const bool model = drive_.enabled();
  const std::pair<uint16_t, uint64_t> params[] = {
      {0x0000, stats_.bytes_written},  // data bytes received with WRITE commands
      {0x0001, model ? d.bytes_to_tape : stats_.bytes_written},  // written to the medium
      {0x0002, model ? d.bytes_from_tape : stats_.bytes_read},   // read from the medium
      {0x0003, stats_.bytes_read},  // data bytes transferred by READ commands
      {0x8000, d.repositions},
      {0x8001, d.starts},
  };
  constexpr size_t kParam = 4 + 8;
  std::vector<uint8_t> b(4 + std::size(params) * kParam, 0);
  b[0] = 0x0C;
  PutBe(&b[2], std::size(params) * kParam, 2);
  uint8_t* p = &b[4];
  for (const auto& [code, value] : params) {
    PutBe(p, code, 2);
    p[2] = 0x40;  // control: binary counter
    p[3] = 8;
    PutBe(p + 4, value, 8);
    p += kParam;
  }
  return b;
}

VtapeTarget::Reply VtapeTarget::ReportLuns(DataBuffer& data) {
  std::vector<uint8_t> b(16, 0);
  b[3] = 8;  // one LUN: 0
  return PutIn(data, b, b.size());
}

}  // namespace tsfs::vtape
