// tsfs-bench-nullfs: the ceiling of FUSE itself on this machine, for
// tests/bench/throughput.sh. A file system with no tape behind it, set up
// as tsfs sets itself up (1 MiB requests, direct_io, no read-ahead, no
// async reads, the same multi-threaded loop), so that mount ÷ null-FUSE
// shows what tsfs costs above FUSE.
//
//   tsfs-bench-nullfs MOUNTPOINT BYTES
//
// file000 reads as BYTES of a fixed pattern; any name can be created or
// opened for writing and swallows what is written (one copy into a 1 MiB
// buffer per request, the copy tsfs makes into its streaming buffer). Runs
// in the foreground until unmounted (fusermount3 -u) or signalled.
#define FUSE_USE_VERSION 314
#include <fuse.h>

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace {

constexpr size_t kRequestBytes = 1 << 20;  // as tsfs (fusefs/mount_options.h)
constexpr const char* kReadName = "/file000";

struct NullFs {
  uint64_t size = 0;
  std::vector<uint8_t> pattern = std::vector<uint8_t>(kRequestBytes);
  std::mutex mu;
  std::map<std::string, uint64_t> written;  // created names and their bytes
};

// One open file: its name and the buffer writes are copied into.
struct OpenNull {
  std::string name;
  bool writing = false;
  std::mutex mu;
  std::vector<uint8_t> sink;
};

NullFs& Fs() { return *static_cast<NullFs*>(fuse_get_context()->private_data); }
OpenNull* Of(struct fuse_file_info* fi) { return reinterpret_cast<OpenNull*>(fi->fh); }

void* Init(struct fuse_conn_info* conn, struct fuse_config* cfg) {
  conn->max_write = kRequestBytes;
  conn->max_read = kRequestBytes;
  conn->max_readahead = 0;
  conn->want &= ~(FUSE_CAP_ASYNC_READ | FUSE_CAP_ASYNC_DIO | FUSE_CAP_WRITEBACK_CACHE);
  if (conn->capable & FUSE_CAP_ATOMIC_O_TRUNC) conn->want |= FUSE_CAP_ATOMIC_O_TRUNC;
  cfg->use_ino = 1;
  cfg->nullpath_ok = 1;
  cfg->direct_io = 1;
  cfg->kernel_cache = 0;
  cfg->attr_timeout = 0;
  cfg->entry_timeout = 0;
  cfg->negative_timeout = 0;
  return fuse_get_context()->private_data;
}

int GetAttr(const char* path, struct stat* st, struct fuse_file_info* fi) {
  // nullpath_ok (as tsfs): an fstat comes with the open file and no path.
  if (path == nullptr) path = fi != nullptr && Of(fi) != nullptr ? Of(fi)->name.c_str() : "";
  std::memset(st, 0, sizeof(*st));
  st->st_blksize = kRequestBytes;  // as tsfs
  if (std::strcmp(path, "/") == 0) {
    st->st_mode = S_IFDIR | 0755;
    st->st_nlink = 2;
    st->st_ino = 1;
    return 0;
  }
  NullFs& fs = Fs();
  st->st_mode = S_IFREG | 0644;
  st->st_nlink = 1;
  if (std::strcmp(path, kReadName) == 0) {
    st->st_size = static_cast<off_t>(fs.size);
    st->st_ino = 2;
    return 0;
  }
  std::lock_guard<std::mutex> lock(fs.mu);
  auto it = fs.written.find(path);
  if (it == fs.written.end()) return -ENOENT;
  st->st_size = static_cast<off_t>(it->second);
  st->st_ino = 3 + static_cast<ino_t>(std::distance(fs.written.begin(), it));
  return 0;
}

int ReadDir(const char* /*path*/, void* buf, fuse_fill_dir_t fill, off_t /*offset*/,
            struct fuse_file_info* /*fi*/, enum fuse_readdir_flags /*flags*/) {
  fill(buf, ".", nullptr, 0, FUSE_FILL_DIR_PLUS);
  fill(buf, "..", nullptr, 0, FUSE_FILL_DIR_PLUS);
  fill(buf, kReadName + 1, nullptr, 0, FUSE_FILL_DIR_PLUS);
  NullFs& fs = Fs();
  std::lock_guard<std::mutex> lock(fs.mu);
  for (const auto& [name, bytes] : fs.written)
    fill(buf, name.c_str() + 1, nullptr, 0, FUSE_FILL_DIR_PLUS);
  return 0;
}

int OpenAs(const char* path, struct fuse_file_info* fi, bool create) {
  auto file = std::make_unique<OpenNull>();
  file->name = path;
  file->writing = (fi->flags & O_ACCMODE) != O_RDONLY;
  if (file->writing) {
    file->sink.resize(kRequestBytes);
    NullFs& fs = Fs();
    std::lock_guard<std::mutex> lock(fs.mu);
    auto it = fs.written.find(path);
    if (it == fs.written.end()) {
      if (!create && std::strcmp(path, kReadName) != 0) return -ENOENT;
      fs.written[path] = 0;
    } else if (fi->flags & O_TRUNC) {
      it->second = 0;
    }
  } else if (std::strcmp(path, kReadName) != 0) {
    return -ENOENT;
  }
  fi->direct_io = 1;
  fi->keep_cache = 0;
  fi->fh = reinterpret_cast<uint64_t>(file.release());
  return 0;
}

int Open(const char* path, struct fuse_file_info* fi) { return OpenAs(path, fi, false); }
int Create(const char* path, mode_t /*mode*/, struct fuse_file_info* fi) {
  return OpenAs(path, fi, true);
}

int Read(const char* /*path*/, char* buf, size_t size, off_t offset,
         struct fuse_file_info* /*fi*/) {
  NullFs& fs = Fs();
  if (offset < 0 || static_cast<uint64_t>(offset) >= fs.size) return 0;
  const size_t n = static_cast<size_t>(std::min<uint64_t>(size, fs.size - offset));
  size_t done = 0;
  while (done < n) {
    const size_t at = (static_cast<size_t>(offset) + done) % kRequestBytes;
    const size_t piece = std::min(n - done, kRequestBytes - at);
    std::memcpy(buf + done, fs.pattern.data() + at, piece);
    done += piece;
  }
  return static_cast<int>(n);
}

int Write(const char* /*path*/, const char* buf, size_t size, off_t offset,
          struct fuse_file_info* fi) {
  OpenNull* file = Of(fi);
  if (file == nullptr || !file->writing) return -EBADF;
  {
    std::lock_guard<std::mutex> lock(file->mu);
    std::memcpy(file->sink.data(), buf, std::min(size, file->sink.size()));
  }
  NullFs& fs = Fs();
  std::lock_guard<std::mutex> lock(fs.mu);
  uint64_t& bytes = fs.written[file->name];
  bytes = std::max<uint64_t>(bytes, static_cast<uint64_t>(offset) + size);
  return static_cast<int>(size);
}

int Truncate(const char* path, off_t size, struct fuse_file_info* fi) {
  NullFs& fs = Fs();
  std::lock_guard<std::mutex> lock(fs.mu);
  const std::string name = fi != nullptr && Of(fi) != nullptr ? Of(fi)->name : path ? path : "";
  auto it = fs.written.find(name);
  if (it == fs.written.end()) return -EPERM;
  it->second = static_cast<uint64_t>(size);
  return 0;
}

int Release(const char* /*path*/, struct fuse_file_info* fi) {
  delete Of(fi);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: tsfs-bench-nullfs MOUNTPOINT BYTES\n");
    return 2;
  }
  NullFs fs;
  fs.size = std::strtoull(argv[2], nullptr, 10);
  for (size_t i = 0; i < fs.pattern.size(); ++i) fs.pattern[i] = static_cast<uint8_t>(i * 131 + 7);

  struct fuse_operations ops {};
  ops.init = Init;
  ops.getattr = GetAttr;
  ops.readdir = ReadDir;
  ops.open = Open;
  ops.create = Create;
  ops.read = Read;
  ops.write = Write;
  ops.truncate = Truncate;
  ops.release = Release;

  std::string program = argv[0];
  std::string dash_o = "-o";
  std::string opts = "fsname=nullfs,subtype=tsfs-bench,max_read=" + std::to_string(kRequestBytes);
  std::vector<char*> fuse_argv = {program.data(), dash_o.data(), opts.data(), nullptr};
  struct fuse_args args = FUSE_ARGS_INIT(3, fuse_argv.data());
  struct fuse* fuse = fuse_new(&args, &ops, sizeof(ops), &fs);
  if (fuse == nullptr) return 1;
  if (fuse_mount(fuse, argv[1]) != 0) {
    fuse_destroy(fuse);
    return 1;
  }
  struct fuse_session* session = fuse_get_session(fuse);
  fuse_set_signal_handlers(session);
  // The loop tsfs runs (fusefs/main.cc).
  struct fuse_loop_config* loop = fuse_loop_cfg_create();
  fuse_loop_cfg_set_clone_fd(loop, 0);
  fuse_loop_cfg_set_idle_threads(loop, 4);
  const int rc = fuse_loop_mt(fuse, loop);
  fuse_loop_cfg_destroy(loop);
  fuse_remove_signal_handlers(session);
  fuse_unmount(fuse);
  fuse_destroy(fuse);
  fuse_opt_free_args(&args);
  return rc == 0 ? 0 : 1;
}
