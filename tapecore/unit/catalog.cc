#include "tapecore/unit/catalog.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "tapecore/unit/record_reader.h"

namespace tsfs {

Result<bool> VerifyEndOfData(Ssc& ssc, uint32_t block_size, bool* moved_past_filemark) {
  *moved_past_filemark = false;
  std::vector<uint8_t> probe(std::max<uint32_t>(block_size, 512));
  Result<ReadResult> r = ssc.Read(probe, 0, /*sili=*/true);
  if (!r.ok()) {
    const SenseData* s = r.status().sense();
    if (s && (s->EndOfData() || s->key == SenseKey::kBlankCheck)) return true;
    return r.status();
  }
  if (r->end_of_data) return true;
  *moved_past_filemark = r->filemark;
  return false;
}

uint64_t Fnv1a(std::span<const uint8_t> data, uint64_t seed) {
  uint64_t h = seed;
  for (uint8_t b : data) {
    h ^= b;
    h *= 0x100000001b3ull;
  }
  return h;
}

uint64_t MediumFingerprint(std::span<const uint8_t> data, uint64_t record_length) {
  uint8_t len[8];
  for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(record_length >> (8 * i));
  const uint64_t h = Fnv1a(data, Fnv1a(len));
  return h != 0 ? h : 1;
}

namespace {

// Room for the first and last record of each file. istgt cuts a longer
// record to the request without saying so: records up to this size are
// measured right on every target.
constexpr size_t kScanBuffer = 1024 * 1024;

// Size of a file from its record structure: `objects` records, the first of
// `first` bytes, the last of `last` bytes (0: not read).
void EstimateSize(CatalogEntry& e, uint32_t block_size, uint64_t last) {
  if (!e.size_known) {
    e.size = SizeKind::kUnknown;
    return;
  }
  if (e.blocks == 0) {
    e.bytes = 0;
    e.size = SizeKind::kExact;
    return;
  }
  // Set for every file with records: the scan read its first one (a record
  // is never 0 bytes long), so no default is needed here.
  const uint64_t first = e.first_record;
  if (e.blocks == 1) {
    e.bytes = first;
    e.size = SizeKind::kExact;
    return;
  }
  const uint64_t tail = last != 0 ? last : first;
  e.bytes = (e.blocks - 1) * first + tail;
  // Two records, both measured: nothing is assumed. A file of the unit's
  // blocks (what tsfs, tstape and ts write) is its blocks times the block
  // size by the ts convention (tsfs(8), THE DIRECTORY).
  const bool unit_blocks = first == block_size && (last == 0 || last == block_size);
  e.size = (e.blocks == 2 && last != 0) || unit_blocks ? SizeKind::kExact : SizeKind::kEstimated;
}

}  // namespace

Result<ScanResult> ScanTape(Ssc& ssc, const ScanOptions& options) {
  TSFS_RETURN_IF_ERROR(ssc.Rewind());
  ScanResult out;
  std::optional<uint64_t> start;
  if (options.trust_positions) {
    TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
    start = p.block + static_cast<uint64_t>(options.first_file_offset);
  }
  std::vector<uint8_t> scratch(kScanBuffer);
  RecordReadOptions measure;
  measure.need_data = false;
  for (;;) {
    // At the start of a file: its first record, its filemark, or end of data.
    RecordReadOptions first_opts = measure;
    first_opts.reread_mismatched = out.files.empty() && options.reread_mismatched;
    TSFS_ASSIGN_OR_RETURN(NextRecord first,
                          ReadNextRecord(ssc, scratch, scratch.size(), first_opts));
    if (first.kind == NextRecord::Kind::kEndOfData) break;
    CatalogEntry e;
    e.start = start;
    if (first.kind == NextRecord::Kind::kFilemark) {
      e.blocks = 0;
      EstimateSize(e, options.block_size, 0);
      if (start) start = *start + 1;
      out.files.push_back(e);
      continue;
    }
    e.first_record = static_cast<uint32_t>(std::min<size_t>(first.length, UINT32_MAX));
    if (out.files.empty()) {
      const size_t n = first.data_valid ? first.length : 0;
      out.fingerprint = MediumFingerprint({scratch.data(), n}, first.length);
    }
    TSFS_ASSIGN_OR_RETURN(SpaceResult sp, ssc.Space(SpaceCode::kFilemarks, 1));
    if (sp.end_of_data) {
      // A last file whose filemark never reached the tape (crash mid-write).
      e.complete = false;
      if (options.trust_positions && !options.verify_end_of_data) {
        TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
        e.blocks = p.block - *start;
        out.eod = p.block;
      } else {
        // istgt: this SPACE stops without moving; only reading finds the end.
        e.size_known = false;
      }
      EstimateSize(e, options.block_size, 0);
      out.files.push_back(e);
      return out;
    }
    uint64_t last = 0;
    if (options.trust_positions) {
      TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
      e.blocks = p.block > *start ? p.block - *start - 1 : 0;
      if (options.locate && e.blocks > 1 && first.length != options.block_size) {
        // A variable-record file (tar, dd): its last record is usually the
        // short one. Read it, then the filemark after it.
        TSFS_RETURN_IF_ERROR(ssc.Locate(*start + e.blocks - 1));
        TSFS_ASSIGN_OR_RETURN(NextRecord tail,
                              ReadNextRecord(ssc, scratch, scratch.size(), measure));
        if (tail.kind == NextRecord::Kind::kRecord) {
          last = tail.length;
          TSFS_ASSIGN_OR_RETURN(NextRecord fm,
                                ReadNextRecord(ssc, scratch, scratch.size(), measure));
          if (fm.kind != NextRecord::Kind::kFilemark) {
            return Status::Error(ErrorCode::kIo, "no filemark after the last record of file " +
                                                     std::to_string(out.files.size()))
                .WithContext("catalog");
          }
        } else {
          TSFS_RETURN_IF_ERROR(ssc.Locate(p.block));
        }
      }
      start = p.block;
    } else {
      e.size_known = false;
    }
    EstimateSize(e, options.block_size, last);
    out.files.push_back(e);
  }
  // At end of data: the READ there answered BLANK CHECK without moving.
  if (options.trust_positions) {
    TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
    out.eod = p.block;
  }
  return out;
}

}  // namespace tsfs
