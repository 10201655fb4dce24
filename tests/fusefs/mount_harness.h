// Test harness for real tsfs mounts: run shell commands (real cp, tar, dd,
// mt ...), start `tsfs` as a user would (it detaches once the mount is
// ready), unmount with fusermount3 and wait for the daemon to finish its
// filemarks and rewind. Header-only because only *_test.cc files are built
// into fusefs_tests.
//
// Every TsfsMount unmounts in its destructor, also when a test failed; a
// TempDir removes itself after that. Not thread-safe (one test, one thread).
#pragma once

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace tsfs::fusefs_test {

inline std::string TsfsBinary() { return std::string(TSFS_BINARY_DIR) + "/fusefs/tsfs"; }
inline std::string TstapeBinary() {
  return std::string(TSFS_BINARY_DIR) + "/tapecore/tstape/tstape";
}

// 'text' quoted for /bin/sh.
inline std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

inline std::string ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct ShellResult {
  int status = -1;  // exit status; 128+N when killed by signal N
  std::string out;
  std::string err;
  bool ok() const { return status == 0; }
};

inline std::ostream& operator<<(std::ostream& os, const ShellResult& r) {
  return os << "status " << r.status << "\nstdout: " << r.out << "\nstderr: " << r.err;
}

// Runs `command` with /bin/sh under timeout(1); PATH gets the build's
// fusefs/ and tstape/ directories first.
inline ShellResult Sh(const std::string& command, int timeout_s = 180) {
  char out_path[] = "/tmp/tsfs-sh-out-XXXXXX";
  char err_path[] = "/tmp/tsfs-sh-err-XXXXXX";
  const int out_fd = mkstemp(out_path);
  const int err_fd = mkstemp(err_path);
  ShellResult r;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out_fd, STDOUT_FILENO);
    dup2(err_fd, STDERR_FILENO);
    const int null_fd = open("/dev/null", O_RDONLY);
    dup2(null_fd, STDIN_FILENO);
    const std::string path =
        std::string(TSFS_BINARY_DIR) + "/fusefs:" + TSFS_BINARY_DIR +
        "/tapecore/tstape:" + (getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path.c_str(), 1);
    setenv("LC_ALL", "C", 1);
    const std::string t = std::to_string(timeout_s);
    execl("/usr/bin/timeout", "timeout", "-k", "5", t.c_str(), "/bin/sh", "-c", command.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int wstatus = 0;
  while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
  }
  r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  close(out_fd);
  close(err_fd);
  r.out = ReadWholeFile(out_path);
  r.err = ReadWholeFile(err_path);
  unlink(out_path);
  unlink(err_path);
  return r;
}

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/tsfs-test-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() { Sh("rm -rf " + Quote(path_)); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// True when `mountpoint` is a mounted fuse.tsfs file system.
inline bool IsTsfsMounted(const std::string& mountpoint) {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string id, parent, dev, root, mnt;
    f >> id >> parent >> dev >> root >> mnt;
    if (mnt != mountpoint) continue;
    const size_t sep = line.find(" - ");
    if (sep != std::string::npos && line.compare(sep + 3, 9, "fuse.tsfs") == 0) return true;
  }
  return false;
}

