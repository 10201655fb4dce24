#include "fusefs/mount.h"

#include <fcntl.h>

#include <algorithm>
#include <ctime>
#include <string>

#include "fusefs/tape_names.h"

namespace tsfs::fusefs {

Mount::Mount(MountOptions options, UnitConfig config, Logger& logger)
    : options_(std::move(options)),
      config_(std::move(config)),
      logger_(logger),
      stamp_(MountStamp::Now()) {}

Mount::Mount(MountOptions options, UnitConfig config, Logger& logger, CartridgeSource cartridge)
    : options_(std::move(options)),
      config_(std::move(config)),
      logger_(logger),
      stamp_(MountStamp::Now()),
      cartridge_(std::move(cartridge)) {}

Mount::~Mount() { Shutdown(); }

Status Mount::Start() {
  TSFS_ASSIGN_OR_RETURN(owned_unit_, TapeUnit::Open(config_, logger_));
  unit_ = owned_unit_.get();
  return ReadCatalogAtStart();
}

Status Mount::Start(std::unique_ptr<Transport> transport) {
  TSFS_ASSIGN_OR_RETURN(owned_unit_, TapeUnit::Open(config_, std::move(transport), logger_));
  unit_ = owned_unit_.get();
  return ReadCatalogAtStart();
}

Status Mount::ReadCatalogAtStart() {
  // The catalog is read now so the first `ls` does not wait for the tape.
  // A tape that cannot be catalogued still mounts; readdir retries and
  // reports the error.
  auto catalog = unit_->Catalog();
  if (!catalog.ok()) {
    logger_.Log(LogLevel::kWarning, unit_name(),
                "cannot read the catalog at mount: " + catalog.status().ToString());
  } else if (options_.scan) {
    // -o scan: one pass over the tape so that every size is exact.
    Status s = unit_->LearnAllSizes([&](int file, int files) {
      logger_.Log(LogLevel::kInfo, unit_name(),
                  "scan: reading file " + std::to_string(file) + " of " + std::to_string(files));
    });
    if (!s.ok()) logger_.Log(LogLevel::kWarning, unit_name(), "scan: " + s.ToString());
  }
  return Status::Ok();
}

void Mount::Shutdown() {
  if (cartridge_) {
    // The library finishes the units (filemarks, rewind) when it closes.
    std::lock_guard<std::mutex> hold(hold_mu_);
    std::lock_guard<std::mutex> lock(mu_);
    shut_down_ = true;
    holds_ = 0;
    unit_ = nullptr;
    lease_.Release();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (shut_down_ || unit_ == nullptr) {
      shut_down_ = true;
      return;
    }
    shut_down_ = true;
  }
  // TapeUnit::Release finishes an open stream (the filemark of a file still
  // being written), then rewinds unless the unit is a no-rewind one.
  Status st = unit_->Release();
  if (!st.ok()) {
    logger_.Log(LogLevel::kError, unit_name(), "release at unmount: " + st.ToString());
  }
  if (auto activity = unit_->GetDriveActivity(); activity.ok()) {
    drive_activity_ = DescribeDriveActivity(*activity);
    if (std::string timing = unit_->DescribeDriveTiming(); !timing.empty()) {
      drive_activity_ += "; " + timing;
    }
  }
}

namespace {

FileEntry EntryOf(const TapeFileInfo& f) {
  FileEntry e;
  e.index = f.index;
  // Not known yet (tgtd): the length of its first record, a lower bound.
  // Never 0 for a file with data, so that tar opens it (it skips reading
  // files of size 0) and, seeing the exact size after the open learned it,
  // reports the file as changed instead of storing a short copy.
  e.size = f.size_known ? f.bytes : f.first_record;
  e.size_known = f.size_known;
  return e;
}

}  // namespace

void Mount::ShowWriting(const OpenFile& file, FileEntry& e) const {
  // Once flushed, the unit pads the last block with zeros: show the size
  // the tape file will have.
  const uint64_t bs = block_size();
  e.size = file.flushed() ? (file.position() + bs - 1) / bs * bs : file.position();
  e.writing = true;
}

bool Mount::NoteShownSize(FileEntry& e, time_t now) {
  if (e.index < 0) return false;
  const auto at = static_cast<size_t>(e.index);
  if (at >= shown_sizes_.size()) shown_sizes_.resize(at + 1);
  ShownSize& shown = shown_sizes_[at];
  const bool changed = shown.size != ShownSize::kNotShown && shown.size != e.size;
  if (shown.size == ShownSize::kNotShown) {
    shown = ShownSize{e.size, 0};
  } else if (changed) {
    shown = ShownSize{e.size, now};
  }
  e.changed = shown.changed;
  return changed;
}

Result<std::vector<FileEntry>> Mount::ListFiles() { return ListFilesNoting(nullptr); }

Result<std::vector<FileEntry>> Mount::ListFilesNoting(std::vector<int>* changed) {
  TSFS_ASSIGN_OR_RETURN(std::vector<TapeFileInfo> catalog, CurrentCatalog());
  std::vector<FileEntry> entries;
  entries.reserve(catalog.size() + 1);
  for (const TapeFileInfo& f : catalog) entries.push_back(EntryOf(f));
  // The file being written shows the bytes written so far, whether or not
  // the unit's catalog has it yet.
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [ptr, file] : files_) {
    if (!file->writing()) continue;
    auto it = std::find_if(entries.begin(), entries.end(),
                           [&](const FileEntry& e) { return e.index == file->index(); });
    if (it == entries.end()) {
      entries.push_back(FileEntry{file->index(), 0, true});
      it = entries.end() - 1;
    }
    ShowWriting(*file, *it);
  }
  std::sort(entries.begin(), entries.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.index < b.index; });
  const time_t now = std::time(nullptr);
  for (FileEntry& e : entries) {
    if (NoteShownSize(e, now) && changed != nullptr) changed->push_back(e.index);
  }
  return entries;
}

