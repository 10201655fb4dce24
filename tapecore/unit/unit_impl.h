// TapeUnit::Impl: the ts(4) state machine behind TapeUnit. Split over
// unit_open.cc (open, probe, medium changes, status), unit_position.cc
// (catalog, seeking, end of data, erase, retension), unit_stream.cc (read and
// write streams, close) and unit_ioctl.cc (the mt operations).
//
// Ownership: owns the transport (through SenseLogTransport), the Ssc, the
// streaming buffers and the reader/writer threads of the open stream.
// Thread-safety: every public entry point takes mu_ (through UnitLock, which
// publishes the catalog and the status on its way out); the Ssc is used either
// by the caller under mu_ or by the one stream thread while it runs, never
// both (a stream thread is stopped or drained before the caller sends a
// command). Metadata never waits for mu_: while a command holds it (a hung
// target), Catalog and KnownStatus answer with what the last entry point
// published.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "tapecore/ssc/probe.h"
#include "tapecore/ssc/ssc.h"
#include "tapecore/unit/catalog.h"
#include "tapecore/unit/catalog_store.h"
#include "tapecore/unit/deferred_error.h"
#include "tapecore/unit/diagnostics.h"
#include "tapecore/unit/position_tracker.h"
#include "tapecore/unit/reader_thread.h"
#include "tapecore/unit/sense_log_transport.h"
#include "tapecore/unit/stream_buffers.h"
#include "tapecore/unit/tape_unit.h"
#include "tapecore/unit/writer_thread.h"

namespace tsfs {

class TapeUnit::Impl {
 public:
  Impl(const UnitConfig& config, std::unique_ptr<Transport> transport, Logger& logger);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  Status Init();

  const UnitConfig& config() const { return config_; }
  Result<std::vector<TapeFileInfo>> Catalog();
  Result<std::optional<TapeFileInfo>> CatalogFile(int index);
  Status OpenRead(int index);
  Result<size_t> Read(std::span<uint8_t> buf);
  uint64_t StreamOffset() const;
  Result<int> OpenAppend();
  Status OpenOverwrite(int index);
  Status Write(std::span<const uint8_t> data);
  Status Sync();
  Status Close();
  StreamKind stream() const;
  Status Ioctl(MtOp op, int32_t count);
  Result<UnitStatus> GetStatus();
  Status CheckMediumAtOpen();
  UnitStatus KnownStatus() const;
  // After a write stream closed: asks the drive for the space left (one
  // LOG SENSE) so KnownStatus stays near the truth.
  void NoteSpaceUsed();
  Result<DriveActivity> GetDriveActivity();  // unit_activity.cc
  std::string DescribeDriveTiming();         // unit_activity.cc
  Status Release();

 private:
  class UnitLock;
  // --- unit_published.cc ---
  // Copies the catalog (when it changed) and the status for callers that
  // find mu_ held. mu_ held.
  void PublishLocked();
  std::vector<TapeFileInfo> CatalogInfoLocked() const;
  TapeFileInfo CatalogFileInfoLocked(size_t i) const;  // catalog_.files()[i]
  UnitStatus KnownStatusLocked() const;
  // The position part of a UnitStatus, from what the unit knows (no command).
  void FillPosition(UnitStatus& st) const;

  // --- unit_open.cc ---
  // Before tape work: notices a tape change (UNIT ATTENTION seen by the
  // transport, or answered to a TEST UNIT READY now) and forgets what the
  // unit knew about the old tape.
  Status CheckMedium();
  // Takes the transport's note of UNIT ATTENTIONs and acts on it.
  void HandleAttention();
  void OnMediumChange();
  // After a drive reset or a new iSCSI session (UNIT ATTENTION 29/xx): the
  // block length is set again, the medium compared with the catalog's
  // fingerprint (another tape: a tape change), and the tape put back at the
  // start of the file (or end of data) where it was. unit_reset.cc.
  void OnReset();
  Status SelectBlockLength();
  Status RefreshWriteProtect();
  void RefreshCapacity();  // LOG SENSE where the drive has it; kept in capacity_
  // Logs a failed command with the ts words and returns it.
  Status Fail(const Status& s) const;

  // --- unit_catalog_store.cc ---
  // The stored catalog of the loaded medium, checked against the tape with
  // a few commands; true when it was taken.
  Result<bool> LoadStoredCatalog();
  // Rewinds and reads the medium's fingerprint (0: blank, or file 0 empty);
  // the position is unknown afterwards.
  Result<uint64_t> ReadFingerprint();
  // Keeps the catalog for the next mount (logged, never fatal).
  void PersistCatalog();
  // Remembers the first block of file 0 as it is written (fingerprint).
  void NoteWrittenBytes(std::span<const uint8_t> data);

