#include "tapecore/vtape/vtape_target.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>

namespace tsfs::vtape {
namespace {

// Operation codes (SPC-4, SSC-4).
constexpr uint8_t kTestUnitReady = 0x00;
constexpr uint8_t kRewind = 0x01;
constexpr uint8_t kRequestSense = 0x03;
constexpr uint8_t kReadBlockLimits = 0x05;
constexpr uint8_t kRead6 = 0x08;
constexpr uint8_t kWrite6 = 0x0A;
constexpr uint8_t kWriteFilemarks6 = 0x10;
constexpr uint8_t kSpace6 = 0x11;
constexpr uint8_t kInquiry = 0x12;
constexpr uint8_t kModeSelect6 = 0x15;
constexpr uint8_t kErase6 = 0x19;
constexpr uint8_t kModeSense6 = 0x1A;
constexpr uint8_t kLoadUnload = 0x1B;
constexpr uint8_t kPreventAllow = 0x1E;
constexpr uint8_t kLocate10 = 0x2B;
constexpr uint8_t kReadPosition = 0x34;
constexpr uint8_t kLogSense = 0x4D;
constexpr uint8_t kModeSelect10 = 0x55;
constexpr uint8_t kModeSense10 = 0x5A;
constexpr uint8_t kSpace16 = 0x91;
constexpr uint8_t kLocate16 = 0x92;
constexpr uint8_t kReportLuns = 0xA0;

constexpr uint32_t kMaxBlockLength = 0xFFFFFF;  // what a 24-bit transfer length can carry

uint32_t Be16(const uint8_t* p) { return uint32_t{p[0]} << 8 | p[1]; }
uint32_t Be24(const uint8_t* p) { return uint32_t{p[0]} << 16 | uint32_t{p[1]} << 8 | p[2]; }
uint32_t Be32(const uint8_t* p) { return uint32_t{p[0]} << 24 | Be24(p + 1); }
uint64_t Be64(const uint8_t* p) { return uint64_t{Be32(p)} << 32 | Be32(p + 4); }

void PutBe(uint8_t* p, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) {
    p[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
}

size_t CdbLength(uint8_t op) {
  switch (op >> 5) {
    case 0:
      return 6;
    case 1:
    case 2:
      return 10;
    case 4:
      return 16;
    case 5:
      return 12;
    default:
      return 6;
  }
}

std::string SerialFor(const std::string& path) {
  uint64_t h = 1469598103934665603ull;  // FNV-1a: stable across runs
  for (unsigned char c : path) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[16];
  std::snprintf(buf, sizeof buf, "VT%010llX", static_cast<unsigned long long>(h & 0xFFFFFFFFFFull));
  return buf;
}

}  // namespace

VtapeTarget::VtapeTarget(VtapeOptions options, std::unique_ptr<TapImage> image)
    : options_(std::move(options)),
      image_(std::move(image)),
      faults_(options_.faults),
      drive_(options_.rate_mb_s * 1e6, options_.drive_buffer) {
  write_protected_ = options_.read_only || image_->read_only();
  unit_attention_ = options_.power_on_attention;
  unit_attention_asc_ = 0x29;
  serial_ = SerialFor(options_.path);
}

void VtapeTarget::ChangeTape(std::unique_ptr<TapImage> image, bool read_only) {
  if (image) {
    image_writes_before_ += image_->write_syscalls();
    image_ = std::move(image);
  }
  write_protected_ = read_only || image_->read_only();
  pos_ = 0;
  loaded_ = true;
  unit_attention_ = true;
  unit_attention_asc_ = 0x28;
  ++stats_.tape_changes;
  Stop(false);
}

VtapeStats VtapeTarget::Stats() const {
  VtapeStats s = stats_;
  s.repositions = drive_.repositions();
  s.image_writes = image_writes_before_ + image_->write_syscalls();
  s.position = pos_;
  s.end_of_data = image_->size();
  s.used_bytes = Used();
  s.capacity_bytes = options_.capacity;
  s.early_warning_bytes = options_.early_warning;
  s.block_length = block_length_;
  s.write_protected = write_protected_;
  s.loaded = loaded_;
  return s;
}

Result<ScsiResponse> VtapeTarget::Execute(Cdb cdb, DataBuffer data, double now) {
  host_error_ = Status::Ok();
  Reply r = Dispatch(cdb, data, now);
  if (!host_error_.ok()) return host_error_;
  ++stats_.commands;
  if (r.status != kScsiGood) ++stats_.check_conditions;
  ScsiResponse resp;
  resp.status = r.status;
  resp.sense = std::move(r.sense);
  resp.transport_residual = r.residual;
  return resp;
}

VtapeTarget::Reply VtapeTarget::Check(const SenseSpec& spec, size_t residual) {
  return Reply{kScsiCheckCondition, BuildFixedSense(spec), residual};
}

VtapeTarget::Reply VtapeTarget::ImageError(const Status& st, bool writing) {
  last_image_error_ = st.ToString();
  if (st.code() == ErrorCode::kReadOnly) return WriteProtected();
  return writing ? Check(SenseKey::kMediumError, 0x0C, 0x00)
                 : Check(SenseKey::kMediumError, 0x11, 0x00);
}

VtapeTarget::Reply VtapeTarget::Fault(const FaultSense& f, int64_t residue) {
  ++stats_.faults_injected;
  SenseSpec s{f.key, f.asc, f.ascq};
  s.eom = f.eom;
  if (residue >= 0) {
    s.information_valid = true;
    s.information = residue;
  }
  return Check(s);
}

std::optional<VtapeTarget::Reply> VtapeTarget::SimpleFault(FaultCommand command, uint64_t at) {
  auto f = faults_.Check(command, at, 1, nullptr);
  if (!f) return std::nullopt;
  return Fault(*f, -1);
}

bool VtapeTarget::PastEarlyWarning(uint64_t used) const {
  return used + options_.early_warning >= options_.capacity;
}

VtapeTarget::Reply VtapeTarget::PutIn(DataBuffer& data, const std::vector<uint8_t>& bytes,
                                      size_t allocation) {
  size_t n = std::min(bytes.size(), allocation);
  if (n > 0 && data.direction != DataDirection::kIn) {
    host_error_ = Status::Error(ErrorCode::kInvalidArgument,
                                "vtape: command returns data but no data-in buffer was given");
    return Good();
  }
  n = std::min(n, data.length);
  if (n) std::memcpy(data.data, bytes.data(), n);
  return Good(data.length - n);
}

VtapeTarget::Reply VtapeTarget::Dispatch(Cdb cdb, DataBuffer& data, double now) {
  if (cdb.empty()) return Check(SenseKey::kIllegalRequest, 0x20, 0x00);
  const uint8_t op = cdb[0];
  if (cdb.size() < CdbLength(op)) return InvalidField();
  const bool always = op == kInquiry || op == kRequestSense || op == kReportLuns;
  if (!always && unit_attention_) {
    unit_attention_ = false;
    return Check(SenseKey::kUnitAttention, unit_attention_asc_, 0x00);
  }
  const bool needs_medium = op == kTestUnitReady || op == kRewind || op == kRead6 ||
                            op == kWrite6 || op == kWriteFilemarks6 || op == kSpace6 ||
                            op == kSpace16 || op == kErase6 || op == kLocate10 || op == kLocate16 ||
                            op == kReadPosition;
  if (needs_medium && !loaded_) return Check(SenseKey::kNotReady, 0x3A, 0x00);
  switch (op) {
    case kTestUnitReady:
      if (auto f = SimpleFault(FaultCommand::kTur, pos_)) return *f;
      return Good();
    case kRewind:
      if (auto f = SimpleFault(FaultCommand::kRewind, pos_)) return *f;
      pos_ = 0;
      ++stats_.rewinds;
      Stop(false);
      return Good();
    case kRequestSense:
      return RequestSense(cdb, data);
    case kReadBlockLimits:
      return ReadBlockLimits(data);
    case kRead6:
      return Read(cdb, data, now);
    case kWrite6:
      return Write(cdb, data, now);
    case kWriteFilemarks6:
      return WriteFilemarks(cdb);
    case kSpace6: {
      int64_t count = Be24(&cdb[2]);
      if (count & 0x800000) count -= 0x1000000;  // 24-bit two's complement
      return Space(cdb[1] & 0x07, count);
    }
    case kSpace16:
      return Space(cdb[1] & 0x0F, static_cast<int64_t>(Be64(&cdb[4])));
    case kInquiry:
      return Inquiry(cdb, data);
    case kModeSelect6:
      return ModeSelect(cdb, data, false);
    case kModeSelect10:
      return ModeSelect(cdb, data, true);
    case kModeSense6:
      return ModeSense(cdb, data, false);
    case kModeSense10:
      return ModeSense(cdb, data, true);
    case kErase6:
      return Erase(cdb);
    case kLoadUnload:
      return LoadUnload(cdb);
    case kPreventAllow:
      prevent_removal_ = (cdb[4] & 0x03) != 0;
      return Good();
    case kLocate10:
      if ((cdb[1] & 0x02) && cdb[8] != 0) return InvalidField();  // one partition only
      return Locate(Be32(&cdb[3]));
    case kLocate16: {
      if ((cdb[1] & 0x02) && cdb[3] != 0) return InvalidField();
      const uint8_t dest_type = (cdb[1] >> 3) & 0x07;
      const uint64_t id = Be64(&cdb[4]);
      if (dest_type == 0) return Locate(id);
      if (dest_type == 1) return Locate(image_->FileStart(id));
      return InvalidField();
    }
    case kReadPosition:
      return ReadPosition(cdb, data);
    case kLogSense:
      return LogSense(cdb, data);
    case kReportLuns:
      return ReportLuns(data);
    default:
      return Check(SenseKey::kIllegalRequest, 0x20, 0x00);
  }
}

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
    b = {0x01, 0x80, 0x00, static_cast<uint8_t>(serial_.size())};
    b.insert(b.end(), serial_.begin(), serial_.end());
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

VtapeTarget::Reply VtapeTarget::Read(Cdb cdb, DataBuffer& data, double now) {
  const bool sili = cdb[1] & 0x02;
  const bool fixed = cdb[1] & 0x01;
  const uint32_t xfer = Be24(&cdb[2]);
  if (fixed && (sili || block_length_ == 0)) return InvalidField();
  if (xfer == 0) return Good(data.length);
  const uint64_t bytes = fixed ? uint64_t{xfer} * block_length_ : xfer;
  if (data.direction != DataDirection::kIn || data.length < bytes) {
    host_error_ =
        Status::Error(ErrorCode::kInvalidArgument, "vtape: READ of " + std::to_string(bytes) +
                                                       " bytes with a data-in buffer of " +
                                                       std::to_string(data.length) + " bytes");
    return Good();
  }
  uint64_t good = 0;
  const auto fault = faults_.Check(FaultCommand::kRead, pos_, fixed ? xfer : 1, &good);
  const uint64_t eod = image_->size();
  uint8_t* dst = data.data;

  if (!fixed) {
    if (fault) return Fault(*fault, xfer);
    if (pos_ >= eod) {
      return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true, xfer},
                   data.length);
    }
    const TapObject o = image_->Object(pos_);
    if (o.kind == ObjectKind::kTapeMark) {
      ++pos_;
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true, xfer}, data.length);
    }
    if (o.kind == ObjectKind::kBadRecord) {
      ++pos_;
      return Check({SenseKey::kMediumError, 0x11, 0x00, false, false, false, true, xfer},
                   data.length);
    }
    const size_t n = std::min<size_t>(o.length, xfer);
    if (Status st = image_->ReadRecord(pos_, {dst, n}); !st.ok()) return ImageError(st, false);
    ++pos_;
    ++stats_.records_read;
    stats_.bytes_read += n;
    if (const int r = drive_.Read(n, now); r && options_.delay_ms > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(options_.delay_ms * r));
    }
    const size_t residual = data.length - n;
    if (o.length == xfer || (o.length < xfer && sili)) return Good(residual);
    // Incorrect length: INFORMATION = requested - actual (negative when the
    // record was longer than asked; its tail is lost, the tape is past it).
    return Check({SenseKey::kNoSense, 0x00, 0x00, false, false, true, true,
                  int64_t{xfer} - int64_t{o.length}},
                 residual);
  }

  const uint32_t length = block_length_;
  const uint64_t limit = fault ? std::min<uint64_t>(good, xfer) : xfer;
  uint64_t done = 0;
  std::optional<Reply> stop;
  while (done < limit) {
    if (pos_ >= eod) {
      stop = Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    const TapObject o = image_->Object(pos_);
    if (o.kind == ObjectKind::kTapeMark) {
      ++pos_;
      stop = Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    if (o.kind == ObjectKind::kBadRecord) {
      ++pos_;
      stop = Check({SenseKey::kMediumError, 0x11, 0x00, false, false, false, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    if (o.length != length) {
      // A block of another length in fixed mode: ILI, the tape is past it,
      // INFORMATION counts it as not read.
      ++pos_;
      stop = Check({SenseKey::kNoSense, 0x00, 0x00, false, false, true, true,
                    static_cast<int64_t>(xfer - done)});
      break;
    }
    const uint64_t k = image_->CountRecords(pos_, limit - done, length);
    if (Status st = image_->ReadRecords(pos_, k, length, dst + done * length); !st.ok()) {
      stop = ImageError(st, false);
      break;
    }
    pos_ += k;
    done += k;
  }
  stats_.records_read += done;
  stats_.bytes_read += done * length;
  if (const int r = drive_.Read(done * length, now); r && options_.delay_ms > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(options_.delay_ms * r));
  }
  const size_t residual = data.length - done * length;
  if (stop) {
    stop->residual = residual;
    return *stop;
  }
  if (fault) {
    Reply r = Fault(*fault, static_cast<int64_t>(xfer - done));
    r.residual = residual;
    return r;
  }
  return Good(residual);
}

VtapeTarget::Reply VtapeTarget::Write(Cdb cdb, DataBuffer& data, double now) {
  const bool fixed = cdb[1] & 0x01;
  const uint32_t xfer = Be24(&cdb[2]);
  if (cdb[1] & 0x02) return InvalidField();
  if (fixed && block_length_ == 0) return InvalidField();
  if (write_protected_) return WriteProtected();
  if (xfer == 0) return Good();
  const uint32_t length = fixed ? block_length_ : xfer;
  const uint64_t count = fixed ? xfer : 1;
  const uint64_t bytes = count * length;
  if (data.direction != DataDirection::kOut || data.length < bytes) {
    host_error_ =
        Status::Error(ErrorCode::kInvalidArgument, "vtape: WRITE of " + std::to_string(bytes) +
                                                       " bytes with a data-out buffer of " +
                                                       std::to_string(data.length) + " bytes");
    return Good();
  }
  const int64_t requested = fixed ? int64_t{xfer} : int64_t{xfer};
  // End of partition: nothing of this command is written.
  const uint64_t used = image_->DataBytesBefore(pos_);
  if (used + bytes > options_.capacity) {
    return Check({SenseKey::kVolumeOverflow, 0x00, 0x02, false, true, false, true, requested});
  }
  uint64_t good = 0;
  const auto fault = faults_.Check(FaultCommand::kWrite, pos_, count, &good);
  const uint64_t n = fault ? std::min(good, count) : count;
  if (n > 0) {
    if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
    if (Status st = image_->AppendRecords(data.data, length, n); !st.ok()) {
      // The index still says what is on the tape; stay at its end.
      pos_ = image_->size();
      return ImageError(st, true);
    }
    pos_ += n;
    stats_.records_written += n;
    stats_.bytes_written += n * length;
    if (const int r = drive_.Write(n * length, now); r && options_.delay_ms > 0) {
      std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(options_.delay_ms * r));
    }
  }
  if (fault) return Fault(*fault, fixed ? static_cast<int64_t>(count - n) : requested);
  if (PastEarlyWarning(used + bytes)) {
    // Early warning: everything was written; the host should finish up.
    return Check({SenseKey::kNoSense, 0x00, 0x02, false, true, false, true, 0});
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::WriteFilemarks(Cdb cdb) {
  const bool immediate = cdb[1] & 0x01;
  if (cdb[1] & 0x02) return InvalidField();  // no setmarks
  const uint32_t count = Be24(&cdb[2]);
  if (count > 0 && write_protected_) return WriteProtected();
  if (auto f = SimpleFault(FaultCommand::kWfm, pos_)) return *f;
  if (count > 0) {
    if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
    if (Status st = image_->AppendTapeMarks(count); !st.ok()) {
      pos_ = image_->size();
      return ImageError(st, true);
    }
    pos_ += count;
    stats_.filemarks_written += count;
  }
  if (!immediate || count == 0) {
    // The durability point of SSC: buffered data and filemarks are on the medium.
    ++stats_.syncs;
    if (Status st = image_->Sync(); !st.ok()) return ImageError(st, true);
    Stop(true);
  }
  if (count > 0 && PastEarlyWarning(Used())) {
    return Check({SenseKey::kNoSense, 0x00, 0x02, false, true, false, true, 0});
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::Space(uint8_t code, int64_t count) {
  if (code > 3) return InvalidField();  // setmarks and reserved codes
  if (auto f = SimpleFault(FaultCommand::kSpace, pos_)) return *f;
  Stop(false);
  switch (code) {
    case 0:
      return SpaceBlocks(count);
    case 1:
      return SpaceFilemarks(count);
    case 2:
      return SpaceSequentialFilemarks(count);
    default:
      pos_ = image_->size();
      return Good();
  }
}

VtapeTarget::Reply VtapeTarget::SpaceBlocks(int64_t count) {
  const uint64_t eod = image_->size();
  if (count > 0) {
    const uint64_t n = static_cast<uint64_t>(count);
    const uint64_t mark = image_->NextTapeMark(pos_);
    if (mark < eod && mark < pos_ + n) {
      const uint64_t spaced = mark - pos_;
      pos_ = mark + 1;  // forward: on the end side of the filemark
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    if (pos_ + n > eod) {
      const uint64_t spaced = eod - std::min(pos_, eod);
      pos_ = eod;
      return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    pos_ += n;
    return Good();
  }
  if (count < 0) {
    // Residues of backward spacing are positive (SSC: never negative).
    const uint64_t n = static_cast<uint64_t>(-count);
    const int64_t mark = image_->PrevTapeMark(pos_);
    if (mark >= 0 && static_cast<uint64_t>(mark) + n >= pos_) {
      const uint64_t spaced = pos_ - static_cast<uint64_t>(mark) - 1;
      pos_ = static_cast<uint64_t>(mark);  // backward: on the BOT side of the filemark
      return Check({SenseKey::kNoSense, 0x00, 0x01, true, false, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    if (n > pos_) {
      const uint64_t spaced = pos_;
      pos_ = 0;
      return Check({SenseKey::kNoSense, 0x00, 0x04, false, true, false, true,
                    static_cast<int64_t>(n - spaced)});
    }
    pos_ -= n;
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::SpaceFilemarks(int64_t count) {
  const uint64_t eod = image_->size();
  if (count > 0) {
    const uint64_t n = static_cast<uint64_t>(count);
    uint64_t p = pos_;
    for (uint64_t spaced = 0; spaced < n; ++spaced) {
      const uint64_t mark = image_->NextTapeMark(p);
      if (mark >= eod) {
        pos_ = eod;
        return Check({SenseKey::kBlankCheck, 0x00, 0x05, false, false, false, true,
                      static_cast<int64_t>(n - spaced)});
      }
      p = mark + 1;
    }
    pos_ = p;
    return Good();
  }
  if (count < 0) {
    const uint64_t n = static_cast<uint64_t>(-count);
    uint64_t p = pos_;
    for (uint64_t spaced = 0; spaced < n; ++spaced) {
      const int64_t mark = image_->PrevTapeMark(p);
      if (mark < 0) {
        pos_ = 0;
        return Check({SenseKey::kNoSense, 0x00, 0x04, false, true, false, true,
                      static_cast<int64_t>(n - spaced)});
      }
      p = static_cast<uint64_t>(mark);
    }
    pos_ = p;
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::SpaceSequentialFilemarks(int64_t count) {
  if (count < 0) return InvalidField();  // backward: not supported
  if (count == 0) return Good();
  const uint64_t n = static_cast<uint64_t>(count);
  const uint64_t eod = image_->size();
  uint64_t p = pos_;
  while (true) {
    const uint64_t mark = image_->NextTapeMark(p);
    if (mark >= eod) {
      pos_ = eod;
      return Check(SenseKey::kBlankCheck, 0x00, 0x05);
    }
    uint64_t run = 0;
    while (mark + run < eod && run < n &&
           image_->Object(mark + run).kind == ObjectKind::kTapeMark) {
      ++run;
    }
    if (run == n) {
      pos_ = mark + n;
      return Good();
    }
    p = mark + run;
  }
}

VtapeTarget::Reply VtapeTarget::Locate(uint64_t object) {
  if (auto f = SimpleFault(FaultCommand::kLocate, object)) return *f;
  Stop(false);
  const uint64_t eod = image_->size();
  if (object > eod) {
    pos_ = eod;
    return Check(SenseKey::kBlankCheck, 0x00, 0x05);
  }
  pos_ = object;
  return Good();
}

VtapeTarget::Reply VtapeTarget::ReadPosition(Cdb cdb, DataBuffer& data) {
  const uint8_t service_action = cdb[1] & 0x1F;
  uint8_t flags = 0;
  if (pos_ == 0) flags |= 0x80;                                        // BOP
  if (PastEarlyWarning(image_->DataBytesBefore(pos_))) flags |= 0x40;  // EOP
  std::vector<uint8_t> b;
  switch (service_action) {
    case 0x00:  // short form, block identifiers
    case 0x01:  // short form, vendor specific
      b.assign(20, 0);
      if (pos_ > 0xFFFFFFFFull) flags |= 0x04;  // BPEW/BPU: not representable
      b[0] = flags;
      PutBe(&b[4], pos_, 4);
      PutBe(&b[8], pos_, 4);
      break;
    case 0x06:  // long form
      b.assign(32, 0);
      b[0] = flags;
      PutBe(&b[8], pos_, 8);
      PutBe(&b[16], image_->TapeMarksBefore(pos_), 8);
      break;
    case 0x08:  // extended form
      b.assign(32, 0);
      b[0] = flags;
      PutBe(&b[2], 0x1C, 2);
      PutBe(&b[8], pos_, 8);
      PutBe(&b[16], pos_, 8);
      break;
    default:
      return InvalidField();
  }
  const size_t alloc = service_action == 0x08 ? Be16(&cdb[7]) : b.size();
  return PutIn(data, b, alloc);
}

VtapeTarget::Reply VtapeTarget::Erase(Cdb cdb) {
  if (write_protected_) return WriteProtected();
  if (auto f = SimpleFault(FaultCommand::kErase, pos_)) return *f;
  Stop(false);
  // Long or short, everything from here on is gone: end of data is here.
  if (Status st = image_->Truncate(pos_); !st.ok()) return ImageError(st, true);
  ++stats_.erases;
  if (cdb[1] & 0x01) {  // long: make it durable
    ++stats_.syncs;
    if (Status st = image_->Sync(); !st.ok()) return ImageError(st, true);
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::LoadUnload(Cdb cdb) {
  const bool load = cdb[4] & 0x01;
  const bool reten = cdb[4] & 0x02;
  const bool eot = cdb[4] & 0x04;
  if (load && eot) return InvalidField();
  if (auto f = SimpleFault(FaultCommand::kLoad, pos_)) return *f;
  if (!load && prevent_removal_) return Check(SenseKey::kIllegalRequest, 0x53, 0x02);
  Stop(false);
  if (reten) ++stats_.retensions;
  pos_ = 0;
  if (load) {
    ++stats_.loads;
    loaded_ = true;
  } else {
    ++stats_.unloads;
    loaded_ = false;
  }
  return Good();
}

VtapeTarget::Reply VtapeTarget::LogSense(Cdb cdb, DataBuffer& data) {
  if (cdb[1] & 0x02) return InvalidField();  // PPC
  const uint8_t page = cdb[2] & 0x3F;
  const size_t alloc = Be16(&cdb[7]);
  if (cdb[3] != 0) return InvalidField();
  std::vector<uint8_t> b;
  if (page == 0x00) {
    b = {0x00, 0x00, 0x00, 0x02, 0x00, 0x31};
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
      PutBe(p, static_cast<uint64_t>(i + 1), 2);
      p[2] = 0x40;  // control: DS, binary
      p[3] = 4;
      PutBe(p + 4, values[i], 4);
    }
  } else {
    return InvalidField();
  }
  return PutIn(data, b, alloc);
}

VtapeTarget::Reply VtapeTarget::ReportLuns(DataBuffer& data) {
  std::vector<uint8_t> b(16, 0);
  b[3] = 8;  // one LUN: 0
  return PutIn(data, b, b.size());
}

}  // namespace tsfs::vtape
