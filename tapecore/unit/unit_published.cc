// TapeUnit::Impl: what metadata (readdir, getattr, lookup, statfs) is
// served from. A hung target holds mu_ for up to a command timeout; the
// copies published here on the way out of every entry point let `ls -l`
// and `df` answer meanwhile.
#include <algorithm>
#include <memory>
#include <vector>

#include "tapecore/unit/unit_impl.h"

namespace tsfs {

TapeFileInfo TapeUnit::Impl::CatalogFileInfoLocked(size_t i) const {
  const CatalogEntry& e = catalog_.files()[i];
  TapeFileInfo f;
  f.index = static_cast<int>(i);
  f.blocks = e.blocks;
  f.size_known = e.size != SizeKind::kUnknown;
  f.complete = e.complete;
  f.bytes = e.bytes;
  f.size_exact = e.size == SizeKind::kExact;
  f.first_record = e.first_record;
  return f;
}

std::vector<TapeFileInfo> TapeUnit::Impl::CatalogInfoLocked() const {
  std::vector<TapeFileInfo> out;
  out.reserve(catalog_.files().size());
  for (size_t i = 0; i < catalog_.files().size(); ++i) out.push_back(CatalogFileInfoLocked(i));
  return out;
}

void TapeUnit::Impl::FillPosition(UnitStatus& st) const {
  if (pos_.known()) {
    st.file_number = pos_.file();
    st.block_number = pos_.block();
  }
  st.at_bot = pos_.at_bot();
  st.at_eod = pos_.at_eod();
}

UnitStatus TapeUnit::Impl::KnownStatusLocked() const {
  UnitStatus st;
  st.name = config_.Name();
  st.device = transport_->Describe();
  st.block_size = config_.block_size;
  st.writing = stream_ == StreamKind::kWrite;
  st.reading = stream_ == StreamKind::kRead;
  st.online = true;
  st.write_protect = write_protect_;
  st.capacity = capacity_;
  if (st.capacity && stream_ == StreamKind::kWrite) {
    // The open file's bytes are not in the drive's last report yet.
    st.capacity->remaining_bytes -= std::min(st.capacity->remaining_bytes, offset_);
  }
  FillPosition(st);
  return st;
}

void TapeUnit::Impl::PublishLocked() {
  UnitStatus status = KnownStatusLocked();
  const bool changed = catalog_.generation() != published_generation_;
  std::shared_ptr<const std::vector<TapeFileInfo>> files;
  if (changed) {
    published_generation_ = catalog_.generation();
    if (catalog_.known()) {
      files = std::make_shared<const std::vector<TapeFileInfo>>(CatalogInfoLocked());
    }
  }
  std::lock_guard<std::mutex> lock(published_mu_);
  published_status_ = std::move(status);
  if (changed) published_catalog_ = std::move(files);
}

UnitStatus TapeUnit::Impl::KnownStatus() const {
  std::unique_lock<std::mutex> lock(mu_, std::try_to_lock);
  if (lock.owns_lock()) return KnownStatusLocked();
  // A command holds the unit: the status as the last call left it.
  std::lock_guard<std::mutex> published(published_mu_);
  return published_status_;
}

}  // namespace tsfs