Result<FileEntry> Mount::FindFile(int index) {
  // The same entry ListFiles() shows, for one file and in O(log n): getattr
  // calls this once per name, so `ls -l` of a 100,000-file tape stays
  // linear.
  TSFS_ASSIGN_OR_RETURN(std::optional<TapeFileInfo> info, CurrentCatalogFile(index));
  std::optional<FileEntry> entry;
  if (info) entry = EntryOf(*info);
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& [ptr, file] : files_) {
    if (!file->writing() || file->index() != index) continue;
    if (!entry) entry = FileEntry{index, 0, true};
    ShowWriting(*file, *entry);
  }
  if (!entry) return Status::Error(ErrorCode::kNotFound, "no tape file " + TapeFileName(index));
  NoteShownSize(*entry, std::time(nullptr));
  return *entry;
}

Result<UnitStatus> Mount::DriveStatus() {
  TSFS_RETURN_IF_ERROR(Hold());
  auto status = unit_->GetStatus();
  LetGo();
  return status;
}

Result<struct statvfs> Mount::FileSystemStats() {
  TSFS_ASSIGN_OR_RETURN(std::vector<FileEntry> entries, ListFiles());
  UnitStatus status;  // a cartridge not in a drive: no capacity known
  status.block_size = block_size();
  {
    std::lock_guard<std::mutex> hold(hold_mu_);
    if (unit_ != nullptr) status = unit_->KnownStatus();
  }
  struct statvfs sv {};
  const uint64_t bs = status.block_size != 0 ? status.block_size : block_size();
  sv.f_bsize = bs;
  sv.f_frsize = bs;
  if (status.capacity) {
    sv.f_blocks = status.capacity->maximum_bytes / bs;
    sv.f_bfree = status.capacity->remaining_bytes / bs;
    sv.f_bavail = sv.f_bfree;
  }
  sv.f_files = entries.size();
  sv.f_ffree = 0;
  sv.f_favail = 0;
  sv.f_namemax = 255;
  return sv;
}