  // --- unit_position.cc ---
  Status EnsureCatalog();
  // The catalog known (read from the tape or the store when it is not and
  // no stream is open), for a metadata request; mu_ held.
  Status CatalogForMetadataLocked();
  Status SeekFileStart(int index);
  Status SeekEndOfData();
  Status EraseWholeTape(bool for_write);
  Status Retension();
  // Object number of the current position in catalog numbering, when trusted.
  std::optional<uint64_t> CurrentObject();

  // --- unit_stream.cc ---
  // What every open for writing checks first: no other stream, a medium that
  // is loaded and not write-protected, a catalog. Lock held.
  Status CheckWritable();
  Status AllocateBuffers();
  Status BeginWrite(int index);
  Status StartReading();
  Status CloseLocked();
  Status CloseWrite();
  Status CloseRead();
  void FinishReadKnowledge();
  // After a UNIT ATTENTION during a write stream: the stream fails (its
  // deferred error) before anything more is sent.
  void NoteLostPosition();
  // The deferred error as reported to the caller (overflow says how many
  // bytes did not reach the tape).
  Status ReportDeferred();

  // --- unit_ioctl.cc ---
  Status DoIoctl(MtOp op, int32_t count);

  UnitConfig config_;
  Diagnostics diag_;
  std::unique_ptr<SenseLogTransport> transport_;
  Ssc ssc_;
  Capabilities caps_;
  CatalogStore store_;
  uint64_t fingerprint_ = 0;          // of the loaded medium; 0 blank or unknown
  std::vector<uint8_t> first_block_;  // of file 0 while it is written

  mutable std::mutex mu_;
  // What metadata is served from while mu_ is held; lock order: mu_, then
  // published_mu_.
  mutable std::mutex published_mu_;
  std::shared_ptr<const std::vector<TapeFileInfo>> published_catalog_;  // null: not known
  UnitStatus published_status_;
  uint64_t published_generation_ = ~uint64_t{0};  // of catalog_ (guarded by mu_)
  PositionTracker pos_;
  tsfs::Catalog catalog_;
  bool after_write_ = false;        // ts: only rewind/retension until rewound
  bool retension_pending_ = false;  // autoret: retension on first read/ioctl
  bool erase_refused_ = false;      // the drive answered ERASE with ILLEGAL REQUEST
  bool erase_logged_ = false;       // "Illegal request on erase" logged (once)
  Status erase_refusal_;            // the target's answer to ERASE, for mt erase
  bool write_protect_ = false;
  std::optional<Capacity> capacity_;  // the drive's last LOG SENSE answer
  bool released_ = false;

  StreamKind stream_ = StreamKind::kNone;
  int stream_index_ = -1;
  uint64_t offset_ = 0;
  std::optional<uint64_t> stream_start_;  // object number of the file's first block
  std::unique_ptr<StreamBuffers> buffers_;
  std::unique_ptr<DeferredError> deferred_;
  // What the timing of the streaming commands showed of the drive's own
  // buffer and tape rate: kept from file to file (drive_timing.h).
  DriveTiming drive_timing_;
  bool eom_reported_ = false;
  bool read_started_ = false;
  bool read_done_ = false;
  Status read_error_;  // a reader failure kept for the next Read
  // Declared last: destroyed first, before the buffers and the Ssc they use.
  std::unique_ptr<WriterThread> writer_;
  std::unique_ptr<ReaderThread> reader_;
};

// mu_ for one entry point; on the way out the catalog and the status are
// published (PublishLocked) for the callers that find mu_ held.
class TapeUnit::Impl::UnitLock final {
 public:
  explicit UnitLock(Impl& unit) : unit_(unit), lock_(unit.mu_) {}
  UnitLock(Impl& unit, std::try_to_lock_t) : unit_(unit), lock_(unit.mu_, std::try_to_lock) {}
  ~UnitLock() {
    if (lock_.owns_lock()) unit_.PublishLocked();
  }
  UnitLock(const UnitLock&) = delete;
  UnitLock& operator=(const UnitLock&) = delete;
  bool owns() const { return lock_.owns_lock(); }
  void Lock() { lock_.lock(); }

 private:
  Impl& unit_;
  std::unique_lock<std::mutex> lock_;
};

}  // namespace tsfs
