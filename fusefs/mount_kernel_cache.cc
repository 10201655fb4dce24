// Mount, the part that keeps the kernel's cache of names and attributes
// true (kernel_cache.h).
#include "fusefs/mount.h"
#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

void Mount::SetKernelCache(const KernelCache* cache, std::string dir) {
  kernel_cache_ = cache;
  kernel_dir_ = std::move(dir);
}

void Mount::NoticeChanges() {
  if (kernel_cache_ == nullptr) return;
  if (cartridge_) {
    // A cartridge neither held nor seen showed nothing yet; listing it
    // would load it.
    std::lock_guard<std::mutex> hold(hold_mu_);
    if (holds_ == 0 && !cartridge_->catalogs->Get(cartridge_->name, cartridge_->tagged)) return;
  }
  std::vector<int> changed;
  std::vector<int> gone;
  auto entries = ListFilesNoting(&changed);
  if (!entries.ok()) return;  // nothing known now: the next listing tells
  {
    // Names shown before that are gone (an erase, another tape): one walk
    // over both, each sorted by index.
    std::lock_guard<std::mutex> lock(mu_);
    auto listed = entries->begin();
    for (size_t i = 0; i < shown_sizes_.size(); ++i) {
      if (shown_sizes_[i].size == ShownSize::kNotShown) continue;
      const int index = static_cast<int>(i);
      while (listed != entries->end() && listed->index < index) ++listed;
      if (listed != entries->end() && listed->index == index) continue;
      gone.push_back(index);
      shown_sizes_[i] = ShownSize{};
    }
    while (!shown_sizes_.empty() && shown_sizes_.back().size == ShownSize::kNotShown) {
      shown_sizes_.pop_back();
    }
  }
  for (int index : changed) kernel_cache_->Invalidate(kernel_dir_, TapeFileName(index));
  for (int index : gone) kernel_cache_->Forget(kernel_dir_, TapeFileName(index));
}

}  // namespace tsfs::fusefs
