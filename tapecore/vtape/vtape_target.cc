#include "tapecore/vtape/vtape_target.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "tapecore/vtape/cdb_fields.h"

namespace tsfs::vtape {
namespace {

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
      drive_(options_.rate_mb_s * 1e6, options_.drive_buffer, options_.drive_start) {
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
  drive_.Reposition();
}

VtapeStats VtapeTarget::Stats() const {
  VtapeStats s = stats_;
  s.repositions = drive_.repositions();
  s.tape_starts = drive_.counters().starts;
  s.bytes_to_tape = drive_.counters().bytes_to_tape;
  s.bytes_from_tape = drive_.counters().bytes_from_tape;
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
  if (f.reset) {
    // As a drive after a reset (and tgtd and istgt on a new session,
    // TARGETS.md): back at BOT, the block length forgotten.
    pos_ = 0;
    block_length_ = 0;
    drive_.Reposition();
  }
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
  if (needs_medium) {
    if (auto busy = EraseInProgress(now)) return *busy;
  }
  switch (op) {
    case kTestUnitReady:
      if (auto f = SimpleFault(FaultCommand::kTur, pos_)) return *f;
      return Good();
    case kRewind:
      if (auto f = SimpleFault(FaultCommand::kRewind, pos_)) return *f;
      pos_ = 0;
      ++stats_.rewinds;
      drive_.Reposition();
      return Good();
    case kRequestSense:
      return RequestSense(cdb, data);
    case kReadBlockLimits:
      if (auto f = SimpleFault(FaultCommand::kBlockLimits, pos_)) return *f;
      return ReadBlockLimits(data);
    case kRead6:
      return Read(cdb, data, now);
    case kWrite6:
      return Write(cdb, data, now);
    case kWriteFilemarks6:
      return WriteFilemarks(cdb, now);
    case kSpace6: {
      int64_t count = Be24(&cdb[2]);
      if (count & 0x800000) count -= 0x1000000;  // 24-bit two's complement
      return Space(cdb[1] & 0x07, count);
    }
    case kSpace16:
      return Space(cdb[1] & 0x0F, static_cast<int64_t>(Be64(&cdb[4])));
    case kInquiry:
      if (auto f = SimpleFault(FaultCommand::kInquiry, pos_)) return *f;
      return Inquiry(cdb, data);
    case kModeSelect6:
    case kModeSelect10:
      if (auto f = SimpleFault(FaultCommand::kModeSelect, pos_)) return *f;
      return ModeSelect(cdb, data, op == kModeSelect10);
    case kModeSense6:
    case kModeSense10:
      if (auto f = SimpleFault(FaultCommand::kModeSense, pos_)) return *f;
      return ModeSense(cdb, data, op == kModeSense10);
    case kErase6:
      return Erase(cdb, now);
    case kLoadUnload:
      return LoadUnload(cdb);
    case kPreventAllowMediumRemoval:
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
      if (auto f = SimpleFault(FaultCommand::kReadPosition, pos_)) return *f;
      return ReadPosition(cdb, data);
    case kLogSense:
      return LogSense(cdb, data);
    case kReportLuns:
      return ReportLuns(data);
    default:
      return Check(SenseKey::kIllegalRequest, 0x20, 0x00);
  }
}

}  // namespace tsfs::vtape
