#include "tapecore/smc/parse.h"

#include <algorithm>
#include <string>

namespace tsfs::smc::parse {

namespace {

uint16_t Get16(const uint8_t* p) { return static_cast<uint16_t>((p[0] << 8) | p[1]); }
uint32_t Get24(const uint8_t* p) { return (uint32_t{p[0]} << 16) | Get16(p + 1); }
uint32_t Get32(const uint8_t* p) { return (uint32_t{Get16(p)} << 16) | Get16(p + 2); }

Status Malformed(const char* what, const std::string& why) {
  return Status::Error(ErrorCode::kIo, std::string(what) + ": " + why);
}

Status TooShort(const char* what, size_t got, size_t need) {
  return Malformed(what, "answer too short (" + std::to_string(got) + " bytes, need " +
                             std::to_string(need) + ")");
}

std::string TrimmedAscii(std::span<const uint8_t> bytes) {
  std::string s(bytes.begin(), bytes.end());
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  return s;
}

// A 36-byte volume tag field (SMC-3 table 26): 32 bytes identifier, 2
// reserved, 2 sequence number. A blank identifier is no tag. `available`
// (at least 32) bounds the read: a cut field keeps its identifier.
void VolumeTag(const uint8_t* p, size_t available, std::optional<std::string>& tag,
               uint16_t* sequence) {
  std::string id = TrimmedAscii({p, 32});
  if (!id.empty()) tag = std::move(id);
  if (sequence != nullptr && available >= 36) *sequence = Get16(p + 34);
}

// An identification descriptor: 4-byte header and `length` bytes, bounded by `end`.
// Returns the bytes used, 0 when there is not a whole one.
size_t Identifier(const uint8_t* p, const uint8_t* end, DeviceIdentifier& out) {
  if (end - p < 4) return 0;
  const size_t length = p[3];
  if (static_cast<size_t>(end - p) < 4 + length) return 0;
  out.code_set = p[0] & 0x0F;
  out.association = (p[1] >> 4) & 0x03;
  out.identifier_type = p[1] & 0x0F;
  std::span<const uint8_t> id{p + 4, length};
  out.identifier = out.code_set == 1 ? std::string(id.begin(), id.end()) : TrimmedAscii(id);
  return 4 + length;
}

ElementStatus Descriptor(ElementType type, uint8_t page_flags, std::span<const uint8_t> d,
                         bool device_identifiers) {
  ElementStatus e;
  e.type = type;
  e.address = Get16(&d[0]);
  e.full = (d[2] & 0x01) != 0;
  e.imp_exp = type == ElementType::kImportExport && (d[2] & 0x02) != 0;
  e.except = (d[2] & 0x04) != 0;
  e.access = (d[2] & 0x08) != 0;
  e.asc = d[4];
  e.ascq = d[5];
  if (type == ElementType::kDataTransfer) {
    e.not_bus = (d[6] & 0x80) != 0;
    e.id_valid = (d[6] & 0x20) != 0;
    e.lun_valid = (d[6] & 0x10) != 0;
    e.lun = d[6] & 0x07;
    e.scsi_id = d[7];
  }
  e.invert = (d[9] & 0x40) != 0;
  if (d[9] & 0x80) e.source = Get16(&d[10]);
  size_t at = 12;
  if ((page_flags & 0x80) && d.size() >= at + 32) {
    VolumeTag(&d[at], d.size() - at, e.volume_tag, &e.volume_sequence);
    at += 36;
  }
  if ((page_flags & 0x40) && d.size() >= at + 32) {
    VolumeTag(&d[at], d.size() - at, e.alternate_tag, nullptr);
    at += 36;
  }
  if (device_identifiers && d.size() > at) {
    DeviceIdentifier id;
    if (Identifier(&d[at], d.data() + d.size(), id) > 0 && !id.identifier.empty()) {
      e.device = std::move(id);
    }
  }
  return e;
}

}  // namespace

Result<ElementAddressAssignment> ElementAddressPage(std::span<const uint8_t> data) {
  constexpr const char* kWhat = "element address assignment page";
  if (data.size() < 4) return TooShort(kWhat, data.size(), 4);
  // The mode data length does not count itself.
  const size_t available = std::min<size_t>(data.size(), size_t{data[0]} + 1);
  const size_t page = 4 + size_t{data[3]};
  if (available < page + 2) return TooShort(kWhat, available, page + 2);
  if ((data[page] & 0x3F) != 0x1D) {
    return Malformed(kWhat, "mode page " + std::to_string(data[page] & 0x3F) + " instead of 0x1D");
  }
  if (data[page + 1] < 0x10) {
    return Malformed(kWhat, "page length " + std::to_string(data[page + 1]) + " < 16");
  }
  if (available < page + 18) return TooShort(kWhat, available, page + 18);
  const uint8_t* p = &data[page];
  ElementAddressAssignment out;
  out.transport = {Get16(p + 2), Get16(p + 4)};
  out.storage = {Get16(p + 6), Get16(p + 8)};
  out.import_export = {Get16(p + 10), Get16(p + 12)};
  out.data_transfer = {Get16(p + 14), Get16(p + 16)};
  return out;
}

Result<ElementStatusReport> ElementStatusData(std::span<const uint8_t> data,
                                              bool device_identifiers) {
  constexpr const char* kWhat = "read element status";
  if (data.size() < 8) return TooShort(kWhat, data.size(), 8);
  ElementStatusReport out;
  out.first_address = Get16(&data[0]);
  out.elements_available = Get16(&data[2]);
  out.bytes_available = Get24(&data[5]);
  const size_t end = std::min<size_t>(data.size(), size_t{8} + out.bytes_available);
  out.truncated = data.size() < size_t{8} + out.bytes_available;
  size_t at = 8;
  while (at + 8 <= end) {
    const uint8_t* h = &data[at];
    const uint8_t code = h[0] & 0x0F;
    if (code < 1 || code > 4) {
      return Malformed(
          kWhat, "element type code " + std::to_string(code) + " at byte " + std::to_string(at));
    }
    const auto type = static_cast<ElementType>(code);
    const size_t descriptor_length = Get16(h + 2);
    const size_t page_bytes = Get24(h + 5);
    if (descriptor_length < 12) {
      return Malformed(kWhat,
                       "element descriptor length " + std::to_string(descriptor_length) + " < 12");
    }
    at += 8;
    const size_t page_end = at + page_bytes;
    if (page_end > end) out.truncated = true;
    const size_t stop = std::min(page_end, end);
    while (at + descriptor_length <= stop) {
      out.elements.push_back(
          Descriptor(type, h[1], data.subspan(at, descriptor_length), device_identifiers));
      at += descriptor_length;
    }
    // A last descriptor cut short still counts when its fixed part and its
    // volume identifiers are there (tgtd transfers 8 bytes less than it reports, so
    // the last descriptor of every answer is cut; see TARGETS.md). Its device
    // identifier is kept only if whole.
    const size_t tags = (h[1] & 0x40) ? 36 + 32 : (h[1] & 0x80) ? 32 : 0;
    if (at < stop && stop - at >= 12 + tags) {
      out.elements.push_back(
          Descriptor(type, h[1], data.subspan(at, stop - at), device_identifiers));
      at = stop;
    }
    if (page_end >= end) break;
    at = page_end;
  }
  return out;
}

Result<std::vector<DeviceIdentifier>> DeviceIdentificationPage(std::span<const uint8_t> data) {
  constexpr const char* kWhat = "device identification page";
  if (data.size() < 4) return TooShort(kWhat, data.size(), 4);
  if (data[1] != 0x83) {
    return Malformed(kWhat, "VPD page " + std::to_string(data[1]) + " instead of 0x83");
  }
  const uint8_t* end = data.data() + std::min<size_t>(data.size(), size_t{4} + Get16(&data[2]));
  std::vector<DeviceIdentifier> out;
  const uint8_t* p = data.data() + 4;
  while (p < end) {
    DeviceIdentifier id;
    const size_t used = Identifier(p, end, id);
    if (used == 0) break;
    out.push_back(std::move(id));
    p += used;
  }
  return out;
}

Result<std::vector<uint16_t>> ReportLunsData(std::span<const uint8_t> data) {
  constexpr const char* kWhat = "report luns";
  if (data.size() < 8) return TooShort(kWhat, data.size(), 8);
  const size_t length = Get32(&data[0]);
  if (length % 8 != 0) {
    return Malformed(kWhat, "LUN list length " + std::to_string(length) + " not a multiple of 8");
  }
  const size_t end = std::min(data.size(), 8 + length);
  std::vector<uint16_t> out;
  for (size_t at = 8; at + 8 <= end; at += 8) {
    const uint8_t method = data[at] >> 6;
    // 00b peripheral device addressing (bus 0), 01b flat space addressing.
    if (method == 0 && (data[at] & 0x3F) == 0) {
      out.push_back(data[at + 1]);
    } else if (method == 1) {
      out.push_back(static_cast<uint16_t>(((data[at] & 0x3F) << 8) | data[at + 1]));
    }
  }
  return out;
}

}  // namespace tsfs::smc::parse
