// Killing tsfs with SIGKILL and checking what a crash left: the helpers of
// the kill -9 tests (exact_data_test's KillAfterCloseTest, the random
// points of crash_consistency_test). Header-only (see mount_harness.h).
// Not thread-safe.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/fusefs/mount_harness.h"

namespace tsfs::fusefs_test {

// "file007".
inline std::string TapeFile(size_t index) {
  char name[16];
  std::snprintf(name, sizeof name, "file%03zu", index);
  return name;
}

// `command` under /bin/sh, not waited for (PATH as Sh gives it). The pid,
// for KillTsfs.
inline pid_t StartSh(const std::string& command) {
  const pid_t pid = fork();
  if (pid == 0) {
    const int null_fd = open("/dev/null", O_RDWR);
    dup2(null_fd, STDIN_FILENO);
    dup2(null_fd, STDOUT_FILENO);
    dup2(null_fd, STDERR_FILENO);
    const std::string path = std::string(TSFS_BINARY_DIR) +
                             "/fusefs:" + (getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    setenv("PATH", path.c_str(), 1);
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

// SIGKILL to every tsfs serving `mountpoint`, at once. Then `op` (a program
// from StartSh working on the mount, or -1) is waited for: with its file
// system gone it ends with ENOTCONN, or with 0 when it had finished before.
// Last the dead mount is lazily unmounted. Returns op's exit status (128+N
// for signal N, -1 without op). The daemons are reaped only after op, so
// that op's status is not taken by ReapChildren.
// A dying process's command line is emptied before its files are closed
// (the kernel releases its memory first), so TsfsDaemons stops finding it
// while it still holds the image's lock. True once each pid is gone or a
// zombie (its files closed).
inline bool WaitPidsExited(const std::vector<pid_t>& pids, std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (pid_t pid : pids) {
    for (;;) {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string line;
      if (!std::getline(stat, line)) break;  // gone
      const size_t paren = line.rfind(')');
      if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z') break;
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  return true;
}

inline int KillTsfs(const std::string& mountpoint, pid_t op = -1) {
  const std::vector<pid_t> daemons = TsfsDaemons(mountpoint);
  for (pid_t pid : daemons) kill(pid, SIGKILL);
  int status = -1;
  if (op > 0) {
    int wstatus = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    pid_t r = 0;
    while ((r = waitpid(op, &wstatus, WNOHANG)) == 0 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (r == 0) {  // still running: it must not outlive the test
      kill(op, SIGKILL);
      waitpid(op, &wstatus, 0);
    }
    status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
  }
  EXPECT_TRUE(WaitDaemonGone(mountpoint, std::chrono::seconds(10))) << "tsfs survived SIGKILL";
  EXPECT_TRUE(WaitPidsExited(daemons, std::chrono::seconds(10))) << "tsfs did not exit";
  Sh("fusermount3 -u -z " + Quote(mountpoint));
  return status;
}

// A file whose close(2) returned 0: the tape must give it back byte for byte.
struct ClosedFile {
  std::string name;    // "file003"
  std::string source;  // the original
  size_t size = 0;
};

// Every closed file is listed with its padded size and reads back as
// written (cmp of the original's length; the rest of the last block is
// zeros by the ts rule).
inline void ExpectClosedFilesIntact(const std::string& mountpoint,
                                    const std::vector<ClosedFile>& files) {
  const auto listed = ListSizes(mountpoint);
  for (const ClosedFile& f : files) {
    bool found = false;
    for (const auto& [name, size] : listed) {
      if (name != f.name) continue;
      found = true;
      EXPECT_EQ(size, Padded(f.size)) << f.name;
    }
    EXPECT_TRUE(found) << f.name << " is gone after kill -9";
    EXPECT_TRUE(Sh("cmp -n " + std::to_string(f.size) + " " + Quote(f.source) + " " +
                   Quote(mountpoint + "/" + f.name))
                    .ok())
        << f.name << " lost bytes after kill -9";
  }
}

// A SIMH .tap image as a small independent reader sees it (open-simh tape
// image format: 32-bit little-endian length, data, a pad byte when odd,
// the length again; 0 a tape mark; 0xFFFFFFFF end of medium; 0xFFFFFFFE
// an erase gap; class 8 a bad record).
struct SimhImage {
  bool valid = false;      // every whole object well formed
  bool torn_tail = false;  // the file ends inside an object (a crash while writing)
  std::string error;
  std::vector<std::vector<uint32_t>> files;  // record lengths of each tape file
  std::vector<uint32_t> open_file;           // records after the last tape mark
};

inline SimhImage ReadSimhImage(const std::string& path) {
  SimhImage img;
  const std::string bytes = ReadWholeFile(path);
  auto le32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<uint8_t>(bytes[at])) |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 1])) << 8 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 2])) << 16 |
           static_cast<uint32_t>(static_cast<uint8_t>(bytes[at + 3])) << 24;
  };
  size_t off = 0;
  while (off < bytes.size()) {
    if (bytes.size() - off < 4) {
      img.torn_tail = true;
      break;
    }
    const uint32_t head = le32(off);
    if (head == 0) {
      img.files.push_back(std::move(img.open_file));
      img.open_file.clear();
      off += 4;
      continue;
    }
    if (head == 0xFFFFFFFFu) break;
    if (head == 0xFFFFFFFEu) {
      off += 4;
      continue;
    }
    const uint32_t cls = head >> 28;
    const uint32_t len = head & 0x0FFFFFFFu;
    if (cls != 0 && cls != 8) {
      img.error = "record class " + std::to_string(cls) + " at offset " + std::to_string(off);
      return img;
    }
    const size_t padded = len + (len & 1u);
    if (bytes.size() - off < 8 + padded) {
      img.torn_tail = true;
      break;
    }
    if (le32(off + 4 + padded) != head) {
      img.error = "trailing length differs at offset " + std::to_string(off);
      return img;
    }
    img.open_file.push_back(len);
    off += 8 + padded;
  }
  img.valid = true;
  return img;
}

inline std::ostream& operator<<(std::ostream& os, const SimhImage& img) {
  os << (img.valid ? "valid" : "INVALID: " + img.error) << (img.torn_tail ? ", torn tail" : "")
     << ", " << img.files.size() << " files with a tape mark";
  if (!img.open_file.empty()) os << ", " << img.open_file.size() << " records after the last";
  return os;
}

// Tape files on the image, the last one counted also without its tape mark.
inline size_t TapeFiles(const SimhImage& img) {
  return img.files.size() + (img.open_file.empty() ? 0 : 1);
}

// What tsfs writes: every record one 512-byte block.
inline bool AllRecordsAreBlocks(const SimhImage& img) {
  for (const auto& f : img.files) {
    for (uint32_t len : f) {
      if (len != 512) return false;
    }
  }
  for (uint32_t len : img.open_file) {
    if (len != 512) return false;
  }
  return true;
}

}  // namespace tsfs::fusefs_test
