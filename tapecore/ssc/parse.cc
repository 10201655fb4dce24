#include "tapecore/ssc/parse.h"

#include <algorithm>
#include <string_view>

#include "tapecore/scsi/sense.h"

namespace tsfs::parse {

namespace {

uint32_t Get16(const uint8_t* p) { return (uint32_t{p[0]} << 8) | p[1]; }
uint32_t Get24(const uint8_t* p) { return (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2]; }
uint32_t Get32(const uint8_t* p) { return (Get16(p) << 16) | Get16(p + 2); }
uint64_t Get64(const uint8_t* p) { return (uint64_t{Get32(p)} << 32) | Get32(p + 4); }

Status TooShort(const char* what, size_t got, size_t need) {
  return Status::Error(ErrorCode::kIo, std::string(what) + ": answer too short (" +
                                           std::to_string(got) + " bytes, need " +
                                           std::to_string(need) + ")");
}

// ASCII field with trailing (and for serials leading) spaces and NULs removed.
std::string Trimmed(std::span<const uint8_t> bytes, bool trim_leading) {
  std::string s(bytes.begin(), bytes.end());
  const auto is_pad = [](char c) { return c == ' ' || c == '\0'; };
  while (!s.empty() && is_pad(s.back())) s.pop_back();
  if (trim_leading) {
    const auto first = std::find_if_not(s.begin(), s.end(), is_pad);
    s.erase(s.begin(), first);
  }
  return s;
}

std::string Field(std::span<const uint8_t> data, size_t offset, size_t length) {
  if (data.size() <= offset) return "";
  return Trimmed(data.subspan(offset, std::min(length, data.size() - offset)), false);
}

// Fills the device-specific parameter fields of a mode header (SSC-3 8.3.3).
void DeviceSpecific(uint8_t b, ModeData& out) {
  out.write_protect = (b & 0x80) != 0;
  out.buffered_mode = (b >> 4) & 0x07;
  out.speed = b & 0x0F;
}

}  // namespace

Result<InquiryData> Inquiry(std::span<const uint8_t> data) {
  if (data.size() < 8) return TooShort("inquiry", data.size(), 8);
  InquiryData out;
  out.peripheral_qualifier = data[0] >> 5;
  out.device_type = data[0] & 0x1F;
  out.removable = (data[1] & 0x80) != 0;
  out.vendor = Field(data, 8, 8);
  out.product = Field(data, 16, 16);
  out.revision = Field(data, 32, 4);
  return out;
}

Result<std::string> UnitSerialNumber(std::span<const uint8_t> data) {
  if (data.size() < 4) return TooShort("unit serial number", data.size(), 4);
  if (data[1] != 0x80) {
    return Status::Error(ErrorCode::kIo, "unit serial number: answer is VPD page " +
                                             std::to_string(data[1]) + ", not 0x80");
  }
  const size_t length = std::min<size_t>(Get16(&data[2]), data.size() - 4);
  return Trimmed(data.subspan(4, length), true);
}

Result<ModeData> ModeSense6(std::span<const uint8_t> data) {
  if (data.size() < 4) return TooShort("mode sense", data.size(), 4);
  ModeData out;
  DeviceSpecific(data[2], out);
  const size_t bd_length = data[3];
  if (bd_length >= 8) {
    if (data.size() < 12) return TooShort("mode sense block descriptor", data.size(), 12);
    out.density_code = data[4];
    out.block_count = Get24(&data[5]);
    out.block_length = Get24(&data[9]);
  }
  return out;
}

Result<ModeData> ModeSense10(std::span<const uint8_t> data) {
  if (data.size() < 8) return TooShort("mode sense(10)", data.size(), 8);
  ModeData out;
  DeviceSpecific(data[3], out);
  const bool long_lba = (data[4] & 0x01) != 0;
  const size_t bd_length = Get16(&data[6]);
  if (long_lba && bd_length >= 16) {
    if (data.size() < 24) return TooShort("mode sense(10) block descriptor", data.size(), 24);
    out.density_code = 0;
    out.block_count = Get64(&data[8]);
    out.block_length = Get32(&data[20]);
  } else if (!long_lba && bd_length >= 8) {
    if (data.size() < 16) return TooShort("mode sense(10) block descriptor", data.size(), 16);
    out.density_code = data[8];
    out.block_count = Get24(&data[9]);
    out.block_length = Get24(&data[13]);
  }
  return out;
}

Result<BlockLimits> BlockLimitsData(std::span<const uint8_t> data) {
  if (data.size() < 6) return TooShort("read block limits", data.size(), 6);
  BlockLimits out;
  out.granularity = data[0] & 0x1F;
  out.max_block_length = Get24(&data[1]);
  out.min_block_length = static_cast<uint16_t>(Get16(&data[4]));
  return out;
}

Result<Position> ReadPositionShort(std::span<const uint8_t> data) {
  if (data.size() < 20) return TooShort("read position", data.size(), 20);
  Position out;
  out.bop = (data[0] & 0x80) != 0;
  out.eop = (data[0] & 0x40) != 0;
  out.position_unknown = (data[0] & 0x04) != 0;  // BPU: block position unknown
  out.partition = data[1];
  out.block = Get32(&data[4]);  // first block location: the next object to transfer
  return out;
}

Result<Position> ReadPositionLong(std::span<const uint8_t> data) {
  if (data.size() < 32) return TooShort("read position (long)", data.size(), 32);
  Position out;
  out.long_form = true;
  out.bop = (data[0] & 0x80) != 0;
  out.eop = (data[0] & 0x40) != 0;
  out.position_unknown = (data[0] & 0x04) != 0;     // LONU: logical object number unknown
  out.file_number_unknown = (data[0] & 0x08) != 0;  // MPU: mark (file) position unknown
  out.partition = Get32(&data[4]);
  out.block = Get64(&data[8]);
  out.file_number = Get64(&data[16]);
  return out;
}

namespace {

// Walks the parameters of LOG SENSE page `page` (`what` names it in the
// error): fn(code, value) for each, the value a big-endian number of at most
// 8 bytes. A parameter running past the page ends the walk.
template <typename Fn>
Status ForEachLogParameter(std::span<const uint8_t> data, uint8_t page, const char* what, Fn fn) {
  if (data.size() < 4) return TooShort("log sense", data.size(), 4);
  if ((data[0] & 0x3F) != page) {
    return Status::Error(ErrorCode::kIo, std::string("log sense: answer is not the ") + what);
  }
  const size_t end = std::min<size_t>(4 + Get16(&data[2]), data.size());
  size_t p = 4;
  while (p + 4 <= end) {
    const uint32_t code = Get16(&data[p]);
    const size_t length = data[p + 3];
    const size_t value_at = p + 4;
    if (value_at + length > end) break;
    uint64_t value = 0;
    for (size_t i = 0; i < length && i < 8; ++i) value = (value << 8) | data[value_at + i];
    fn(code, value);
    p = value_at + length;
  }
  return Status::Ok();
}

}  // namespace

Result<Capacity> TapeCapacityLogPage(std::span<const uint8_t> data) {
  Capacity out;
  bool have_remaining = false, have_maximum = false;
  constexpr uint64_t kMiB = 1024 * 1024;
  TSFS_RETURN_IF_ERROR(ForEachLogParameter(data, 0x31, "tape capacity page 0x31",
                                           [&](uint32_t code, uint64_t value) {
                                             if (code == 0x0001) {
                                               out.remaining_bytes = value * kMiB;
                                               have_remaining = true;
                                             } else if (code == 0x0003) {
                                               out.maximum_bytes = value * kMiB;
                                               have_maximum = true;
                                             }
                                           }));
  if (!have_remaining || !have_maximum) {
    return Status::Error(ErrorCode::kIo,
                         "log sense: tape capacity page without main partition capacities");
  }
  return out;
}

Result<DriveActivity> SequentialAccessLogPage(std::span<const uint8_t> data, bool vtape) {
  DriveActivity out;
  TSFS_RETURN_IF_ERROR(ForEachLogParameter(data, 0x0C, "sequential-access page 0x0C",
                                           [&](uint32_t code, uint64_t value) {
                                             switch (code) {
                                               case 0x0000:
                                                 out.bytes_from_host = value;
                                                 break;
                                               case 0x0001:
                                                 out.bytes_to_medium = value;
                                                 break;
                                               case 0x0002:
                                                 out.bytes_from_medium = value;
                                                 break;
                                               case 0x0003:
                                                 out.bytes_to_host = value;
                                                 break;
                                               case 0x8000:
                                                 if (vtape) out.repositions = value;
                                                 break;
                                               case 0x8001:
                                                 if (vtape) out.tape_starts = value;
                                                 break;
                                               default:
                                                 break;
                                             }
                                           }));
  return out;
}

SenseData RequestSenseData(std::span<const uint8_t> data) {
  size_t length = data.size();
  if (data.size() >= 8) length = std::min<size_t>(data.size(), 8u + data[7]);
  return ParseSense(data.first(length));
}

const char* DeviceTypeName(uint8_t device_type) {
  switch (device_type) {
    case 0x00:
      return "disk";
    case 0x01:
      return "tape";
    case 0x02:
      return "printer";
    case 0x03:
      return "processor";
    case 0x04:
      return "write-once";
    case 0x05:
      return "CD/DVD";
    case 0x07:
      return "optical memory";
    case 0x08:
      return "medium changer";
    case 0x0C:
      return "storage array";
    case 0x0D:
      return "enclosure";
    case 0x0E:
      return "simplified direct-access";
    case 0x11:
      return "object storage";
    case 0x1F:
      return "no device";
    default:
      return "unknown type";
  }
}

}  // namespace tsfs::parse
