// Capability probe: what a tape target can do and which of the known target
// quirks (../shared/TARGETS.md) the unit must work around.
//
// ProbeCapabilities finds most answers by behaviour, never writing and never
// moving the tape except by REWIND, LOCATE 0 and reading the first record:
// it leaves the tape at BOT. ERASE is tried only on a tape that showed end of
// data at BOT (nothing to lose). What behaviour cannot show without writing
// or long tape motion is taken from the INQUIRY identity of the two targets
// we know (tgtd, istgt); each such case names the target and its sense.
//
// Thread-safety: as the Ssc it is given (one thread at a time).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs {

struct Capabilities {
  // Commands the target answered with GOOD during the probe.
  bool read_position = false;       // READ POSITION short form
  bool read_position_long = false;  // READ POSITION long form
  // Positions follow the tape: BOP at BOT, not "position unknown", and a
  // block read moves the position. false on tgtd (14 00 00 ... always).
  bool read_position_trusted = false;
  bool locate = false;               // LOCATE(10) accepted (LOCATE 0 at BOT)
  bool erase = true;                 // false once refused (tgtd: 20/00); true: worth trying
  bool erase_tested = false;         // `erase` was seen, not assumed
  bool log_sense_capacity = false;   // LOG SENSE page 0x31 parsed
  bool prevent_allow = false;        // PREVENT ALLOW MEDIUM REMOVAL accepted
  std::optional<Capacity> capacity;  // from LOG SENSE when it works
  bool blank_at_bot = false;         // the first read at BOT met end of data

  // Quirks (TARGETS.md).
  // istgt: SPACE end-of-data stops right after the last filemark; verify with
  // a READ (BLANK CHECK expected) before appending there.
  bool space_eod_unverified = false;
  // tgtd: a fixed-block READ at end of data answers MEDIUM ERROR 31/00 (no
  // residue) instead of BLANK CHECK 00/05.
  bool fixed_read_eod_medium_error = false;
  // istgt: LOCATE (or SPACE blocks) onto a filemark, then READ, goes wrong
  // (wrong place, or CHECK CONDITION without sense); use REWIND + SPACE.
  bool locate_onto_filemark_unsafe = false;
  // istgt: every position past BOP is one higher than SSC's (the first block
  // is object 1, BOP is 0). LOCATE uses the same numbering, so positions read
  // back locate correctly; only differences with BOP are off by one.
  bool read_position_off_by_one_after_bop = false;
  // tgtd: SPACE backwards over filemarks lands one block too far back.
  bool space_back_filemark_overshoot = false;
  // istgt: SPACE blocks does not stop at filemarks (and past end of data
  // answers HARDWARE ERROR 44/00).
  bool space_blocks_ignores_filemarks = false;
  // tgtd: a variable READ whose length differs from the record returns wrong
  // or no data (ILI is right): read fixed blocks or exact record lengths.
  bool variable_read_exact_length_only = false;
  // tgtd: never VOLUME OVERFLOW; past the image size WRITE answers NO SENSE +
  // EOM (early warning) forever and the image grows.
  bool no_volume_overflow = false;
  // istgt: ERASE short does nothing (use long).
  bool erase_short_noop = false;
  // tgtd: LOAD with RETEN leaves the position unchanged (no rewind).
  bool retension_keeps_position = false;
  // istgt: SPACE -N filemarks past BOP moves forward and answers GOOD.
  bool space_back_past_bop_moves_forward = false;
  // istgt: LOAD after UNLOAD fails until the daemon restarts: never UNLOAD.
  bool load_after_unload_fails = false;
  // istgt: REQUEST SENSE answers the previous sense again.
  bool request_sense_stale = false;
  // tgtd and istgt: no UNIT ATTENTION after a tape change or restart, so a
  // change is not announced.
  bool no_unit_attention_on_change = false;

  // "tgtd", "istgt" when the INQUIRY identity matched a known target, else "".
  std::string known_target;
  // One line per finding and how it was found ("read position: untrusted
  // (BPU set at BOT)"), for tstape inquiry and the unit's log.
  std::vector<std::string> notes;
};

// Probes the drive behind `ssc`. Needs a loaded tape (kScsi "Tape not ready
// on test unit ready" otherwise). Clears a pending UNIT ATTENTION. Leaves the
// tape at BOT.
Result<Capabilities> ProbeCapabilities(Ssc& ssc);

// The quirk flags a known target has, from its INQUIRY identity alone; fills
// known_target. Exposed for tests.
void ApplyKnownTargetQuirks(const InquiryData& inquiry, Capabilities& caps);

// Multi-line summary ("read position: yes (trusted)", "quirks: ...").
std::string DescribeCapabilities(const Capabilities& caps);

}  // namespace tsfs
