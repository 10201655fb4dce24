#include "tapecore/unit/catalog.h"

#include <vector>

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

Result<ScanResult> ScanTape(Ssc& ssc, const ScanOptions& options) {
  TSFS_RETURN_IF_ERROR(ssc.Rewind());
  ScanResult out;
  std::optional<uint64_t> start;
  if (options.trust_positions) {
    TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
    start = p.block + static_cast<uint64_t>(options.first_file_offset);
  }
  for (;;) {
    TSFS_ASSIGN_OR_RETURN(SpaceResult sp, ssc.Space(SpaceCode::kFilemarks, 1));
    if (sp.end_of_data) break;
    CatalogEntry e;
    if (options.trust_positions) {
      TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
      // istgt: on a blank tape SPACE 1 filemark from BOT answers GOOD and
      // lands on object 1, the first block's place. A real filemark leaves
      // the tape past start.
      if (p.block <= *start) break;
      e.start = start;
      e.blocks = p.block > *start ? p.block - *start - 1 : 0;
      start = p.block;
    } else {
      e.size_known = false;
    }
    out.files.push_back(e);
  }

  // End of data. Blocks between the last filemark and it are a file whose
  // filemark never reached the tape (a crash mid-write).
  if (options.trust_positions) {
    TSFS_ASSIGN_OR_RETURN(Position p, ssc.ReadPosition());
    if (p.block > *start) {
      out.eod = p.block;
      CatalogEntry e;
      e.start = start;
      e.blocks = p.block - *start;
      e.complete = false;
      out.files.push_back(e);
      return out;
    }
    if (!options.verify_end_of_data) {
      out.eod = p.block;
      return out;
    }
    // istgt: the SPACE may have stopped before the blocks of a last file.
    bool past_filemark = false;
    TSFS_ASSIGN_OR_RETURN(bool at_eod, VerifyEndOfData(ssc, options.block_size, &past_filemark));
    if (at_eod) {
      out.eod = p.block;
      return out;
    }
    CatalogEntry e;
    e.start = start;
    e.size_known = false;  // found by reading; its length would take reading it all
    e.complete = false;
    out.files.push_back(e);
    return out;
  }
  // Untrusted positions: go to the start of that would-be file and look.
  TSFS_RETURN_IF_ERROR(ssc.Rewind());
  if (!out.files.empty()) {
    TSFS_ASSIGN_OR_RETURN(SpaceResult sp,
                          ssc.Space(SpaceCode::kFilemarks, static_cast<int32_t>(out.files.size())));
    (void)sp;
  }
  bool past_filemark = false;
  TSFS_ASSIGN_OR_RETURN(bool at_eod, VerifyEndOfData(ssc, options.block_size, &past_filemark));
  if (!at_eod) {
    CatalogEntry e;
    e.size_known = false;
    e.complete = false;
    out.files.push_back(e);
    // Back to end of data, counting nothing: the size stays unknown.
    TSFS_ASSIGN_OR_RETURN(SpaceResult sp, ssc.Space(SpaceCode::kEndOfData, 0));
    (void)sp;
  }
  return out;
}

}  // namespace tsfs
