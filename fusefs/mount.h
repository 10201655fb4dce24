// Mount: one mounted tape. Owns the TapeUnit, the open files and the rule
// "one data stream per drive"; the FUSE handlers reach it through the
// FileSystem (file_system.h) of the fuse private_data (no globals). Speaks
// Status only: the handlers turn it into errno through errno_map.
//
// In a library mount (library_mount.h) a Mount is one cartridge's
// directory. It has no unit of its own: the first open file takes a lease
// on the drive holding the cartridge (the library loads it), the last
// release gives it back (the cartridge stays in the drive until the library
// needs the drive). The directory is listed from the unit while it is held,
// else from the catalog last seen (CartridgeCatalogs), else the cartridge
// is loaded to read it.
//
// Thread-safety: all public methods may be called from any FUSE thread.
// mu_ guards the open-file table and the stream owner; it is never held
// across tape I/O. hold_mu_ guards the lease. Lock order: OpenFile::mu_,
// then hold_mu_, then Mount::mu_.
#pragma once

#include <sys/statvfs.h>
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "fusefs/kernel_cache.h"
#include "fusefs/mount_options.h"
#include "fusefs/mount_stamp.h"
#include "fusefs/open_file.h"
#include "tapecore/library/cartridge_catalogs.h"
#include "tapecore/library/tape_library.h"
#include "tapecore/status.h"
#include "tapecore/transport/transport.h"
#include "tapecore/unit/logger.h"
#include "tapecore/unit/tape_unit.h"
#include "tapecore/unit/unit_config.h"

namespace tsfs::fusefs {

// One entry of the directory.
struct FileEntry {
  int index = 0;
  uint64_t size = 0;       // bytes cat returns; bytes so far while being written
  bool writing = false;    // the file being written now
  bool size_known = true;  // false: not learned yet (a lower bound shown; learned at open)
  time_t changed = 0;      // when the size last changed in this mount (ctime); 0: mount time
};

// Where the unit of a library cartridge comes from (library_mount.h).
struct CartridgeSource {
  library::TapeLibrary* library = nullptr;
  library::CartridgeCatalogs* catalogs = nullptr;
  std::string name;  // volume tag, or slotNNN
  bool tagged = false;
  uint64_t inode_base = 0;  // the directory is inode_base + 1, file N inode_base + N + 2
};

class Mount final {
 public:
  // The busy rule (tsfs(8), THE DRIVE, states it for users): a request that
  // needs the drive while another open file holds it waits
  //  - kBusyWait while the process that opened the holder still has it
  //    open (a shell's `exec 3>`, a child that inherited it: their closes
  //    are not the last one),
  //  - kClosingWait once that process closed it with no I/O since: the
  //    kernel's release (the last close) is on its way, only late on a
  //    loaded machine,
  //  - without a limit of its own once the release runs (filemark or space
  //    forward; each tape command is bounded by its timeout),
  // then fails with kBusy.
  static constexpr std::chrono::milliseconds kBusyWait{2000};
  static constexpr std::chrono::milliseconds kClosingWait{30000};

  Mount(MountOptions options, UnitConfig config, Logger& logger);
  // A cartridge directory of a library mount; needs no Start.
  Mount(MountOptions options, UnitConfig config, Logger& logger, CartridgeSource cartridge);
  ~Mount();
  Mount(const Mount&) = delete;
  Mount& operator=(const Mount&) = delete;

  // Opens the unit and reads the catalog. An error here means no mount.
  // The file system is mounted only after Start succeeded (a cartridge's
  // Mount needs none), so no method checks for a unit that is not open.
  Status Start();
  // The same over a transport already open (tests wrap it to count commands).
  Status Start(std::unique_ptr<Transport> transport);
  // Unmount: finishes what is open (filemarks), then TapeUnit::Release
  // (rewind unless no-rewind). Idempotent.
  void Shutdown();
  // What the drive moved and its repositions, read at Shutdown (empty
  // before, or when the drive could not be asked).
  const std::string& drive_activity() const { return drive_activity_; }

  const MountOptions& options() const { return options_; }
  const UnitConfig& config() const { return config_; }
  Logger& logger() { return logger_; }
  std::string unit_name() const { return config_.Name(); }
  const MountStamp& stamp() const { return stamp_; }
  uint32_t block_size() const { return config_.block_size; }
  uint64_t inode_base() const { return cartridge_ ? cartridge_->inode_base : 0; }
  // The unit; for a cartridge only while a file is open (it holds the drive).
  TapeUnit& unit() { return *unit_; }

  // --- the directory ---
  // Served from memory: no tape command (TapeUnit::Catalog, KnownStatus),
  // so `ls -l` and `df` never wait for the drive.
  Result<std::vector<FileEntry>> ListFiles();
  // kNotFound when the tape has no such file.
  Result<FileEntry> FindFile(int index);
  // The kernel keeps what ListFiles and FindFile showed (kernel_cache.h);
  // `dir` is this directory's path from the root of the mount ("" for a
  // single tape, "/NAME" for a cartridge). Set before the mount serves.
  void SetKernelCache(const KernelCache* cache, std::string dir);
  // Tells the kernel of every file whose shown size, or whose existence,
  // changed since it was last shown. The handlers call it at the end of
  // every request that may change one (open, create, flush, fsync, release,
  // ioctl, a read at the end of a file or failing, a failing write). Sends
  // no tape command and loads no cartridge.
  void NoticeChanges();
  Result<UnitStatus> DriveStatus();
  Result<struct statvfs> FileSystemStats();

