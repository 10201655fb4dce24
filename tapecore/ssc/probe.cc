#include "tapecore/ssc/probe.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace tsfs {

namespace {

bool IsIllegalRequest(const Status& s) {
  return s.sense() != nullptr && s.sense()->key == SenseKey::kIllegalRequest;
}

bool IsUnitAttention(const Status& s) {
  return s.sense() != nullptr && s.sense()->key == SenseKey::kUnitAttention;
}

// "Illegal request on locate (20/00)": a note's reason, short.
std::string Why(const Status& s) {
  std::string out = s.message().empty() ? ErrorCodeName(s.code()) : s.message();
  if (const SenseData* sense = s.sense(); sense != nullptr) {
    char buf[16];
    std::snprintf(buf, sizeof buf, " (%02x/%02x)", sense->asc, sense->ascq);
    out += buf;
  }
  return out;
}

// The size of the probe's first read in variable mode: large enough for any
// record a tape of ours or tar's holds; the record's data is not used.
constexpr size_t kVariableProbeRead = 256 * 1024;

// Reads the first object at the current position (BOT) in the drive's mode.
Result<ReadResult> ReadFirst(Ssc& ssc, uint32_t block_length, std::vector<uint8_t>& buf) {
  buf.assign(block_length > 0 ? block_length : kVariableProbeRead, 0);
  return ssc.Read(buf, block_length, /*sili=*/block_length == 0);
}

}  // namespace

void ApplyKnownTargetQuirks(const InquiryData& inquiry, Capabilities& caps) {
  if (inquiry.vendor == "IET" && inquiry.product == "VIRTUAL-TAPE") {
    // tgtd (tgt 1.0.85, bstype ssc).
    caps.known_target = "tgtd";
    // tgtd: fixed READ at end of data answers MEDIUM ERROR 31/00 (no residue).
    caps.fixed_read_eod_medium_error = true;
    // tgtd: SPACE -1 filemark lands one block before the filemark's BOP side
    // (the following READ returns the previous file's last block, not FILEMARK).
    caps.space_back_filemark_overshoot = true;
    // tgtd: a variable READ of another length than the record returns wrong
    // or no data although ILI and INFORMATION are right.
    caps.variable_read_exact_length_only = true;
    // tgtd: never VOLUME OVERFLOW; past the image size WRITE answers NO SENSE
    // + EOM and the image grows.
    caps.no_volume_overflow = true;
    // tgtd: LOAD UNLOAD with RETEN answers GOOD and leaves the position as is.
    caps.retension_keeps_position = true;
    // tgtd: no UNIT ATTENTION after a tape change (online=0, path=...).
    caps.no_unit_attention_on_change = true;
    // tgtd: ERASE is ILLEGAL REQUEST 20/00 (seen by the probe on a blank tape).
    if (!caps.erase_tested) caps.erase = false;
    caps.notes.push_back("identified as tgtd (IET VIRTUAL-TAPE): quirks from TARGETS.md");
  } else if (inquiry.vendor == "QUANTUM" && inquiry.product == "DLT8000" &&
             inquiry.revision == "C001") {
    // istgt 0.4 (its DLT8000 emulation answers revision C001).
    caps.known_target = "istgt";
    // istgt: SPACE EOD stops right after the last filemark even when records
    // follow it; a WRITE there destroys them. Not visible without a tape that
    // has records after its last filemark, so by identity.
    caps.space_eod_unverified = true;
    // istgt: LOCATE onto a filemark, then READ: wrong place or CHECK
    // CONDITION without sense data.
    caps.locate_onto_filemark_unsafe = true;
    // istgt: SPACE blocks runs over filemarks; past end of data HARDWARE
    // ERROR 44/00.
    caps.space_blocks_ignores_filemarks = true;
    // istgt: ERASE short answers GOOD and erases nothing.
    caps.erase_short_noop = true;
    // istgt: positions past BOP one too high (4 blocks written: 5). Also
    // measured by the probe when the tape has a first record.
    caps.read_position_off_by_one_after_bop = true;
    // istgt: SPACE -N filemarks past BOP moves forward with GOOD.
    caps.space_back_past_bop_moves_forward = true;
    // istgt: LOAD after UNLOAD fails until istgt restarts.
    caps.load_after_unload_fails = true;
    // istgt: REQUEST SENSE returns the previous sense again.
    caps.request_sense_stale = true;
    // istgt: no UNIT ATTENTION after a media change or restart.
    caps.no_unit_attention_on_change = true;
    caps.notes.push_back("identified as istgt (QUANTUM DLT8000 C001): quirks from TARGETS.md");
  }
}

