#include "tapecore/unit/record_reader.h"

#include <algorithm>
#include <string>

namespace tsfs {

namespace {

bool IsEndOfData(const Status& s) {
  const SenseData* sense = s.sense();
  return sense != nullptr && (sense->EndOfData() || sense->key == SenseKey::kBlankCheck);
}

// Back over the record just read and read it again with its exact length.
Result<NextRecord> ReadAgainExactly(Ssc& ssc, std::span<uint8_t> buf, size_t length) {
  TSFS_ASSIGN_OR_RETURN(SpaceResult back, ssc.Space(SpaceCode::kBlocks, -1));
  (void)back;
  TSFS_ASSIGN_OR_RETURN(ReadResult again, ssc.Read(buf.subspan(0, length), 0));
  if (again.ili || again.filemark || again.end_of_data || again.bytes != length) {
    return Status::Error(ErrorCode::kIo, "record of " + std::to_string(length) +
                                             " bytes read back with another length")
        .WithContext("read");
  }
  return NextRecord{NextRecord::Kind::kRecord, length, true};
}

}  // namespace

Result<NextRecord> ReadNextRecord(Ssc& ssc, std::span<uint8_t> buf, size_t want,
                                  const RecordReadOptions& options) {
  want = std::min({want, buf.size(), kMaxVariableRecord});
  Result<ReadResult> r = ssc.Read(buf.subspan(0, want), 0);
  if (!r.ok()) {
    if (IsEndOfData(r.status())) return NextRecord{NextRecord::Kind::kEndOfData, 0, false};
    return r.status();
  }
  if (r->end_of_data) return NextRecord{NextRecord::Kind::kEndOfData, 0, false};
  if (r->filemark) return NextRecord{NextRecord::Kind::kFilemark, 0, false};
  if (!r->ili) return NextRecord{NextRecord::Kind::kRecord, r->bytes, true};

  // ILI: INFORMATION = requested - actual, negative for a longer record.
  const int64_t actual = static_cast<int64_t>(want) - r->residue;
  if (actual <= 0) {
    return Status::Error(ErrorCode::kIo, "incorrect length with a record length of " +
                                             std::to_string(actual) + " bytes")
        .WithContext("read");
  }
  const size_t length = static_cast<size_t>(actual);
  if (length > want) {
    // Longer than asked: the tape is past it and only `want` bytes came.
    if (!options.need_data || length > buf.size()) {
      return NextRecord{NextRecord::Kind::kRecord, length, false};
    }
    return ReadAgainExactly(ssc, buf, length);
  }
  if (options.reread_mismatched) return ReadAgainExactly(ssc, buf, length);
  return NextRecord{NextRecord::Kind::kRecord, length, true};
}

}  // namespace tsfs
