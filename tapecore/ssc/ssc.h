// Ssc: typed SSC-3/4 operations over one Transport. Each method builds one
// CDB (ssc/cdb.h), executes it and parses the answer (ssc/parse.h); nothing
// above this layer builds a CDB.
//
// Conditions that are part of normal tape motion (a filemark reached, end of
// data, early warning, incorrect length) come back inside the *Result structs.
// Real failures come back as Status with the sense attached; the code is
// kReadOnly for DATA PROTECT, kNoSpace for VOLUME OVERFLOW, kTransport when
// the target did not answer, and kScsi otherwise. Status messages use the ts(4)
// words: "Media error on write".
//
// Not thread-safe: one Ssc is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"

namespace tsfs {

struct InquiryData {
  uint8_t peripheral_qualifier = 0;
  uint8_t device_type = 0;  // 0x01: sequential-access device
  bool removable = false;
  std::string vendor;
  std::string product;
  std::string revision;
};

struct BlockLimits {
  uint8_t granularity = 0;
  uint32_t max_block_length = 0;
  uint16_t min_block_length = 0;
};

struct ModeData {
  bool write_protect = false;
  uint8_t buffered_mode = 0;
  uint8_t speed = 0;
  uint8_t density_code = 0;
  uint32_t block_length = 0;  // 0: variable-block mode
  uint64_t block_count = 0;
};

enum class SpaceCode : uint8_t {
  kBlocks = 0,
  kFilemarks = 1,
  kSequentialFilemarks = 2,
  kEndOfData = 3,
};

struct Position {
  bool bop = false;  // beginning of partition
  bool eop = false;  // between early warning and end of partition
  bool position_unknown = false;
  uint32_t partition = 0;
  uint64_t block = 0;                // logical object number (filemarks count as objects)
  uint64_t file_number = 0;          // long form only
  bool file_number_unknown = false;  // long form: MPU set (istgt always sets it)
  bool long_form = false;
};

struct Capacity {
  uint64_t remaining_bytes = 0;
  uint64_t maximum_bytes = 0;
};

// What the drive moved, from LOG SENSE page 0x0C (sequential-access device).
struct DriveActivity {
  uint64_t bytes_from_host = 0;    // 0000h: received with WRITE commands
  uint64_t bytes_to_medium = 0;    // 0001h: written to the medium
  uint64_t bytes_from_medium = 0;  // 0002h: read from the medium
  uint64_t bytes_to_host = 0;      // 0003h: transferred by READ commands
  // vtape's vendor parameters (8000h, 8001h); absent for other drives.
  std::optional<uint64_t> repositions;
  std::optional<uint64_t> tape_starts;
};

// A READ that completed, completely or short at a tape condition.
struct ReadResult {
  size_t bytes = 0;          // valid bytes at the start of the buffer
  bool filemark = false;     // stopped by a filemark (the tape is past it)
  bool end_of_data = false;  // BLANK CHECK / EOD 00/05: nothing more written
  bool eom = false;          // early warning or end of partition
  bool ili = false;          // variable mode: record length differs from request
  int64_t residue = 0;       // sense INFORMATION: requested minus actual (signed)
};

struct WriteResult {
  size_t bytes = 0;            // bytes that reached the tape
  bool early_warning = false;  // EOM with NO SENSE: data written, medium nearly full
};

struct SpaceResult {
  int64_t residue = 0;       // count not spaced (INFORMATION)
  bool filemark = false;     // SPACE blocks stopped at a filemark
  bool end_of_data = false;  // stopped at end of data
  bool bop = false;          // stopped at beginning of partition (00/04)
  bool eom = false;
};

// How long one command may take before the unit gives up on it (the
// transport then closes the session; iscsi logs in again at the next
// command). One limit per command class; tsfs(8) states the defaults and the
// mount options that change them.
struct SscTimeouts {
  // READ, WRITE, WRITE FILEMARKS (and READ BLOCK LIMITS).
  std::chrono::milliseconds normal{60'000};
  // TEST UNIT READY, INQUIRY, REQUEST SENSE, MODE SENSE/SELECT, READ
  // POSITION, LOG SENSE, PREVENT ALLOW MEDIUM REMOVAL.
  std::chrono::milliseconds short_op{10'000};
  // SPACE (also to end of data), LOCATE, REWIND, ERASE short.
  std::chrono::milliseconds position{900'000};
  // ERASE long, LOAD/UNLOAD and retension.
  std::chrono::milliseconds long_op{4 * 3'600'000};
};

// OK for a sequential-access device (peripheral device type 0x01, qualifier
// 0); otherwise kNotTape naming what it is: "not a tape drive: peripheral
// device type 0x00 (disk)". Ssc::Inquiry itself refuses nothing.
Status CheckTapeDevice(const InquiryData& inquiry);
// The same for any peripheral device type: OK for `device_type` with
// qualifier 0, else `code` with "not a KIND: ..." (smc's changer check).
Status CheckPeripheral(const InquiryData& inquiry, uint8_t device_type, const char* kind,
                       ErrorCode code);

class Ssc final {
 public:
  explicit Ssc(Transport& transport, SscTimeouts timeouts = {});  // transport not owned
  Ssc(const Ssc&) = delete;
  Ssc& operator=(const Ssc&) = delete;

  Transport& transport() { return transport_; }

  Result<InquiryData> Inquiry();
  Result<std::string> UnitSerialNumber();  // VPD page 0x80; "" when not supported
  Status TestUnitReady();
  Result<SenseData> RequestSense();
  Result<ModeData> ModeSense();
  // MODE SELECT(6) with a block descriptor only (a mode page makes tgtd
  // answer ILLEGAL REQUEST 26/00). block_length 0 selects variable mode.
  Status ModeSelectBlockLength(uint32_t block_length, uint8_t buffered_mode = 1);
  // Also remembered: from then on the largest variable record is bounded by it.
  Result<BlockLimits> ReadBlockLimits();

  // The largest data phase of one READ or WRITE command: the transport's
  // limit (Transport::MaxTransfer), at most 0xFFFFFF bytes.
  size_t MaxTransferBytes() const;
  // The largest variable record: MaxTransferBytes(), and READ BLOCK LIMITS'
  // maximum once ReadBlockLimits() has succeeded.
  size_t MaxRecordBytes() const;
  // What bounds MaxRecordBytes(), for messages ("sg reserved 1040384, ...").
  std::string TransferLimitSource() const;

  // READ(6). block_length > 0: fixed mode, buffer.size() a multiple of it;
  // 0: variable mode, one record of at most buffer.size() bytes.
  // Counts come from the sense INFORMATION, never the transport residual,
  // except for a short variable record answered GOOD (SILI; istgt never sets
  // ILI), where the residual is all there is.
  // Fixed mode larger than MaxTransferBytes() is sent as several READs; they
  // stop at the first that does not complete cleanly (filemark, end of data,
  // EOM, ILI, short) and the result is the combined one: bytes of all, the
  // flags of the last, residue in blocks of the whole request. An error after
  // some commands moved data carries the residue of the whole request too.
  // Variable mode reads at most MaxRecordBytes(); a record longer than that
  // (when the buffer is larger) is kInvalidArgument; residue is counted
  // against buffer.size().
  Result<ReadResult> Read(std::span<uint8_t> buffer, uint32_t block_length, bool sili = false);
  // WRITE(6), same convention. Fixed mode is split as Read is (early warning
  // does not stop it; a short write does); a variable record larger than
  // MaxRecordBytes() is kInvalidArgument and nothing is sent.
  Result<WriteResult> Write(std::span<const uint8_t> data, uint32_t block_length);
  Status WriteFilemarks(uint32_t count, bool immediate = false);
  Result<SpaceResult> Space(SpaceCode code, int32_t count);
  Status Rewind(bool immediate = false);
  Status Erase(bool long_erase, bool immediate = false);
  Status LoadUnload(bool load, bool retension, bool immediate = false);
  // Always sent with a data buffer (a zero-length one crashes tgtd).
  Result<Position> ReadPosition(bool long_form = false);
  Status Locate(uint64_t block, bool immediate = false);
  Result<Capacity> LogSenseCapacity();  // tape capacity log page 0x31
  // Sequential-access device log page 0x0C; `vtape`: the drive is vtape
  // (INQUIRY vendor "TSFS"), whose vendor parameters are then decoded.
  Result<DriveActivity> LogSenseDriveActivity(bool vtape);
  Status PreventAllowMediumRemoval(bool prevent);

 private:
  // One READ(6) / WRITE(6) of the whole buffer.
  Result<ReadResult> ReadOnce(std::span<uint8_t> buffer, uint32_t block_length, bool sili);
  Result<WriteResult> WriteOnce(std::span<const uint8_t> data, uint32_t block_length);
  // Bytes per command for fixed blocks of `block_length`; kInvalidArgument
  // when not one block fits.
  Result<size_t> FixedChunk(uint32_t block_length, const char* command) const;

  Transport& transport_;
  SscTimeouts timeouts_;
  std::optional<BlockLimits> block_limits_;  // from the last ReadBlockLimits
};

}  // namespace tsfs