Result<Capabilities> ProbeCapabilities(Ssc& ssc) {
  Capabilities caps;
  TSFS_ASSIGN_OR_RETURN(InquiryData inquiry, ssc.Inquiry());
  TSFS_RETURN_IF_ERROR(CheckTapeDevice(inquiry));

  // tgtd answers the first command of a session with UNIT ATTENTION 29/00
  // (power on or reset); one or two more TEST UNIT READY clear it.
  Status ready;
  for (int i = 0; i < 4; ++i) {
    ready = ssc.TestUnitReady();
    if (ready.ok() || !IsUnitAttention(ready)) break;
  }
  TSFS_RETURN_IF_ERROR(ready);

  // The Ssc remembers the limits: variable records are bounded by them.
  if (Result<BlockLimits> limits = ssc.ReadBlockLimits(); limits.ok()) {
    caps.notes.push_back("block limits: " + std::to_string(limits->min_block_length) + ".." +
                         std::to_string(limits->max_block_length) + " bytes; largest record " +
                         std::to_string(ssc.MaxRecordBytes()) + ", largest transfer " +
                         std::to_string(ssc.MaxTransferBytes()));
  } else {
    caps.notes.push_back("block limits: unknown (" + limits.status().message() + ")");
  }
  TSFS_ASSIGN_OR_RETURN(ModeData mode, ssc.ModeSense());
  TSFS_RETURN_IF_ERROR(ssc.Rewind());

  // READ POSITION at BOT: a conforming drive reports BOP and block 0.
  Result<Position> at_bot = ssc.ReadPosition(false);
  caps.read_position = at_bot.ok();
  bool bot_consistent = false;
  if (at_bot.ok()) {
    bot_consistent = at_bot->bop && !at_bot->position_unknown && at_bot->block == 0;
    if (!bot_consistent) {
      // tgtd: answers 14 00 00 ... (BPU, no BOP) at BOT and everywhere else.
      caps.notes.push_back(std::string("read position: untrusted (at BOT: ") +
                           (at_bot->bop ? "BOP" : "no BOP") +
                           (at_bot->position_unknown ? ", position unknown" : "") + ", block " +
                           std::to_string(at_bot->block) + ")");
    }
  } else {
    caps.notes.push_back("read position: " + Why(at_bot.status()));
  }
  Result<Position> long_form = ssc.ReadPosition(true);
  caps.read_position_long = long_form.ok();

  Result<Capacity> capacity = ssc.LogSenseCapacity();
  caps.log_sense_capacity = capacity.ok();
  if (capacity.ok()) {
    caps.capacity = *capacity;
  } else {
    caps.notes.push_back("log sense: " + Why(capacity.status()));
  }

  // PREVENT ALLOW with "allow": harmless either way.
  const Status allow = ssc.PreventAllowMediumRemoval(false);
  caps.prevent_allow = allow.ok();
  if (!allow.ok()) caps.notes.push_back("prevent allow: " + Why(allow));

  // LOCATE 0 at BOT moves nothing.
  const Status locate = ssc.Locate(0);
  caps.locate = locate.ok();
  if (!locate.ok()) caps.notes.push_back("locate: " + Why(locate));

  // Read the first record: does the position move with it?
  std::vector<uint8_t> buf;
  bool moved = false;
  Result<ReadResult> first = ReadFirst(ssc, mode.block_length, buf);
  if (first.ok()) {
    if (first->end_of_data) {
      caps.blank_at_bot = true;
    } else {
      moved = true;
    }
  } else if (mode.block_length > 0 && first.status().sense() != nullptr &&
             first.status().sense()->Is(SenseKey::kMediumError, 0x31, 0x00)) {
    // tgtd: a fixed READ at end of data answers MEDIUM ERROR 31/00. It is that
    // quirk, not a bad medium, when a variable READ at the same place then
    // reports end of data (tgtd: BLANK CHECK + EOM, 00/00).
    TSFS_RETURN_IF_ERROR(ssc.Rewind());
    Result<ReadResult> variable = ReadFirst(ssc, 0, buf);
    if (variable.ok() && variable->end_of_data) {
      caps.blank_at_bot = true;
      caps.fixed_read_eod_medium_error = true;
      caps.notes.push_back("fixed read at end of data: MEDIUM ERROR 31/00 (seen)");
    } else if (variable.ok()) {
      moved = true;
    }
  } else {
    caps.notes.push_back("first read: " + Why(first.status()));
  }

  if (moved && caps.read_position) {
    Result<Position> after = ssc.ReadPosition(false);
    if (after.ok() && !after->position_unknown && bot_consistent) {
      if (after->block == 1) {
        caps.read_position_trusted = true;
      } else if (after->block == 2) {
        // istgt: the first record is object 1 (4 blocks written: position 5).
        caps.read_position_trusted = true;
        caps.read_position_off_by_one_after_bop = true;
        caps.notes.push_back("read position: one too high after BOP (1 record read: 2)");
      } else {
        caps.notes.push_back("read position: untrusted (1 record read: block " +
                             std::to_string(after->block) + ")");
      }
    } else if (after.ok() && bot_consistent) {
      caps.notes.push_back("read position: untrusted (position unknown after a read)");
    }
  } else if (!moved && bot_consistent) {
    // Blank or unreadable tape: BOP at BOT is all there is to see.
    caps.read_position_trusted = true;
  }

  if (caps.blank_at_bot) {
    // Nothing on the tape to lose: try ERASE (short) at BOT.
    TSFS_RETURN_IF_ERROR(ssc.Rewind());
    const Status erase = ssc.Erase(false);
    if (erase.ok()) {
      caps.erase = true;
      caps.erase_tested = true;
    } else if (IsIllegalRequest(erase)) {
      caps.erase = false;
      caps.erase_tested = true;
      caps.notes.push_back("erase: " + Why(erase));
    } else {
      caps.notes.push_back("erase: not tested (" + Why(erase) + ")");
    }
  }

  ApplyKnownTargetQuirks(inquiry, caps);
  TSFS_RETURN_IF_ERROR(ssc.Rewind());
  return caps;
}

