// Ssc::Read and Ssc::Write within the largest transfer one command may carry
// (Transport::MaxTransfer, READ BLOCK LIMITS): fixed-block transfers are split
// into several commands, variable records are bounded. The single commands
// are Ssc::ReadOnce / Ssc::WriteOnce in ssc.cc.
#include <algorithm>
#include <string>

#include "tapecore/ssc/cdb.h"
#include "tapecore/ssc/ssc.h"

namespace tsfs {

namespace {

Status TooLarge(const char* command, const std::string& what, size_t limit,
                const std::string& source) {
  return Status::Error(ErrorCode::kInvalidArgument,
                       what + " is larger than the largest transfer the device takes (" +
                           std::to_string(limit) + " bytes" +
                           (source.empty() ? std::string() : ": " + source) + ")")
      .WithContext(command);
}

}  // namespace

size_t Ssc::MaxTransferBytes() const {
  return std::min<size_t>(transport_.MaxTransfer().max_bytes, cdb::kMaxTransferLength6);
}

size_t Ssc::MaxRecordBytes() const {
  size_t limit = MaxTransferBytes();
  if (block_limits_ && block_limits_->max_block_length > 0) {
    limit = std::min<size_t>(limit, block_limits_->max_block_length);
  }
  return limit;
}

std::string Ssc::TransferLimitSource() const {
  std::string source = transport_.MaxTransfer().source;
  if (block_limits_ && block_limits_->max_block_length > 0) {
    if (!source.empty()) source += ", ";
    source += "READ BLOCK LIMITS " + std::to_string(block_limits_->max_block_length);
  }
  return source;
}

Result<size_t> Ssc::FixedChunk(uint32_t block_length, const char* command) const {
  const size_t limit = transport_.MaxTransfer().max_bytes;
  const uint64_t blocks =
      std::min<uint64_t>(limit / block_length, uint64_t{cdb::kMaxTransferLength6});
  if (blocks == 0) {
    return TooLarge(command, "a block of " + std::to_string(block_length) + " bytes", limit,
                    transport_.MaxTransfer().source);
  }
  return static_cast<size_t>(blocks * block_length);
}

Result<ReadResult> Ssc::Read(std::span<uint8_t> buffer, uint32_t block_length, bool sili) {
  if (block_length == 0) {
    const size_t limit = MaxRecordBytes();
    if (buffer.size() <= limit) return ReadOnce(buffer, 0, sili);
    // Ask for no more than the device takes; the residue stays in the
    // caller's terms (against the whole buffer).
    TSFS_ASSIGN_OR_RETURN(ReadResult r, ReadOnce(buffer.first(limit), 0, sili));
    if (r.ili && r.residue < 0) {
      return TooLarge("read", "a record of " + std::to_string(limit - r.residue) + " bytes", limit,
                      TransferLimitSource());
    }
    r.residue += static_cast<int64_t>(buffer.size() - limit);
    return r;
  }
  if (buffer.size() % block_length != 0) return ReadOnce(buffer, block_length, sili);  // refused
  TSFS_ASSIGN_OR_RETURN(size_t chunk, FixedChunk(block_length, "read"));
  if (buffer.size() <= chunk) return ReadOnce(buffer, block_length, sili);

  const int64_t total_blocks = static_cast<int64_t>(buffer.size() / block_length);
  ReadResult combined;
  size_t done = 0;
  while (done < buffer.size()) {
    const size_t n = std::min(chunk, buffer.size() - done);
    Result<ReadResult> r = ReadOnce(buffer.subspan(done, n), block_length, sili);
    const int64_t blocks_after = static_cast<int64_t>((buffer.size() - done - n) / block_length);
    if (!r.ok()) {
      if (done == 0) return r.status();
      const int64_t chunk_residue = r.status().residue().value_or(n / block_length);
      return r.status().WithResidue(chunk_residue + blocks_after);
    }
    done += r->bytes;
    combined = *r;
    combined.bytes = done;
    const bool clean = r->bytes == n && !r->filemark && !r->end_of_data && !r->eom && !r->ili;
    if (!clean) {
      combined.residue = r->residue + blocks_after;
      return combined;
    }
  }
  combined.residue = total_blocks - static_cast<int64_t>(done / block_length);
  return combined;
}

Result<WriteResult> Ssc::Write(std::span<const uint8_t> data, uint32_t block_length) {
  if (block_length == 0) {
    const size_t limit = MaxRecordBytes();
    if (data.size() > limit) {
      return TooLarge("write", "a record of " + std::to_string(data.size()) + " bytes", limit,
                      TransferLimitSource());
    }
    return WriteOnce(data, 0);
  }
  if (data.size() % block_length != 0) return WriteOnce(data, block_length);  // refused
  TSFS_ASSIGN_OR_RETURN(size_t chunk, FixedChunk(block_length, "write"));
  if (data.size() <= chunk) return WriteOnce(data, block_length);

  WriteResult combined;
  while (combined.bytes < data.size()) {
    const size_t n = std::min(chunk, data.size() - combined.bytes);
    Result<WriteResult> r = WriteOnce(data.subspan(combined.bytes, n), block_length);
    if (!r.ok()) {
      if (combined.bytes == 0) return r.status();
      const int64_t blocks_after =
          static_cast<int64_t>((data.size() - combined.bytes - n) / block_length);
      const int64_t chunk_residue = r.status().residue().value_or(n / block_length);
      return r.status().WithResidue(chunk_residue + blocks_after);
    }
    combined.bytes += r->bytes;
    combined.early_warning = combined.early_warning || r->early_warning;
    // Early warning alone does not stop the transfer (one command would have
    // written it all too); a short write does.
    if (r->bytes < n) break;
  }
  return combined;
}

}  // namespace tsfs