Status Mount::CheckWritable() {
  if (options_.read_only) return Status::Error(ErrorCode::kReadOnly, "read-only mount");
  auto status = unit_->GetStatus();
  if (status.ok() && status->write_protect) {
    return Status::Error(ErrorCode::kReadOnly, "the tape is write-protected");
  }
  return Status::Ok();
}

Result<OpenFile*> Mount::Open(int index, int flags, pid_t opener) {
  // A cartridge is loaded now; the file keeps the drive until its release.
  TSFS_RETURN_IF_ERROR(Hold());
  auto opened = OpenHeld(index, flags, opener);
  if (!opened.ok()) LetGo();
  return opened;
}

Result<OpenFile*> Mount::OpenHeld(
    int index, int flags,
    pid_t opener) {  // The one look at the drive before the catalog is used: a tape change
  // the drive reports drops the old catalog here.
  TSFS_RETURN_IF_ERROR(unit_->CheckMedium());
  TSFS_ASSIGN_OR_RETURN(FileEntry entry, FindFile(index));
  const int acc = flags & O_ACCMODE;
  Access access = Access::kRead;
  if (acc == O_RDONLY && (flags & O_TRUNC) == 0) {
    access = Access::kRead;
  } else {
    // Like st(4): a descriptor that may write (mt weof opens O_RDWR) is
    // refused on a write-protected tape before anything else.
    TSFS_RETURN_IF_ERROR(CheckWritable());
    if (acc == O_RDWR && (flags & (O_TRUNC | O_APPEND)) == 0) {
      access = Access::kControl;
    } else if (!options_.overwrite) {
      return Status::Error(
          ErrorCode::kPermission,
          TapeFileName(index) + " exists; writing over it needs the mount option overwrite");
    } else {
      access = Access::kOverwrite;
    }
  }
  // A file still being written (its last close has not arrived yet, as
  // right after `cp`) holds the drive: the busy rule waits for it like for
  // any holder (StartWrite and WaitStreamFree below).
  auto file = std::make_unique<OpenFile>(*this, index, access, opener);
  if (access == Access::kOverwrite) {
    TSFS_RETURN_IF_ERROR(file->StartWrite());
  } else {
    // A reader or an mt descriptor takes the stream only when it moves the
    // tape, but an open while another file streams fails here already.
    TSFS_RETURN_IF_ERROR(WaitStreamFree());
    if (access == Access::kRead && !entry.size_known) {
      // The drive cannot tell this file's size (tgtd: no READ POSITION):
      // read it through once now, so that what the opener sees with fstat
      // (tar, rsync and cmp look again after open) is the exact size.
      Status learned = unit_->LearnSize(index);
      if (!learned.ok()) return learned;
    }
  }
  OpenFile* raw = file.get();
  std::lock_guard<std::mutex> lock(mu_);
  files_.emplace(raw, std::move(file));
  return raw;
}

Result<OpenFile*> Mount::Create(int index, int flags, pid_t opener) {
  TSFS_RETURN_IF_ERROR(Hold());
  auto created = CreateHeld(index, flags, opener);
  if (!created.ok()) LetGo();
  return created;
}

Result<OpenFile*> Mount::CreateHeld(int index, int /*flags*/, pid_t opener) {
  TSFS_RETURN_IF_ERROR(unit_->CheckMedium());
  TSFS_RETURN_IF_ERROR(CheckWritable());
  TSFS_ASSIGN_OR_RETURN(std::vector<FileEntry> entries, ListFiles());
  const int next = entries.empty() ? 0 : entries.back().index + 1;
  if (index != next) {
    return Status::Error(
        ErrorCode::kPermission,
        "a new tape file must be named " + TapeFileName(next) + ", not " + TapeFileName(index));
  }
  auto file = std::make_unique<OpenFile>(*this, index, Access::kAppend, opener);
  TSFS_RETURN_IF_ERROR(file->StartWrite());
  OpenFile* raw = file.get();
  std::lock_guard<std::mutex> lock(mu_);
  files_.emplace(raw, std::move(file));
  return raw;
}

