#include "tapecore/ssc/ssc.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <vector>

#include "tapecore/scsi/sense.h"
#include "tapecore/scsi/ts_words.h"
#include "tapecore/ssc/cdb.h"
#include "tapecore/ssc/parse.h"

namespace tsfs {

namespace {

using std::chrono::milliseconds;

// Executes one CDB; a transport failure (no answer) becomes kTransport with
// the ts command word as context.
Result<ScsiResponse> Exec(Transport& t, std::span<const uint8_t> cdb, DataBuffer data,
                          milliseconds timeout) {
  Result<ScsiResponse> r = t.Execute(cdb, data, timeout);
  if (!r.ok()) return r.status().WithCode(ErrorCode::kTransport).WithContext(TsCommandWords(cdb));
  return r;
}

// The Status for an answer that is a real failure: ts words, sense, CDB,
// residue; kReadOnly for DATA PROTECT, kNoSpace for VOLUME OVERFLOW and for
// a write (or write filemarks) that met the end of medium with an error key.
Status Failure(const ScsiResponse& resp, std::span<const uint8_t> cdb) {
  SenseData sense = ParseSense(resp.sense);
  std::string message;
  if (sense.response_code != 0) {
    message = TsMessage(sense, cdb);
  } else if (resp.status == kScsiBusy) {
    message = std::string("Unknown error on ") + TsCommandWords(cdb) + " (target busy)";
  } else if (resp.status == kScsiReservationConflict) {
    message = std::string("Unknown error on ") + TsCommandWords(cdb) + " (reservation conflict)";
  } else {
    // istgt: after LOCATE onto a filemark, READ can answer CHECK CONDITION
    // without any sense bytes.
    char buf[64];
    std::snprintf(buf, sizeof buf, " (SCSI status 0x%02x, no sense data)", resp.status);
    message = std::string("Unknown error on ") + TsCommandWords(cdb) + buf;
  }
  const bool is_write = !cdb.empty() && (cdb[0] == cdb::kWrite6 || cdb[0] == cdb::kWriteFilemarks6);
  ErrorCode code = ErrorCode::kScsi;
  if (sense.response_code != 0) {
    if (sense.key == SenseKey::kDataProtect) {
      code = ErrorCode::kReadOnly;
    } else if (sense.key == SenseKey::kVolumeOverflow) {
      code = ErrorCode::kNoSpace;
    } else if (is_write && sense.eom && sense.key != SenseKey::kNoSense) {
      code = ErrorCode::kNoSpace;
    }
  }
  return Status::Scsi(TsCommandWords(cdb), std::move(message), resp.status, std::move(sense),
                      std::vector<uint8_t>(cdb.begin(), cdb.end()))
      .WithCode(code);
}

// True when a CHECK CONDITION only reports a completed command: RECOVERED
// ERROR, or NO SENSE with nothing but (at most) early warning.
bool CompletedAnyway(const SenseData& s) {
  if (s.response_code == 0) return false;
  if (s.key == SenseKey::kRecoveredError) return true;
  return s.key == SenseKey::kNoSense && !s.filemark && !s.ili && !s.EndOfData() &&
         (s.asc == 0x00 && (s.ascq == 0x00 || s.ascq == 0x02 || s.ascq == 0x07));
}

// Runs a command whose only answer is success or failure.
Status Simple(Transport& t, std::span<const uint8_t> cdb, DataBuffer data, milliseconds timeout) {
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp, Exec(t, cdb, data, timeout));
  if (resp.status == kScsiGood) return Status::Ok();
  if (resp.status == kScsiCheckCondition && CompletedAnyway(ParseSense(resp.sense))) {
    return Status::Ok();
  }
  return Failure(resp, cdb);
}

Status BadArgument(const char* command, std::string what) {
  return Status::Error(ErrorCode::kInvalidArgument, std::move(what)).WithContext(command);
}

}  // namespace

