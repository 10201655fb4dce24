// Fault injection for vtape: `fail=CMD@BLOCK:KEY[*N][+M]` rules.
//
// A rule makes command CMD answer CHECK CONDITION with the sense of KEY when
// it touches logical object BLOCK or any later one (logical object numbers as
// READ POSITION reports them: filemarks count). A fixed-mode READ or WRITE
// that spans BLOCK transfers the blocks before it and then fails with the
// residue in INFORMATION; every other command fails without moving the tape
// when the position is at or past BLOCK. A rule fires once, or N times with
// `*N` (`*0` = always); with `+M` it lets the first M commands that it
// would fail on pass (a test's way past the same commands of an earlier
// step, as READ POSITION at BOT in the open's probe before the one of the
// catalog scan).
//
// CMD:  read write space wfm rewind erase locate load tur, and
//       readpos (READ POSITION), modesense, modeselect, inquiry, limits
//       (READ BLOCK LIMITS): these fail when the tape is at or past BLOCK,
//       as every command that does not move it (@0: the next one)
// KEY -> sense key, ASC/ASCQ:
//   medium        MEDIUM ERROR      0C/00 WRITE ERROR (write, wfm, erase)
//                                   11/00 UNRECOVERED READ ERROR (all others)
//   hardware      HARDWARE ERROR    44/00 INTERNAL TARGET FAILURE
//   notready      NOT READY         04/00 LOGICAL UNIT NOT READY, CAUSE NOT REPORTABLE
//   aborted       ABORTED COMMAND   4B/00 DATA PHASE ERROR
//   overflow      VOLUME OVERFLOW   00/02 END-OF-PARTITION/MEDIUM DETECTED (EOM set)
//   protect       DATA PROTECT      27/00 WRITE PROTECTED
//   illegal       ILLEGAL REQUEST   24/00 INVALID FIELD IN CDB
//   vendor        VENDOR SPECIFIC   80/00 (vendor-specific ASC)
//   unitattention UNIT ATTENTION    28/00 NOT READY TO READY CHANGE, MEDIUM MAY HAVE CHANGED
//   reset         UNIT ATTENTION    29/00 POWER ON, RESET, OR BUS DEVICE RESET OCCURRED; the
//                                   drive is reset first: at BOT in variable-block mode, as
//                                   a drive after a reset and tgtd and istgt on a new session
//
// FaultInjector is owned by one target and not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tapecore/status.h"

namespace tsfs::vtape {

enum class FaultCommand {
  kRead,
  kWrite,
  kSpace,
  kWfm,
  kRewind,
  kErase,
  kLocate,
  kLoad,
  kTur,
  kReadPosition,
  kModeSense,
  kModeSelect,
  kInquiry,
  kBlockLimits
};
enum class FaultKey {
  kMedium,
  kHardware,
  kNotReady,
  kAborted,
  kOverflow,
  kProtect,
  kIllegal,
  kVendor,
  kUnitAttention,
  kReset
};

struct FaultRule {
  FaultCommand command = FaultCommand::kRead;
  uint64_t block = 0;
  FaultKey key = FaultKey::kMedium;
  uint32_t times = 1;  // 0: every time
  uint32_t skip = 0;   // matching commands let pass before the first fault
};

struct FaultSense {
  SenseKey key = SenseKey::kNoSense;
  uint8_t asc = 0;
  uint8_t ascq = 0;
  bool eom = false;
  bool reset = false;  // the target resets itself before it answers
};

// The sense a key produces on a command (the table above).
FaultSense SenseForFault(FaultKey key, FaultCommand command);

// "write@1200:medium*3,read@5:hardware+1" -> rules. kInvalidArgument naming the bad part.
Result<std::vector<FaultRule>> ParseFaultRules(std::string_view text);

const char* FaultCommandName(FaultCommand command);
const char* FaultKeyName(FaultKey key);

class FaultInjector final {
 public:
  explicit FaultInjector(const std::vector<FaultRule>& rules);
  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  // For a command that touches objects [first, first + count) (count >= 1):
  // the first matching rule, consumed. `*offset` receives how many objects
  // before the fault are still good (0 when first >= rule block).
  std::optional<FaultSense> Check(FaultCommand command, uint64_t first, uint64_t count,
                                  uint64_t* offset);

 private:
  struct Armed {
    FaultRule rule;
    uint32_t fired = 0;
    uint32_t passed = 0;
  };
  std::vector<Armed> rules_;
};

}  // namespace tsfs::vtape