// Pids of running (not zombie) tsfs processes with `mountpoint` among their
// arguments.
inline std::vector<pid_t> TsfsDaemons(const std::string& mountpoint) {
  std::vector<pid_t> pids;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return pids;
  while (dirent* e = readdir(proc)) {
    const pid_t pid = static_cast<pid_t>(std::atoi(e->d_name));
    if (pid <= 0) continue;
    const std::string base = std::string("/proc/") + e->d_name;
    const std::string stat = ReadWholeFile(base + "/stat");
    const size_t paren = stat.rfind(')');
    if (paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] == 'Z') continue;
    const std::string cmdline = ReadWholeFile(base + "/cmdline");
    std::vector<std::string> argv;
    std::string cur;
    for (char c : cmdline) {
      if (c == '\0') {
        argv.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (argv.empty()) continue;
    const std::string& prog = argv[0];
    if (prog.size() < 4 || prog.compare(prog.size() - 4, 4, "tsfs") != 0) continue;
    for (size_t i = 1; i < argv.size(); ++i) {
      if (argv[i] == mountpoint) {
        pids.push_back(pid);
        break;
      }
    }
  }
  closedir(proc);
  return pids;
}

// Reaps exited daemons adopted by this process (see TsfsMount).
inline void ReapChildren() {
  while (waitpid(-1, nullptr, WNOHANG) > 0) {
  }
}

// Waits until no tsfs daemon serves `mountpoint` (its filemarks and rewind
// are done). False after `timeout`.
inline bool WaitDaemonGone(const std::string& mountpoint,
                           std::chrono::seconds timeout = std::chrono::seconds(60)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    ReapChildren();
    if (TsfsDaemons(mountpoint).empty()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

// One tsfs mount, started the way a user starts it.
class TsfsMount {
 public:
  TsfsMount(std::string source, std::string mountpoint, std::string options = "")
      : source_(std::move(source)),
        mountpoint_(std::move(mountpoint)),
        options_(std::move(options)) {
    // Daemons detach from their parent tsfs; adopting them lets the test
    // reap them instead of leaving zombies.
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    mkdir(mountpoint_.c_str(), 0755);
  }
  ~TsfsMount() {
    if (IsTsfsMounted(mountpoint_)) {
      if (!Sh("fusermount3 -u " + Quote(mountpoint_)).ok())
        Sh("fusermount3 -u -z " + Quote(mountpoint_));
    }
    if (!WaitDaemonGone(mountpoint_, std::chrono::seconds(30))) {
      for (pid_t pid : TsfsDaemons(mountpoint_)) kill(pid, SIGKILL);
      WaitDaemonGone(mountpoint_, std::chrono::seconds(5));
    }
  }
  TsfsMount(const TsfsMount&) = delete;
  TsfsMount& operator=(const TsfsMount&) = delete;

  const std::string& mountpoint() const { return mountpoint_; }
  std::string operator/(const std::string& name) const { return mountpoint_ + "/" + name; }

  // `tsfs SOURCE MOUNTPOINT [-o OPTIONS]`; when it returns 0 the mount is
  // there (no polling: tsfs returns only once it is ready).
  ShellResult Mount() {
    std::string cmd = Quote(TsfsBinary()) + " " + Quote(source_) + " " + Quote(mountpoint_);
    if (!options_.empty()) cmd += " -o " + Quote(options_);
    return Sh(cmd, 120);
  }
  // fusermount3 -u, then waits for the daemon to finish (filemarks, rewind).
  ShellResult Unmount() {
    ShellResult r = Sh("fusermount3 -u " + Quote(mountpoint_));
    if (r.ok() && !WaitDaemonGone(mountpoint_)) {
      r.status = 1;
      r.err += "tsfs did not exit after the unmount";
    }
    return r;
  }
  bool mounted() const { return IsTsfsMounted(mountpoint_); }

 private:
  std::string source_;
  std::string mountpoint_;
  std::string options_;
};

// A file of `size` pseudo-random bytes (seeded: reproducible).
inline void MakeDataFile(const std::string& path, size_t size, unsigned seed) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  uint64_t x = 0x9E3779B97F4A7C15ull * (seed + 1);
  std::string buf;
  buf.reserve(1 << 16);
  for (size_t i = 0; i < size; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    buf.push_back(static_cast<char>(x & 0xFF));
    if (buf.size() == buf.capacity()) {
      out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
      buf.clear();
    }
  }
  out.write(buf.data(), static_cast<std::streamsize>(buf.size()));
}

inline uint64_t Padded(uint64_t size, uint64_t block = 512) {
  return (size + block - 1) / block * block;
}

// `ls -l` of the mount as name -> size.
inline std::vector<std::pair<std::string, uint64_t>> ListSizes(const std::string& dir) {
  std::vector<std::pair<std::string, uint64_t>> out;
  const ShellResult r = Sh("ls -l " + Quote(dir));
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string mode, links, user, group, size, mon, day, time, name;
    if (!(f >> mode >> links >> user >> group >> size >> mon >> day >> time >> name)) continue;
    out.emplace_back(name, std::stoull(size));
  }
  return out;
}

}  // namespace tsfs::fusefs_test
