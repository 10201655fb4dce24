#include "tapecore/transport/chap_secret.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

namespace tsfs {
namespace {

std::string Octal(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Closes the descriptor on every return path.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

Result<std::string> ReadChapSecretFile(const std::string& path) {
  const std::string what = "CHAP secret file " + path;
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY)};
  struct stat st {};
  // (fstat of a descriptor just opened fails only for want of kernel memory.)
  if (f.fd < 0 || ::fstat(f.fd, &st) != 0) {
    return Status::Error(ErrorCode::kNotFound, what + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::Error(ErrorCode::kPermission, what + ": not a regular file");
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return Status::Error(ErrorCode::kPermission,
                         what + ": mode " + Octal(st.st_mode) +
                             " lets group or others read or change it; refused (chmod 600 " + path +
                             ")");
  }
  if (st.st_uid != 0 && st.st_uid != ::geteuid()) {
    return Status::Error(ErrorCode::kPermission, what + ": owned by uid " +
                                                     std::to_string(st.st_uid) +
                                                     ", neither root nor the caller; refused");
  }
  std::string text;
  char buf[512];
  for (;;) {
    // A signal interrupts no read of a regular file on a local file system;
    // one that does (EINTR on a network file system) fails the mount plainly.
    const ssize_t n = ::read(f.fd, buf, sizeof(buf));
    if (n < 0) return Status::Error(ErrorCode::kIo, what + ": " + std::strerror(errno));
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 4 * kMaxChapSecretBytes) break;  // enough to know it is too long
  }
  const size_t nl = text.find('\n');
  std::string secret = text.substr(0, nl);
  if (!secret.empty() && secret.back() == '\r') secret.pop_back();
  // Leave no copy of the whole file behind in freed memory.
  std::fill(text.begin(), text.end(), '\0');
  std::fill(buf, buf + sizeof(buf), '\0');
  if (secret.empty()) {
    return Status::Error(ErrorCode::kConfig, what + ": empty (the secret is the first line)");
  }
  if (secret.size() > kMaxChapSecretBytes) {
    return Status::Error(ErrorCode::kConfig, what + ": the first line is longer than " +
                                                 std::to_string(kMaxChapSecretBytes) + " bytes");
  }
  if (secret.find('\0') != std::string::npos) {
    return Status::Error(ErrorCode::kConfig, what + ": the secret holds a NUL byte");
  }
  return secret;
}

}  // namespace tsfs
