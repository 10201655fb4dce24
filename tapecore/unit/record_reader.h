// ReadNextRecord: reads the next object on the tape in variable mode and
// finds its exact length, whatever way the target has of saying "the record
// is not the length you asked for".
//
// Why a function of its own: a tape written elsewhere (tar or dd through the
// Linux st driver in variable mode: 10240-byte records, the last one short)
// has records of any length, and the targets disagree on how a mismatch is
// told (../shared/TARGETS.md):
//   - SSC and vtape: CHECK CONDITION, ILI, INFORMATION = requested - actual
//     (negative when the record is longer), data correct.
//   - tgtd: ILI and INFORMATION right, but the data of a mismatched read is
//     wrong or missing: read the record again with its exact length.
//   - istgt: GOOD without ILI; the iSCSI residual gives the shorter length
//     (Ssc::Read takes it from there).
// A fixed-mode READ of such a record is no help: tgtd answers it with
// MEDIUM ERROR 31/00 instead of ILI.
//
// Thread-safety: as the Ssc (one thread at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "tapecore/ssc/ssc.h"
#include "tapecore/status.h"

namespace tsfs {

struct NextRecord {
  enum class Kind { kRecord, kFilemark, kEndOfData };
  Kind kind = Kind::kRecord;
  size_t length = 0;        // kRecord: the record's exact length in bytes
  bool data_valid = false;  // kRecord: buf[0, length) holds the record
};

struct RecordReadOptions {
  // tgtd: the data of a read whose length differs from the record is not
  // the record's: back over it and read it again with the exact length.
  bool reread_mismatched = false;
  // false: a record longer than `want` is only measured (the tape is left
  // past it, data_valid false), for catalog scans that need lengths only.
  bool need_data = true;
};

// Reads one object, asking for `want` bytes (want <= buf.size()). A record
// longer than buf.size() is measured but not read (data_valid false, tape
// past it). Errors are the target's, as values.
Result<NextRecord> ReadNextRecord(Ssc& ssc, std::span<uint8_t> buf, size_t want,
                                  const RecordReadOptions& options);

// The largest variable record a READ(6) can ask for.
inline constexpr size_t kMaxVariableRecord = 0xFFFFFF;

}  // namespace tsfs