void Mount::Release(OpenFile* file) {
  if (file == nullptr) return;
  file->Release();
  std::unique_ptr<OpenFile> owned;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = files_.find(file);
    if (it == files_.end()) return;
    owned = std::move(it->second);
    files_.erase(it);
  }
  owned.reset();
  LetGo();  // the hold the open took
}

Status Mount::DriveIoctl(OpenFile* file, MtOp op, int32_t count) {
  if (file != nullptr) return file->Ioctl(op, count);
  // Through the directory: the drive must be free of data streams.
  TSFS_RETURN_IF_ERROR(Hold());
  const int token = 0;  // a distinct owner for the duration of the call
  Status st = AcquireStream(&token);
  if (st.ok()) {
    st = unit_->Ioctl(op, count);
    ReleaseStream(&token);
    NoteIoctlDone(op, st);
  }
  LetGo();
  return st;
}

void Mount::NoteIoctlDone(MtOp op, const Status& status) {
  if (status.ok() && (op == MtOp::kRewind || op == MtOp::kRetension || op == MtOp::kErase)) {
    wrote_since_rewind_ = false;
  }
}

Status Mount::PrepareRead() {
  if (!wrote_since_rewind_.load()) return Status::Ok();
  TSFS_RETURN_IF_ERROR(unit_->Ioctl(MtOp::kRewind, 1));
  wrote_since_rewind_ = false;
  return Status::Ok();
}

bool Mount::WaitForStream(std::unique_lock<std::mutex>& lock, const void* owner) {
  // The busy rule of mount.h: a holder being released is waited for; one
  // its opener closed with no I/O since gets kClosingWait, any other
  // kBusyWait, then EBUSY.
  auto free = [&] { return stream_owner_ == nullptr || stream_owner_ == owner; };
  auto start = std::chrono::steady_clock::now();
  while (!free()) {
    if (stream_releasing_) {
      stream_free_.wait(lock);
      start = std::chrono::steady_clock::now();
      continue;
    }
    const auto deadline = start + (stream_closed_ ? kClosingWait : kBusyWait);
    if (std::chrono::steady_clock::now() >= deadline) return false;
    stream_free_.wait_until(lock, deadline);
  }
  return true;
}

void Mount::StreamClosed(const void* owner, bool closed) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stream_owner_ != owner || stream_closed_ == closed) return;
    stream_closed_ = closed;
  }
  stream_free_.notify_all();
}

Status Mount::AcquireStream(const void* owner) {
  std::unique_lock<std::mutex> lock(mu_);
  if (shut_down_) return Status::Error(ErrorCode::kIo, "unmounting");
  if (!WaitForStream(lock, owner)) {
    return Status::Error(ErrorCode::kBusy,
                         "the drive is busy: another file is being read or written");
  }
  stream_owner_ = owner;
  return Status::Ok();
}

void Mount::StreamClosing(const void* owner) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stream_owner_ != owner) return;
    stream_releasing_ = true;
  }
  stream_free_.notify_all();
}

void Mount::ReleaseStream(const void* owner) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stream_owner_ != owner) return;
    stream_owner_ = nullptr;
    stream_releasing_ = false;
    stream_closed_ = false;
  }
  stream_free_.notify_all();
}

Status Mount::WaitStreamFree() {
  std::unique_lock<std::mutex> lock(mu_);
  if (!WaitForStream(lock, nullptr)) {
    return Status::Error(ErrorCode::kBusy,
                         "the drive is busy: another file is being read or written");
  }
  return Status::Ok();
}

}  // namespace tsfs::fusefs