std::string DescribeCapabilities(const Capabilities& caps) {
  const auto yn = [](bool b) { return b ? "yes" : "no"; };
  std::string out;
  out += std::string("read position: ") + yn(caps.read_position) +
         (caps.read_position ? (caps.read_position_trusted ? " (trusted)" : " (untrusted)") : "") +
         ", long form " + yn(caps.read_position_long) + "\n";
  out += std::string("locate: ") + yn(caps.locate) + "\n";
  out += std::string("erase: ") + yn(caps.erase) + (caps.erase_tested ? "" : " (assumed)") + "\n";
  out += std::string("log sense capacity: ") + yn(caps.log_sense_capacity);
  if (caps.capacity) {
    out += " (" + std::to_string(caps.capacity->remaining_bytes >> 20) + " of " +
           std::to_string(caps.capacity->maximum_bytes >> 20) + " MiB left)";
  }
  out += "\n";
  out += std::string("prevent allow: ") + yn(caps.prevent_allow) + "\n";
  std::vector<const char*> quirks;
  if (caps.space_eod_unverified) quirks.push_back("space_eod_unverified");
  if (caps.fixed_read_eod_medium_error) quirks.push_back("fixed_read_eod_medium_error");
  if (caps.locate_onto_filemark_unsafe) quirks.push_back("locate_onto_filemark_unsafe");
  if (caps.read_position_off_by_one_after_bop) {
    quirks.push_back("read_position_off_by_one_after_bop");
  }
  if (caps.space_back_filemark_overshoot) quirks.push_back("space_back_filemark_overshoot");
  if (caps.space_blocks_ignores_filemarks) quirks.push_back("space_blocks_ignores_filemarks");
  if (caps.variable_read_exact_length_only) quirks.push_back("variable_read_exact_length_only");
  if (caps.no_volume_overflow) quirks.push_back("no_volume_overflow");
  if (caps.erase_short_noop) quirks.push_back("erase_short_noop");
  if (caps.retension_keeps_position) quirks.push_back("retension_keeps_position");
  if (caps.space_back_past_bop_moves_forward) {
    quirks.push_back("space_back_past_bop_moves_forward");
  }
  if (caps.load_after_unload_fails) quirks.push_back("load_after_unload_fails");
  if (caps.request_sense_stale) quirks.push_back("request_sense_stale");
  if (caps.no_unit_attention_on_change) quirks.push_back("no_unit_attention_on_change");
  out += "quirks:";
  if (quirks.empty()) out += " none";
  for (const char* q : quirks) out += std::string(" ") + q;
  out += "\n";
  if (!caps.known_target.empty()) out += "known target: " + caps.known_target + "\n";
  for (const auto& n : caps.notes) out += "  note: " + n + "\n";
  return out;
}

}  // namespace tsfs
