// VtapeTarget: the SSC command interpreter of vtape. It decodes one CDB,
// moves the tape of a TapImage and answers status, sense and data as SSC-4
// specifies (see vtape_transport.h for the list of commands and conditions).
// vtape_target.cc holds the state and Dispatch; each command family has its
// own vtape_*_commands.cc.
//
// Owns its image, fault injector and drive model. Not thread-safe: the
// VtapeTransport serialises calls with its mutex.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/vtape/drive_model.h"
#include "tapecore/vtape/fault_injection.h"
#include "tapecore/vtape/tap_image.h"
#include "tapecore/vtape/vtape_options.h"
#include "tapecore/vtape/vtape_sense.h"

namespace tsfs::vtape {

// Counters since the transport was opened.
struct VtapeStats {
  uint64_t commands = 0;          // CDBs executed
  uint64_t check_conditions = 0;  // of which answered CHECK CONDITION
  uint64_t bytes_written = 0;     // record data written to the image
  uint64_t bytes_read = 0;        // record data returned to the host
  uint64_t records_written = 0;
  uint64_t records_read = 0;
  uint64_t filemarks_written = 0;
  uint64_t repositions = 0;      // drive model: starts after a stop in the middle of a stream
  uint64_t tape_starts = 0;      // drive model: every start of the tape
  uint64_t bytes_to_tape = 0;    // drive model: moved from its buffer onto the medium
  uint64_t bytes_from_tape = 0;  // drive model: read from the medium into its buffer
  uint64_t retensions = 0;       // LOAD with RETEN
  uint64_t loads = 0;
  uint64_t unloads = 0;
  uint64_t syncs = 0;         // fsyncs of the image (durability points)
  uint64_t image_writes = 0;  // pwrite calls on the image
  uint64_t tape_changes = 0;
  uint64_t faults_injected = 0;
  uint64_t erases = 0;
  uint64_t rewinds = 0;
  // State, for `tstape status`.
  uint64_t position = 0;     // logical object number
  uint64_t end_of_data = 0;  // logical object number of end of data
  uint64_t used_bytes = 0;   // record data on the tape
  uint64_t capacity_bytes = 0;
  uint64_t early_warning_bytes = 0;
  uint32_t block_length = 0;  // 0: variable
  bool write_protected = false;
  bool loaded = true;
};

class VtapeTarget final {
 public:
  VtapeTarget(VtapeOptions options, std::unique_ptr<TapImage> image);
  VtapeTarget(const VtapeTarget&) = delete;
  VtapeTarget& operator=(const VtapeTarget&) = delete;

  // Executes one command. Fails (kInvalidArgument) only when the data buffer
  // does not match what the CDB transfers: a bug of the caller.
  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data, double now_seconds);

  // A tape change: the new image (nullptr: the same one again) is loaded at
  // BOT, and the next command (other than INQUIRY, REQUEST SENSE, REPORT
  // LUNS) answers UNIT ATTENTION 28/00.
  void ChangeTape(std::unique_ptr<TapImage> image, bool read_only);
  const std::string& image_path() const { return image_->path(); }
  // The capacity and early-warning distance of the loaded medium.
  void SetMedium(uint64_t capacity, uint64_t early_warning) {
    options_.capacity = capacity;
    options_.early_warning = early_warning;
  }

  VtapeStats Stats() const;
  const std::string& last_image_error() const { return last_image_error_; }
  // Per-reposition sleep requested by the options (0: none).
  double delay_ms() const { return options_.delay_ms; }

 private:
  struct Reply {
    uint8_t status = kScsiGood;
    std::vector<uint8_t> sense;
    size_t residual = 0;
  };

  Reply Good(size_t residual = 0) { return Reply{kScsiGood, {}, residual}; }
  Reply Check(const SenseSpec& spec, size_t residual = 0);
  Reply Check(SenseKey key, uint8_t asc, uint8_t ascq) { return Check(SenseSpec{key, asc, ascq}); }
  Reply InvalidField() { return Check(SenseKey::kIllegalRequest, 0x24, 0x00); }
  Reply WriteProtected() { return Check(SenseKey::kDataProtect, 0x27, 0x00); }
  Reply ImageError(const Status& st, bool writing);
  // A fault from a rule, with INFORMATION when `residue` >= 0.
  Reply Fault(const FaultSense& f, int64_t residue);
  // The fault of a rule for a command that does not transfer data.
  std::optional<Reply> SimpleFault(FaultCommand command, uint64_t at);

  Reply Dispatch(Cdb cdb, DataBuffer& data, double now);
  // vtape_info_commands.cc
  Reply Inquiry(Cdb cdb, DataBuffer& data);
  Reply RequestSense(Cdb cdb, DataBuffer& data);
  Reply ModeSense(Cdb cdb, DataBuffer& data, bool ten);
  Reply ModeSelect(Cdb cdb, DataBuffer& data, bool ten);
  Reply ReadBlockLimits(DataBuffer& data);
  Reply LogSense(Cdb cdb, DataBuffer& data);
  Reply ReportLuns(DataBuffer& data);
  std::vector<uint8_t> SequentialAccessLogPage() const;
  // vtape_data_commands.cc
  Reply Read(Cdb cdb, DataBuffer& data, double now);
  Reply Write(Cdb cdb, DataBuffer& data, double now);
  Reply WriteFilemarks(Cdb cdb, double now);
  // vtape_positioning_commands.cc
  Reply Space(uint8_t code, int64_t count);
  Reply SpaceBlocks(int64_t count);
  Reply SpaceFilemarks(int64_t count);
  Reply SpaceSequentialFilemarks(int64_t count);
  Reply Locate(uint64_t object);
  Reply ReadPosition(Cdb cdb, DataBuffer& data);
  // vtape_medium_commands.cc
  Reply Erase(Cdb cdb, double now);
  // While a long erase given with IMMED runs: NOT READY 04/07 with progress.
  std::optional<Reply> EraseInProgress(double now);
  Reply LoadUnload(Cdb cdb);

  Reply PutIn(DataBuffer& data, const std::vector<uint8_t>& bytes, size_t allocation);
  bool PastEarlyWarning(uint64_t used) const;
  uint64_t Used() const { return image_->DataBytesBefore(image_->size()); }
  // Sleeps `delay_ms` per reposition the drive model counted.
  void DelayFor(int repositions);
  // With `pace`: sleeps until the modelled drive has caught up with the host.
  void Pace(double now);

  VtapeOptions options_;
  std::unique_ptr<TapImage> image_;
  FaultInjector faults_;
  DriveModel drive_;
  bool write_protected_ = false;
  bool loaded_ = true;
  bool unit_attention_ = false;
  uint8_t unit_attention_asc_ = 0x28;
  bool prevent_removal_ = false;
  uint64_t pos_ = 0;
  uint32_t block_length_ = 0;  // variable mode at power-on, as real drives
  uint8_t buffered_mode_ = 1;
  uint8_t density_code_ = 0;
  std::vector<uint8_t> record_;  // scratch for oversize variable reads
  VtapeStats stats_;
  std::string last_image_error_;
  Status host_error_;
  uint64_t image_writes_before_ = 0;  // of images replaced by ChangeTape
  std::string serial_;
  // A long erase with IMMED under option erase=: it runs from erase_from_
  // until erase_until_ (steady-clock seconds).
  double erase_from_ = 0;
  double erase_until_ = 0;
};

}  // namespace tsfs::vtape