  // --- open files ---
  // An existing tape file; `flags` as given to open(2); `opener` is the
  // process opening it (see the busy rule above). A file still being
  // written is waited for like any holder of the drive.
  Result<OpenFile*> Open(int index, int flags, pid_t opener);
  // A new name: only the next index (the current file count) is allowed.
  Result<OpenFile*> Create(int index, int flags, pid_t opener);
  // Last close of `file`; it is destroyed.
  void Release(OpenFile* file);
  // An mt operation on the drive, through `file` or through the directory
  // (file == nullptr).
  Status DriveIoctl(OpenFile* file, MtOp op, int32_t count);

  // --- the one data stream ---
  // Makes `owner` the holder of the drive's data stream, waiting up to
  // kBusyWait for another holder to let go; kBusy after that.
  Status AcquireStream(const void* owner);
  void ReleaseStream(const void* owner);
  // The holder's last close came: others wait for it without a limit.
  void StreamClosing(const void* owner);
  // The holder was closed by the process that opened it (a flush), or did
  // I/O again since (closed == false).
  void StreamClosed(const void* owner, bool closed);
  // Waits (up to kBusyWait) until nobody holds the stream; kBusy if not.
  Status WaitStreamFree();

  // ts: after a write the drive accepts no read until it was rewound. A
  // read of a tape file positions the tape anyway, so the mount rewinds
  // first when the last stream wrote. Called by the stream holder.
  Status PrepareRead();
  void NoteWriteEnded() { wrote_since_rewind_ = true; }
  // Keeps the above in step with mt operations.
  void NoteIoctlDone(MtOp op, const Status& status);

 private:
  // The size of a file being written, as ListFiles and FindFile show it.
  void ShowWriting(const OpenFile& file, FileEntry& e) const;
  // Remembers the size shown and sets e.changed (ctime); mu_ held. True
  // when the size differs from the one shown before.
  bool NoteShownSize(FileEntry& e, time_t now);
  // ListFiles, also giving the files whose shown size changed.
  Result<std::vector<FileEntry>> ListFilesNoting(std::vector<int>* changed);
  // Open and Create once the unit is held.
  Result<OpenFile*> OpenHeld(int index, int flags, pid_t opener);
  Result<OpenFile*> CreateHeld(int index, int flags, pid_t opener);
  // Cartridges: the drive holding it, loaded when needed; counted, each
  // Hold matched by one LetGo. No-ops on a single tape.
  Status Hold();
  void LetGo();
  // The tape files: the unit's catalog, or what is known of a cartridge
  // that is not held (loaded to be read when nothing is).
  Result<std::vector<TapeFileInfo>> CurrentCatalog();
  // One file of the same (nullopt: no such file), without copying the
  // others: O(log n) on a single tape, O(1) from a cartridge's known one.
  Result<std::optional<TapeFileInfo>> CurrentCatalogFile(int index);
  // The one choice of source for both: `from_unit(TapeUnit&)` while the
  // unit is held (a single tape's always is), else `from_known(const
  // std::vector<TapeFileInfo>&)` on the catalog last seen of the cartridge,
  // else the cartridge is loaded for `from_unit`.
  template <typename T, typename FromUnit, typename FromKnown>
  Result<T> FromCurrentCatalog(const FromUnit& from_unit, const FromKnown& from_known);
  Status ReadCatalogAtStart();
  // kReadOnly when the mount is read-only or the tape write-protected:
  // every open for writing answers EROFS before any other refusal.
  Status CheckWritable();
  // mu_ held through `lock`. True once the stream is free (or `owner`'s).
  bool WaitForStream(std::unique_lock<std::mutex>& lock, const void* owner);

  const MountOptions options_;
  const UnitConfig config_;
  Logger& logger_;
  const MountStamp stamp_;
  std::string drive_activity_;
  const std::optional<CartridgeSource> cartridge_;
  std::unique_ptr<TapeUnit> owned_unit_;  // a single tape's
  // The unit in use: owned_unit_, or the leased drive's while held.
  TapeUnit* unit_ = nullptr;

  std::mutex hold_mu_;
  library::DriveLease lease_;  // guarded by hold_mu_
  int holds_ = 0;              // guarded by hold_mu_

  std::mutex mu_;
  std::condition_variable stream_free_;
  const void* stream_owner_ = nullptr;                    // guarded by mu_
  std::map<OpenFile*, std::unique_ptr<OpenFile>> files_;  // guarded by mu_
  // The size each file showed last and when it changed: a size corrected
  // while a program reads the file changes its ctime, so tar notices.
  // By file index: the indices are dense, and a map of 100,000 nodes was a
  // fifth of the memory an `ls -l` of such a tape made tsfs touch.
  struct ShownSize {
    static constexpr uint64_t kNotShown = UINT64_MAX;
    uint64_t size = kNotShown;
    time_t changed = 0;  // 0: not since the mount
  };
  std::vector<ShownSize> shown_sizes_;           // guarded by mu_
  const KernelCache* kernel_cache_ = nullptr;    // set before serving
  std::string kernel_dir_;                       // set before serving
  bool stream_closed_ = false;                   // guarded by mu_
  bool stream_releasing_ = false;                // guarded by mu_
  bool shut_down_ = false;                       // guarded by mu_
  std::atomic<bool> wrote_since_rewind_{false};  // the last stream wrote (see PrepareRead)
};

}  // namespace tsfs::fusefs
