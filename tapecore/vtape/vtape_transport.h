// vtape: an in-process SSC target over a SIMH .tap image.
// Spec: "vtape:/path/t.tap?capacity=44M&ew=1M&ro&fail=write@1200:medium&rate=80&drivebuf=64"
// or a plain path ending in .tap. Options: vtape_options.h; faults:
// fault_injection.h; timing model: drive_model.h; image format: tap_image.h;
// the files beside an image: medium_file.h (capacity, ew, write-protect tab,
// from `tstape mkvtape`) and tap_index.h (the index that makes opening O(1)).
//
// What the target answers (SSC-4, fixed-format sense):
//   INQUIRY (type 1, "TSFS" "VTAPE", VPD 0x00 and 0x80 serial), TEST UNIT READY,
//   REQUEST SENSE, REPORT LUNS, MODE SENSE(6/10) and MODE SELECT(6/10) (block
//   descriptor, buffered mode, WP bit; pages 0x0F and 0x10), READ BLOCK LIMITS
//   (1..0xFFFFFF), READ(6)/WRITE(6) fixed and variable, WRITE FILEMARKS(6),
//   SPACE(6/16) blocks, filemarks, sequential filemarks (forward), end of data,
//   REWIND, ERASE(6), LOAD UNLOAD, READ POSITION (short, long, extended),
//   LOCATE(10/16), LOG SENSE (pages 0x00, 0x0C with vendor counters of the
//   drive model, 0x31), PREVENT ALLOW MEDIUM REMOVAL.
//   Anything else: ILLEGAL REQUEST 20/00; a bad field: 24/00.
// Conditions:
//   - The block length is 0 (variable) until MODE SELECT sets one.
//   - Read into a filemark: NO SENSE 00/01, FILEMARK, INFORMATION = residue,
//     tape after the filemark. At end of data: BLANK CHECK 00/05 + residue.
//   - Variable read of another length: NO SENSE, ILI, INFORMATION = requested
//     - actual (negative for a longer record; SILI hides only shorter ones).
//     Fixed read of a block of another length: ILI, tape past that block.
//   - A bad (class 8) record reads as MEDIUM ERROR 11/00, tape past it.
//   - SPACE blocks stops at a filemark (FILEMARK, 00/01, residue; forward after
//     it, backward before it); forward at end of data BLANK CHECK 00/05;
//     backward at BOT NO SENSE 00/04 with EOM. Residues are never negative.
//   - Writing (or WRITE FILEMARKS, ERASE) in the middle cuts the tape there.
//   - Capacity counts record data. A write that makes the data reach
//     capacity - ew is done and answers NO SENSE 00/02 with EOM (early warning,
//     also for filemarks); a write that does not fit answers VOLUME OVERFLOW
//     00/02 with EOM and writes nothing. Filemarks always fit.
//   - `ro`: WRITE, WRITE FILEMARKS (count > 0) and ERASE give DATA PROTECT 27/00.
//   - WRITE FILEMARKS with immediate=0, or count 0, fsyncs the image.
//   - After UNLOAD every medium command answers NOT READY 3A/00 until LOAD.
//     UNLOAD with PREVENT set: ILLEGAL REQUEST 53/02.
//   - After ChangeTape the next command answers UNIT ATTENTION 28/00;
//     with `poweron` the first command answers UNIT ATTENTION 29/00.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/vtape/vtape_target.h"

namespace tsfs {

Result<std::unique_ptr<Transport>> OpenVtapeTransport(const std::string& spec);

// The Transport of a vtape. Besides Execute it gives statistics and lets a
// test (or a tool) change the tape. Reach it from a Transport& with
// VtapeTransport::From(transport), which is nullptr for other transports.
//
// Thread-safe: every method takes one internal mutex, so Stats() may be read
// from another thread while a unit executes commands.
class VtapeTransport final : public Transport {
 public:
  static Result<std::unique_ptr<VtapeTransport>> Open(const std::string& spec);
  static VtapeTransport* From(Transport& transport) {
    return dynamic_cast<VtapeTransport*>(&transport);
  }

  Result<ScsiResponse> Execute(Cdb cdb, DataBuffer data,
                               std::chrono::milliseconds timeout) override;
  std::string Describe() const override;

  vtape::VtapeStats Stats() const;
  // Loads another image (or the same one again) at BOT; the next command
  // answers UNIT ATTENTION 28/00. On error the old tape stays loaded.
  Status ChangeTape(const std::string& path, bool read_only = false);
  // The last image I/O error behind a MEDIUM ERROR, for diagnostics.
  std::string LastImageError() const;
  const vtape::VtapeOptions& options() const { return options_; }

 private:
  VtapeTransport(vtape::VtapeOptions source, vtape::VtapeOptions options,
                 std::unique_ptr<vtape::VtapeTarget> target);

  const vtape::VtapeOptions source_;   // as the source string gave them
  const vtape::VtapeOptions options_;  // with the first medium's properties applied
  mutable std::mutex mu_;
  std::unique_ptr<vtape::VtapeTarget> target_;  // guarded by mu_
};

}  // namespace tsfs
