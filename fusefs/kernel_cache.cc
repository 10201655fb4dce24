#include "fusefs/kernel_cache.h"

#include "fusefs/fuse_api.h"
// After fuse_api.h (FUSE_USE_VERSION).
#include <fuse_lowlevel.h>

namespace tsfs::fusefs {

void KernelCache::Attach(struct fuse* fuse) {
  std::lock_guard<std::mutex> lock(mu_);
  fuse_ = fuse;
}

void KernelCache::Detach() {
  std::lock_guard<std::mutex> lock(mu_);
  fuse_ = nullptr;
}

void KernelCache::Invalidate(const std::string& dir, const std::string& name) const {
  // mu_ is held through the call so that Detach waits for it: OpDestroy
  // detaches before the unmount goes on.
  std::lock_guard<std::mutex> lock(mu_);
  if (fuse_ == nullptr) return;
  // -ENOENT: libfuse never gave the kernel this name, nothing is cached.
  (void)fuse_invalidate_path(fuse_, (dir + "/" + name).c_str());
}

void KernelCache::Forget(const std::string& dir, const std::string& name) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (fuse_ == nullptr) return;
  // Only the root's node number is known outside libfuse: a cartridge's
  // file is forgotten with its whole directory ("/LIB001" in the root).
  const std::string in_root = dir.empty() ? name : dir.substr(1);
  (void)fuse_invalidate_path(fuse_, (dir + "/" + name).c_str());
  (void)fuse_lowlevel_notify_inval_entry(fuse_get_session(fuse_), FUSE_ROOT_ID, in_root.c_str(),
                                         in_root.size());
}

}  // namespace tsfs::fusefs
