#include "tapecore/status.h"

#include <cstdio>

namespace tsfs {

const char* ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "ok";
    case ErrorCode::kScsi:
      return "SCSI error";
    case ErrorCode::kTransport:
      return "transport error";
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kNotTape:
      return "not a tape device";
    case ErrorCode::kNotChanger:
      return "not a media changer";
    case ErrorCode::kUnsupported:
      return "not supported";
    case ErrorCode::kBadSequence:
      return "bad sequence";
    case ErrorCode::kIllegalSeek:
      return "illegal seek";
    case ErrorCode::kNoSpace:
      return "end of medium";
    case ErrorCode::kReadOnly:
      return "write-protected";
    case ErrorCode::kBusy:
      return "busy";
    case ErrorCode::kNoMemory:
      return "out of memory";
    case ErrorCode::kPermission:
      return "not permitted";
    case ErrorCode::kConfig:
      return "configuration error";
    case ErrorCode::kCorrupt:
      return "corrupt tape image";
    case ErrorCode::kIo:
      return "I/O error";
  }
  return "unknown error";
}

namespace {
const std::string& EmptyString() {
  static const std::string kEmpty;  // immutable
  return kEmpty;
}
}  // namespace

Status Status::Error(ErrorCode code, std::string message) {
  if (code == ErrorCode::kOk) return Status();
  auto rep = std::make_shared<Rep>();
  rep->code = code;
  rep->message = std::move(message);
  return Status(std::move(rep));
}

Status Status::Scsi(std::string command, std::string message, uint8_t scsi_status, SenseData sense,
                    std::vector<uint8_t> cdb) {
  auto rep = std::make_shared<Rep>();
  rep->code = ErrorCode::kScsi;
  rep->context = std::move(command);
  rep->message = std::move(message);
  rep->scsi_status = scsi_status;
  if (sense.information_valid) rep->residue = sense.information;
  rep->sense = std::move(sense);
  rep->cdb = std::move(cdb);
  return Status(std::move(rep));
}

const std::string& Status::message() const { return rep_ ? rep_->message : EmptyString(); }
const std::string& Status::context() const { return rep_ ? rep_->context : EmptyString(); }
const std::vector<uint8_t>& Status::cdb() const {
  static const std::vector<uint8_t> kEmpty;  // immutable
  return rep_ ? rep_->cdb : kEmpty;
}

Status Status::WithContext(std::string context) const {
  if (ok()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  if (rep->context.empty()) {
    rep->context = std::move(context);
  } else {
    rep->context = std::move(context) + ": " + rep->context;
  }
  return Status(std::move(rep));
}

Status Status::WithResidue(int64_t residue) const {
  if (ok()) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->residue = residue;
  return Status(std::move(rep));
}

Status Status::WithCode(ErrorCode code) const {
  if (ok() || code == ErrorCode::kOk) return *this;
  auto rep = std::make_shared<Rep>(*rep_);
  rep->code = code;
  return Status(std::move(rep));
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  std::string out;
  if (!rep_->context.empty()) out = rep_->context + ": ";
  if (!rep_->message.empty()) {
    out += rep_->message;
  } else {
    out += ErrorCodeName(rep_->code);
  }
  if (rep_->sense) {
    char buf[64];
    std::snprintf(buf, sizeof buf, " [sense key 0x%x, ASC/ASCQ %02x/%02x%s%s%s]",
                  static_cast<unsigned>(rep_->sense->key), rep_->sense->asc, rep_->sense->ascq,
                  rep_->sense->filemark ? " FM" : "", rep_->sense->eom ? " EOM" : "",
                  rep_->sense->ili ? " ILI" : "");
    out += buf;
  }
  if (rep_->residue) out += " residue " + std::to_string(*rep_->residue);
  return out;
}

}  // namespace tsfs
