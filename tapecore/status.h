// Status and Result<T>: errors as values, from the transport up to fusefs.
//
// A Status is OK or carries an ErrorCode, a message, the context (which
// operation, on which unit) and, for SCSI failures, the whole sense: key,
// ASC/ASCQ, FILEMARK/EOM/ILI, the INFORMATION field (the residue tapecore
// trusts) and the raw bytes with the CDB for diagnostics. errno is made from
// a Status in exactly one place, fusefs/errno_map.cc.
//
// Status is an immutable value: copies share one heap record, OK costs
// nothing. Thread-safe to copy and read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace tsfs {

// SCSI sense keys (SPC-4 table 28).
enum class SenseKey : uint8_t {
  kNoSense = 0x0,
  kRecoveredError = 0x1,
  kNotReady = 0x2,
  kMediumError = 0x3,
  kHardwareError = 0x4,
  kIllegalRequest = 0x5,
  kUnitAttention = 0x6,
  kDataProtect = 0x7,
  kBlankCheck = 0x8,
  kVendorSpecific = 0x9,
  kCopyAborted = 0xA,
  kAbortedCommand = 0xB,
  kReserved = 0xC,
  kVolumeOverflow = 0xD,
  kMiscompare = 0xE,
  kCompleted = 0xF,
};

// Decoded sense data (fixed or descriptor format).
struct SenseData {
  uint8_t response_code = 0;  // 0x70/0x71 fixed, 0x72/0x73 descriptor
  SenseKey key = SenseKey::kNoSense;
  uint8_t asc = 0;
  uint8_t ascq = 0;
  bool filemark = false;
  bool eom = false;
  bool ili = false;
  bool information_valid = false;
  // INFORMATION: for READ/WRITE/SPACE the requested minus the actual count
  // (blocks in fixed mode, bytes in variable mode); negative when a variable
  // record was longer than asked (ILI).
  int64_t information = 0;
  std::vector<uint8_t> raw;

  bool Is(SenseKey k, uint8_t a, uint8_t q) const { return key == k && asc == a && ascq == q; }
  // ASC/ASCQ 00/05: END-OF-DATA DETECTED, whatever the key (BLANK CHECK on a
  // conforming drive, NO SENSE on tgtd).
  bool EndOfData() const { return asc == 0x00 && ascq == 0x05; }
};

enum class ErrorCode {
  kOk = 0,
  kScsi,             // the target answered CHECK CONDITION (see sense())
  kTransport,        // no answer: connection lost, target gone, timeout
  kInvalidArgument,  // malformed source, option, count
  kNotFound,         // the named device, image or file does not exist
  kNotTape,          // the device is not a sequential-access device
  kNotChanger,       // the device is not a media changer (SMC, peripheral type 8)
  kUnsupported,      // an operation the ts rules or the target do not have
  kBadSequence,      // ts: illegal read after write, bad operation after write
  kIllegalSeek,      // a position behind the current one on a sequential file
  kNoSpace,          // end of medium, volume overflow
  kReadOnly,         // write-protected medium or read-only mount
  kBusy,             // one data stream per drive
  kNoMemory,         // streaming buffers could not be allocated (openfail)
  kPermission,       // not allowed by the file-system rules (e.g. not the next name)
  kConfig,           // malformed configuration file
  kCorrupt,          // a tape image that cannot be parsed
  kIo,               // any other input/output error
};

const char* ErrorCodeName(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Ok() { return Status(); }
  static Status Error(ErrorCode code, std::string message);
  // A CHECK CONDITION (or other non-GOOD status) on `command` (e.g. "write");
  // `message` is the ts(4) wording, e.g. "Media error on write".
  static Status Scsi(std::string command, std::string message, uint8_t scsi_status, SenseData sense,
                     std::vector<uint8_t> cdb);

  bool ok() const { return rep_ == nullptr; }
  explicit operator bool() const { return ok(); }
  ErrorCode code() const { return rep_ ? rep_->code : ErrorCode::kOk; }
  const std::string& message() const;
  // The operation the error belongs to ("write", "space", "open file003").
  const std::string& context() const;
  const SenseData* sense() const { return rep_ && rep_->sense ? &*rep_->sense : nullptr; }
  uint8_t scsi_status() const { return rep_ ? rep_->scsi_status : 0; }
  const std::vector<uint8_t>& cdb() const;
  // Blocks (fixed) or bytes (variable) not transferred, when known.
  std::optional<int64_t> residue() const { return rep_ ? rep_->residue : std::nullopt; }

  // Copies with more detail. On an OK status these return OK unchanged.
  Status WithContext(std::string context) const;
  Status WithResidue(int64_t residue) const;
  Status WithCode(ErrorCode code) const;

  std::string ToString() const;

 private:
  struct Rep {
    ErrorCode code = ErrorCode::kIo;
    std::string message;
    std::string context;
    std::optional<SenseData> sense;
    uint8_t scsi_status = 0;
    std::vector<uint8_t> cdb;
    std::optional<int64_t> residue;
  };
  explicit Status(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
  std::shared_ptr<const Rep> rep_;
};

// A value or the Status that says why there is none.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) {  // NOLINT: implicit by design
    if (std::get<Status>(v_).ok())
      v_ = Status::Error(ErrorCode::kIo, "Result built from OK status");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }
  const Status& status() const {
    static const Status kOk;  // immutable, never written
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace tsfs

#define TSFS_CONCAT_INNER_(a, b) a##b
#define TSFS_CONCAT_(a, b) TSFS_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define TSFS_RETURN_IF_ERROR(expr)               \
  do {                                           \
    ::tsfs::Status tsfs_status_ = (expr);        \
    if (!tsfs_status_.ok()) return tsfs_status_; \
  } while (0)

// `lhs = value of expr`, or return its Status.
#define TSFS_ASSIGN_OR_RETURN(lhs, expr) \
  TSFS_ASSIGN_OR_RETURN_IMPL_(TSFS_CONCAT_(tsfs_result_, __LINE__), lhs, expr)
#define TSFS_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                \
  if (!tmp.ok()) return tmp.status();               \
  lhs = std::move(tmp).value()
