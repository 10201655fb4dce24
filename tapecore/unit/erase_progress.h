// A long ERASE with progress: sent with IMMED so the drive answers at once,
// then TEST UNIT READY once a second until the drive is ready again; the
// progress indication of a NOT READY "operation in progress" answer (sense
// key specific bytes) is logged every few seconds ("erasing: 40%").
//
// Thread-safety: uses the Ssc like any caller under the unit's lock.
#pragma once

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"
#include "tapecore/unit/diagnostics.h"

namespace tsfs {

// Erases from the current position to the end of the tape (long erase).
// Returns the ERASE's own failure as the Ssc gave it (ILLEGAL REQUEST on a
// target without ERASE), or the failure of the wait.
Status EraseWithProgress(Ssc& ssc, const Diagnostics& diag);

}  // namespace tsfs
