// FileSystem: what the FUSE handlers reach through private_data: one tape
// (a Mount whose directory is the root) or a tape library (a LibraryMount:
// the root lists the cartridges, each a directory served by its own Mount).
// Resolve() turns a FUSE path into the Mount and the path inside it, so
// every handler keeps the single-tape rules unchanged.
//
// Thread-safe (the mounts are).
#pragma once

#include <ctime>
#include <string>

#include "fusefs/kernel_cache.h"
#include "fusefs/library_mount.h"
#include "fusefs/mount.h"
#include "fusefs/mount_stamp.h"
#include "tapecore/status.h"

namespace tsfs::fusefs {

class FileSystem final {
 public:
  explicit FileSystem(Mount& single) : single_(&single) {
    single.SetKernelCache(&kernel_cache_, "");
  }
  explicit FileSystem(LibraryMount& library) : library_(&library) {
    library.SetKernelCache(&kernel_cache_);
  }
  FileSystem(const FileSystem&) = delete;
  FileSystem& operator=(const FileSystem&) = delete;

  struct Target {
    Mount* mount = nullptr;  // nullptr: the root directory of a library
    std::string path;        // inside the mount: "/" or "/file000"
  };
  // kNotFound for a cartridge the library does not have or a path below
  // a tape file.
  Result<Target> Resolve(const char* path);

  LibraryMount* library() { return library_; }
  // What the kernel keeps of names and attributes (attached in OpInit).
  KernelCache& kernel_cache() { return kernel_cache_; }
  const MountStamp& stamp() const;
  // Unmount: every filemark, rewind, and for a library the cartridges home.
  void Shutdown();

 private:
  Mount* single_ = nullptr;
  LibraryMount* library_ = nullptr;
  KernelCache kernel_cache_;
};

}  // namespace tsfs::fusefs