Status CheckPeripheral(const InquiryData& inquiry, uint8_t device_type, const char* kind,
                       ErrorCode code) {
  if (inquiry.device_type == device_type && inquiry.peripheral_qualifier == 0) {
    return Status::Ok();
  }
  char buf[128];
  if (inquiry.peripheral_qualifier != 0) {
    std::snprintf(buf, sizeof buf,
                  "not a %s: peripheral qualifier %u (no device on this logical unit)", kind,
                  inquiry.peripheral_qualifier);
  } else {
    std::snprintf(buf, sizeof buf, "not a %s: peripheral device type 0x%02x (%s)", kind,
                  inquiry.device_type, parse::DeviceTypeName(inquiry.device_type));
  }
  return Status::Error(code, buf);
}

Status CheckTapeDevice(const InquiryData& inquiry) {
  return CheckPeripheral(inquiry, 0x01, "tape drive", ErrorCode::kNotTape);
}

Ssc::Ssc(Transport& transport, SscTimeouts timeouts) : transport_(transport), timeouts_(timeouts) {}

Result<InquiryData> Ssc::Inquiry() {
  std::array<uint8_t, 96> buf{};
  const auto c = cdb::Inquiry(buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.short_op));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::Inquiry(buf);
}

Result<std::string> Ssc::UnitSerialNumber() {
  std::array<uint8_t, 255> buf{};
  const auto c = cdb::Inquiry(buf.size(), true, 0x80);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.short_op));
  if (resp.status == kScsiCheckCondition &&
      ParseSense(resp.sense).key == SenseKey::kIllegalRequest) {
    return std::string();  // the page is optional
  }
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::UnitSerialNumber(buf);
}

Status Ssc::TestUnitReady() {
  return Simple(transport_, cdb::TestUnitReady(), DataBuffer::None(), timeouts_.short_op);
}

Result<SenseData> Ssc::RequestSense() {
  std::array<uint8_t, 252> buf{};
  const auto c = cdb::RequestSense(buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.short_op));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::RequestSenseData(buf);
}

Result<ModeData> Ssc::ModeSense() {
  // Page 0 with the block descriptor: the 4-byte header and 8-byte descriptor.
  std::array<uint8_t, 12> buf{};
  const auto c = cdb::ModeSense6(0x00, buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.short_op));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::ModeSense6(buf);
}

Status Ssc::ModeSelectBlockLength(uint32_t block_length, uint8_t buffered_mode) {
  if (block_length > 0xFFFFFF) {
    return BadArgument("mode select",
                       "block length " + std::to_string(block_length) + " does not fit 24 bits");
  }
  const auto params = cdb::ModeSelectBlockDescriptor(block_length, buffered_mode);
  const auto c = cdb::ModeSelect6(params.size());
  return Simple(transport_, c, DataBuffer::Out(params), timeouts_.short_op);
}

Result<BlockLimits> Ssc::ReadBlockLimits() {
  std::array<uint8_t, cdb::kBlockLimitsLength> buf{};
  const auto c = cdb::ReadBlockLimits();
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  Result<BlockLimits> limits = parse::BlockLimitsData(buf);
  if (limits.ok()) block_limits_ = *limits;
  return limits;
}

