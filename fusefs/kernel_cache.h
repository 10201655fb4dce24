// KernelCache: tells the kernel that what it keeps of a name is out of date.
//
// The kernel keeps names and attributes for kCacheSeconds (OpInit), so that
// `ls -l` of 100,000 tape files is served by READDIRPLUS alone instead of a
// LOOKUP and a GETATTR per file. The sizes tsfs shows do change (a file
// being written, the padding of its last block at close, an exact size
// learned at open or at the end of a read, mt operations, another tape):
// Mount::NoticeChanges sends each change through here at the end of the
// request that made it, so nobody sees an old size.
//
// Attached to the session in OpInit and detached in OpDestroy (the kernel
// holds the super block while it unmounts: no notification may be sent
// then). Without a session it does nothing. Thread-safe.
//
// Why not at CREATE: the kernel holds the directory's lock through a
// CREATE, and forgetting a name takes that lock. A create changes no other
// file's size; what it may notice (another tape) is told at the new file's
// flush or release at the latest.
#pragma once

#include <mutex>
#include <string>

struct fuse;

namespace tsfs::fusefs {

class KernelCache final {
 public:
  // How long the kernel may keep a name or its attributes untold.
  static constexpr double kCacheSeconds = 5.0;

  void Attach(struct fuse* fuse);
  void Detach();
  // The attributes of `name` in `dir` ("" for the root of a single tape,
  // "/LIB001" for a cartridge) are out of date. A name the kernel does not
  // hold is no error.
  void Invalidate(const std::string& dir, const std::string& name) const;
  // `name` in `dir` no longer exists: the kernel forgets the name (for a
  // cartridge, its whole directory; it is looked up again). Never called
  // while the kernel holds the directory, as during a CREATE in it: the
  // kernel would wait for the request that waits for it.
  void Forget(const std::string& dir, const std::string& name) const;

 private:
  mutable std::mutex mu_;
  struct fuse* fuse_ = nullptr;  // guarded by mu_
};

}  // namespace tsfs::fusefs
