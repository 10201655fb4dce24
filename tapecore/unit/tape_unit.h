// TapeUnit: one tape drive as the ts(4) driver presents it, in user space.
//
// It owns the transport, keeps the ts rules (two streaming buffers with a
// writer/reader thread, 512-byte packing with zero padding, deferred write
// errors, space forward on close, auto-retension, erase on write, the mt
// operation set and its diagnostics) and the catalog of tape files.
// fusefs and tstape both sit on this class.
//
// Thread-safety: every public method may be called from any thread; calls are
// serialised by the unit (one data stream per drive). A second stream while
// one is open gets kBusy.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs {

// The mt operations. The ts set (fsf, weof, eod, rewind, erase, retension) is
// supported; the rest is refused with kUnsupported.
enum class MtOp {
  kFsf,
  kWeof,
  kEod,
  kRewind,
  kErase,
  kRetension,
  kFsr,
  kBsr,
  kBsf,
  kOffline,
  kOther
};

const char* MtOpName(MtOp op);
// Linux <sys/mtio.h> mt_op numbers (MTFSF = 1, ...) to MtOp.
MtOp MtOpFromLinux(int16_t mt_op);

struct TapeFileInfo {
  int index = 0;
  uint64_t blocks = 0;        // objects: blocks, or records of a variable-record file
  bool size_known = true;     // false: neither bytes nor blocks are known yet (untrusted
                              // positions, not read or written, not in the catalog store)
  bool complete = true;       // false: last file without its filemark (crash mid-write)
  uint64_t bytes = 0;         // what reading the file returns (when size_known)
  bool size_exact = true;     // false: bytes estimated from the record structure
  uint32_t first_record = 0;  // length of the first record; 0 when empty or not read
};

struct UnitStatus {
  std::string name;                     // "rts0" or the source
  std::string device;                   // transport description
  std::optional<int64_t> file_number;   // -1/unknown when lost
  std::optional<int64_t> block_number;  // within the file
  uint32_t block_size = 512;
  bool write_protect = false;
  bool online = false;
  bool at_bot = false;
  bool at_eod = false;
  std::optional<Capacity> capacity;
  bool writing = false;  // a write stream is open
  bool reading = false;
};

enum class StreamKind { kNone, kRead, kWrite };

// "tape moved 10485760 bytes written, 0 read; 3 repositions (4 starts)", or
// "... repositions not reported" for a drive without the counters.
std::string DescribeDriveActivity(const DriveActivity& activity);

class TapeUnit final {
 public:
  // Opens the transport named by config.device, checks it is a tape drive,
  // probes capabilities, sets the block length. No data is moved.
  static Result<std::unique_ptr<TapeUnit>> Open(const UnitConfig& config, Logger& logger);
  // Same, over an already opened transport (tests with wrapped transports).
  static Result<std::unique_ptr<TapeUnit>> Open(const UnitConfig& config,
                                                std::unique_ptr<Transport> transport,
                                                Logger& logger);
  ~TapeUnit();
  TapeUnit(const TapeUnit&) = delete;
  TapeUnit& operator=(const TapeUnit&) = delete;

  const UnitConfig& config() const;

  // The tape files. Served from memory, with no tape command, once known;
  // built on the first call (rewind, then one SPACE 1 filemark + READ
  // POSITION per file) and again after a tape change was noticed (a UNIT
  // ATTENTION on any command, or CheckMedium).
  Result<std::vector<TapeFileInfo>> Catalog();
  // One file of Catalog() without copying the rest (getattr asks for one
  // file at a time: a copy each would make `ls -l` quadratic in the number
  // of files); nullopt past the last file.
  Result<std::optional<TapeFileInfo>> CatalogFile(int index);
  // TEST UNIT READY now (an open calls it): notices a tape change the drive
  // reports and forgets the old tape's catalog. OK without a command while
  // a stream is open (the stream's commands notice it). kScsi NOT READY
  // without a tape.
  Status CheckMedium();
  // What the unit knows without asking the drive: no tape command, never
  // blocks on the drive. Capacity is the drive's last report (at open, at
  // GetStatus).
  UnitStatus KnownStatus() const;

  // --- one data stream at a time ---
  // Opens tape file `index` for reading. Lazy: the tape moves on first Read.
  // kBadSequence ("illegal read after write") after a write until a rewind
  // or retension; kBusy with a stream open; kNoMemory with openfail;
  // kNotFound for an index past the catalog (at first Read when the catalog
  // was not built yet).
  Status OpenRead(int index);
  // Reads up to buf.size() bytes; fewer only at end of file; 0 at the filemark.
  Result<size_t> Read(std::span<uint8_t> buf);
  // Bytes consumed from the open read stream (or written to the write stream).
  uint64_t StreamOffset() const;
  // Opens a new tape file at end of data (verified with a READ there);
  // returns its index. A last file without filemark is ended first. From BOT
  // the tape is erased first (erase_on_write). kReadOnly on a protected tape.
  Result<int> OpenAppend();
  // Truncates the tape at file `index` and writes there (every later file is lost).
  Status OpenOverwrite(int index);
  // Queues data; returns a deferred error of an earlier background write
  // (once; later writes fail with a follow-on error of their own, kNoSpace
  // after end of medium, kIo otherwise). Early warning: the data before is
  // kept and the next Write fails with kNoSpace; a volume overflow says in
  // its message how many bytes accepted earlier did not reach the tape.
  Status Write(std::span<const uint8_t> data);
  // Drains both buffers and flushes the drive (WRITE FILEMARKS 0).
  Status Sync();
  // ts close: after writing, drain and write one filemark (errors returned);
  // after reading part-way, space forward to the next file. Idempotent.
  Status Close();
  StreamKind stream() const;

  // --- mt ---
  // kUnsupported for fsr, bsr, bsf, offline and the rest; after a write (or
  // with a write stream open) only rewind and retension: kBadSequence
  // ("tsioctl: bad operation after write"). rewind/retension close an open
  // write stream first (filemark); any op closes an open read stream first
  // (fsf counts from the file that was being read).
  Status Ioctl(MtOp op, int32_t count);
  Result<UnitStatus> GetStatus();
  // What the drive moved and its repositions (LOG SENSE page 0x0C; vtape's
  // vendor counters when the drive is vtape). kBusy with a stream open.
  Result<DriveActivity> GetDriveActivity();
  // What the timing of the streaming commands showed of the drive's own
  // buffer and tape rate ("" while nothing waited for the tape yet).
  std::string DescribeDriveTiming();

  // Unmount / end of program: finish the open stream (filemark), then rewind
  // unless the unit is a no-rewind one. Safe to call twice.
  Status Release();

  // --- sizes the drive cannot tell ---
  // Reads file `index` to its filemark (data dropped) so that its size is
  // exact in the catalog. kBusy with a stream open.
  Status LearnSize(int index);
  // The same for every file whose size is not exact, in tape order (one
  // pass forward): -o scan, tstape list --scan. progress(file, files).
  Status LearnAllSizes(const std::function<void(int, int)>& progress = {});

 private:
  class Impl;
  explicit TapeUnit(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tsfs