Result<ReadResult> Ssc::ReadOnce(std::span<uint8_t> buffer, uint32_t block_length, bool sili) {
  const bool fixed = block_length > 0;
  if (fixed && buffer.size() % block_length != 0) {
    return BadArgument("read", "buffer of " + std::to_string(buffer.size()) +
                                   " bytes is not a multiple of the block length " +
                                   std::to_string(block_length));
  }
  const uint64_t count = fixed ? buffer.size() / block_length : buffer.size();
  if (count > cdb::kMaxTransferLength6) {
    return BadArgument("read", "transfer length " + std::to_string(count) + " exceeds READ(6)");
  }
  if (count == 0) return ReadResult{};
  const auto c = cdb::Read6(static_cast<uint32_t>(count), fixed, sili && !fixed);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buffer), timeouts_.normal));
  ReadResult r;
  if (resp.status == kScsiGood) {
    r.bytes = buffer.size();
    if (!fixed && resp.transport_residual > 0 && resp.transport_residual < buffer.size()) {
      // A variable record shorter than the buffer with GOOD status (SILI, or
      // istgt, which never sets ILI): there is no INFORMATION, and the
      // transport residual is the only measure (right on istgt). A
      // CHECK CONDITION never gets here: there INFORMATION rules.
      r.bytes = buffer.size() - resp.transport_residual;
      r.residue = static_cast<int64_t>(resp.transport_residual);
    }
    return r;
  }
  if (resp.status != kScsiCheckCondition) return Failure(resp, c);
  const SenseData s = ParseSense(resp.sense);
  if (s.response_code == 0) return Failure(resp, c);
  const bool end_of_data = s.EndOfData() || s.key == SenseKey::kBlankCheck;
  const bool condition =
      end_of_data || s.key == SenseKey::kNoSense || s.key == SenseKey::kRecoveredError;
  if (!condition) return Failure(resp, c);

  // INFORMATION is the count not transferred (blocks in fixed mode, bytes in
  // variable mode). Never the transport residual: tgtd reports 0 there on a
  // read into a filemark and leaves garbage in the buffer tail.
  const int64_t requested = static_cast<int64_t>(count);
  int64_t not_read;
  if (s.information_valid) {
    not_read = s.information;
  } else if (s.filemark || s.ili || end_of_data) {
    not_read = requested;  // stopped short, by how much unknown: claim no data
  } else {
    not_read = 0;  // RECOVERED ERROR, or early warning alone: the read completed
  }
  r.residue = not_read;
  if (s.ili && !fixed && not_read < 0) {
    r.bytes = buffer.size();  // record longer than the buffer: the buffer is full
  } else {
    const int64_t done = std::clamp<int64_t>(requested - not_read, 0, requested);
    r.bytes = static_cast<size_t>(done) * (fixed ? block_length : 1);
  }
  r.filemark = s.filemark;
  r.end_of_data = end_of_data;
  r.eom = s.eom;
  r.ili = s.ili;
  return r;
}

Result<WriteResult> Ssc::WriteOnce(std::span<const uint8_t> data, uint32_t block_length) {
  const bool fixed = block_length > 0;
  if (fixed && data.size() % block_length != 0) {
    return BadArgument("write", std::to_string(data.size()) +
                                    " bytes are not a multiple of the block length " +
                                    std::to_string(block_length));
  }
  const uint64_t count = fixed ? data.size() / block_length : data.size();
  if (count > cdb::kMaxTransferLength6) {
    return BadArgument("write", "transfer length " + std::to_string(count) + " exceeds WRITE(6)");
  }
  if (count == 0) return WriteResult{};
  const auto c = cdb::Write6(static_cast<uint32_t>(count), fixed);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::Out(data), timeouts_.normal));
  WriteResult r;
  if (resp.status == kScsiGood) {
    r.bytes = data.size();
    return r;
  }
  if (resp.status != kScsiCheckCondition) return Failure(resp, c);
  const SenseData s = ParseSense(resp.sense);
  const bool completed = s.response_code != 0 &&
                         (s.key == SenseKey::kNoSense || s.key == SenseKey::kRecoveredError) &&
                         !s.filemark;
  if (!completed) return Failure(resp, c);
  // Early warning (NO SENSE + EOM): written, INFORMATION counts what was not.
  const int64_t not_written =
      s.information_valid ? std::clamp<int64_t>(s.information, 0, static_cast<int64_t>(count)) : 0;
  r.bytes =
      static_cast<size_t>(static_cast<int64_t>(count) - not_written) * (fixed ? block_length : 1);
  r.early_warning = s.eom;
  return r;
}

Status Ssc::WriteFilemarks(uint32_t count, bool immediate) {
  if (count > cdb::kMaxTransferLength6) {
    return BadArgument("write file marks", "count " + std::to_string(count) + " too large");
  }
  return Simple(transport_, cdb::WriteFilemarks6(count, immediate), DataBuffer::None(),
                timeouts_.normal);
}

