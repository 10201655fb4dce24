// TapeUnit: the public face; everything happens in TapeUnit::Impl.
#include "tapecore/unit/tape_unit.h"

#include <vector>

#include "tapecore/source/open_source.h"
#include "tapecore/unit/unit_impl.h"

namespace tsfs {

Result<std::unique_ptr<TapeUnit>> TapeUnit::Open(const UnitConfig& config, Logger& logger) {
  if (config.device.empty()) return Status::Error(ErrorCode::kInvalidArgument, "no device given");
  TSFS_ASSIGN_OR_RETURN(std::unique_ptr<Transport> transport, OpenSource(config.device));
  return Open(config, std::move(transport), logger);
}

Result<std::unique_ptr<TapeUnit>> TapeUnit::Open(const UnitConfig& config,
                                                 std::unique_ptr<Transport> transport,
                                                 Logger& logger) {
  if (!transport) return Status::Error(ErrorCode::kInvalidArgument, "no transport given");
  if (config.block_size == 0 || config.buffer_kb * 1024 < config.block_size) {
    return Status::Error(ErrorCode::kInvalidArgument,
                         "buffer-kb must hold at least one block of block-size bytes");
  }
  auto impl = std::make_unique<Impl>(config, std::move(transport), logger);
  TSFS_RETURN_IF_ERROR(impl->Init().WithContext("open " + config.Name()));
  return std::unique_ptr<TapeUnit>(new TapeUnit(std::move(impl)));
}

TapeUnit::TapeUnit(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

TapeUnit::~TapeUnit() {
  if (impl_) (void)impl_->Release();
}

const UnitConfig& TapeUnit::config() const { return impl_->config(); }
Result<std::vector<TapeFileInfo>> TapeUnit::Catalog() { return impl_->Catalog(); }
Result<std::optional<TapeFileInfo>> TapeUnit::CatalogFile(int index) {
  return impl_->CatalogFile(index);
}
Status TapeUnit::CheckMedium() { return impl_->CheckMediumAtOpen(); }
UnitStatus TapeUnit::KnownStatus() const { return impl_->KnownStatus(); }
Status TapeUnit::OpenRead(int index) { return impl_->OpenRead(index); }
Result<size_t> TapeUnit::Read(std::span<uint8_t> buf) { return impl_->Read(buf); }
uint64_t TapeUnit::StreamOffset() const { return impl_->StreamOffset(); }
Result<int> TapeUnit::OpenAppend() { return impl_->OpenAppend(); }
Status TapeUnit::OpenOverwrite(int index) { return impl_->OpenOverwrite(index); }
Status TapeUnit::Write(std::span<const uint8_t> data) { return impl_->Write(data); }
Status TapeUnit::Sync() { return impl_->Sync(); }
Status TapeUnit::Close() {
  const bool wrote = impl_->stream() == StreamKind::kWrite;
  Status s = impl_->Close();
  if (wrote) impl_->NoteSpaceUsed();  // statfs shows the space left from memory
  return s;
}
StreamKind TapeUnit::stream() const { return impl_->stream(); }
Status TapeUnit::Ioctl(MtOp op, int32_t count) { return impl_->Ioctl(op, count); }
Result<UnitStatus> TapeUnit::GetStatus() { return impl_->GetStatus(); }
Result<DriveActivity> TapeUnit::GetDriveActivity() { return impl_->GetDriveActivity(); }
std::string TapeUnit::DescribeDriveTiming() { return impl_->DescribeDriveTiming(); }
Status TapeUnit::Release() { return impl_->Release(); }

Status TapeUnit::LearnSize(int index) {
  // One read to the filemark; the data is dropped, the size stays in the
  // catalog (and the catalog store).
  TSFS_RETURN_IF_ERROR(OpenRead(index));
  std::vector<uint8_t> scratch(1 << 20);
  Status result;
  for (;;) {
    Result<size_t> n = Read(scratch);
    if (!n.ok()) {
      result = n.status();
      break;
    }
    if (*n == 0) break;
  }
  Status closed = Close();
  return result.ok() ? closed : result;
}

Status TapeUnit::LearnAllSizes(const std::function<void(int, int)>& progress) {
  TSFS_ASSIGN_OR_RETURN(std::vector<TapeFileInfo> files, Catalog());
  const int count = static_cast<int>(files.size());
  for (const TapeFileInfo& f : files) {
    if (f.size_known && f.size_exact) continue;
    if (progress) progress(f.index, count);
    TSFS_RETURN_IF_ERROR(LearnSize(f.index));
  }
  return Status::Ok();
}

}  // namespace tsfs