Result<SpaceResult> Ssc::Space(SpaceCode code, int32_t count) {
  if (code != SpaceCode::kEndOfData && (count < -(1 << 23) || count >= (1 << 23))) {
    return BadArgument("space", "count " + std::to_string(count) + " does not fit 24 bits");
  }
  const auto c = cdb::Space6(code, count);
  const milliseconds timeout = timeouts_.position;
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp, Exec(transport_, c, DataBuffer::None(), timeout));
  SpaceResult r;
  if (resp.status == kScsiGood) {
    r.end_of_data = code == SpaceCode::kEndOfData;
    return r;
  }
  if (resp.status != kScsiCheckCondition) return Failure(resp, c);
  const SenseData s = ParseSense(resp.sense);
  if (s.response_code == 0) return Failure(resp, c);
  // tgtd: SPACE filemarks past end of data answers NO SENSE 00/05 without a
  // residue; conforming drives answer BLANK CHECK 00/05 with one.
  const bool end_of_data = s.EndOfData() || s.key == SenseKey::kBlankCheck;
  const bool bop = s.asc == 0x00 && s.ascq == 0x04;  // BEGINNING-OF-PARTITION DETECTED
  const bool condition =
      end_of_data || bop || s.key == SenseKey::kNoSense || s.key == SenseKey::kRecoveredError;
  if (!condition) return Failure(resp, c);
  r.residue = s.information_valid ? s.information : 0;
  r.filemark = s.filemark;
  r.end_of_data = end_of_data || code == SpaceCode::kEndOfData;
  r.bop = bop;
  r.eom = s.eom;
  return r;
}

Status Ssc::Rewind(bool immediate) {
  return Simple(transport_, cdb::Rewind(immediate), DataBuffer::None(), timeouts_.position);
}

Status Ssc::Erase(bool long_erase, bool immediate) {
  return Simple(transport_, cdb::Erase6(long_erase, immediate), DataBuffer::None(),
                long_erase ? timeouts_.long_op : timeouts_.position);
}

Status Ssc::LoadUnload(bool load, bool retension, bool immediate) {
  return Simple(transport_, cdb::LoadUnload(load, retension, immediate), DataBuffer::None(),
                timeouts_.long_op);
}

Result<Position> Ssc::ReadPosition(bool long_form) {
  // Always a real buffer: a zero-length one crashes tgtd.
  std::array<uint8_t, cdb::kReadPositionLongLength> buf{};
  const std::span<uint8_t> data(
      buf.data(), long_form ? cdb::kReadPositionLongLength : cdb::kReadPositionShortLength);
  const auto c = cdb::ReadPosition(long_form);
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(data), timeouts_.short_op));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return long_form ? parse::ReadPositionLong(data) : parse::ReadPositionShort(data);
}

Status Ssc::Locate(uint64_t block, bool immediate) {
  if (block > 0xFFFFFFFFu) {
    return BadArgument("locate", "block " + std::to_string(block) + " exceeds LOCATE(10)");
  }
  return Simple(transport_, cdb::Locate10(static_cast<uint32_t>(block), immediate),
                DataBuffer::None(), timeouts_.position);
}

Result<Capacity> Ssc::LogSenseCapacity() {
  std::array<uint8_t, 256> buf{};
  const auto c = cdb::LogSense(0x31, buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.short_op));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::TapeCapacityLogPage(buf);
}

Result<DriveActivity> Ssc::LogSenseDriveActivity(bool vtape) {
  std::array<uint8_t, 512> buf{};
  const auto c = cdb::LogSense(0x0C, buf.size());
  TSFS_ASSIGN_OR_RETURN(ScsiResponse resp,
                        Exec(transport_, c, DataBuffer::In(buf), timeouts_.normal));
  if (resp.status != kScsiGood) return Failure(resp, c);
  return parse::SequentialAccessLogPage(buf, vtape);
}

Status Ssc::PreventAllowMediumRemoval(bool prevent) {
  return Simple(transport_, cdb::PreventAllowMediumRemoval(prevent), DataBuffer::None(),
                timeouts_.short_op);
}

}  // namespace tsfs
