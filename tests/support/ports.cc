#include "tests/support/ports.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <utility>

namespace tsfs::testing {
namespace {

constexpr const char* kLockDir = "/tmp/tsfs-test-ports";
constexpr int kAttempts = 200;

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

bool CanBind(int port) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  // SO_REUSEADDR as the daemons set it: a port in TIME_WAIT is usable for them.
  int one = 1;
  ::setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a = Loopback(static_cast<uint16_t>(port));
  bool ok = ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(s);
  return ok;
}

}  // namespace

Result<Reservation> Reservation::Number(const std::string& kind, int lo, int hi,
                                        const std::function<bool(int)>& usable) {
  ::mkdir(kLockDir, 01777);
  std::random_device seed;
  std::mt19937 gen(seed());
  std::uniform_int_distribution<int> pick(lo, hi - 1);
  for (int i = 0; i < kAttempts; ++i) {
    int n = pick(gen);
    std::string path = std::string(kLockDir) + "/" + kind + "-" + std::to_string(n) + ".lock";
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) continue;
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      continue;
    }
    if (!usable(n)) {
      ::close(fd);
      continue;
    }
    Reservation r;
    r.value_ = n;
    r.lock_fd_ = fd;
    return r;
  }
  return Status::Error(ErrorCode::kBusy, "no free " + kind + " number in [" + std::to_string(lo) +
                                             ", " + std::to_string(hi) + ")");
}

Result<Reservation> Reservation::TcpPort() { return Number("tcp", 20000, 32000, CanBind); }

Reservation::Reservation(Reservation&& other) noexcept
    : value_(std::exchange(other.value_, -1)), lock_fd_(std::exchange(other.lock_fd_, -1)) {}

Reservation& Reservation::operator=(Reservation&& other) noexcept {
  if (this != &other) {
    if (lock_fd_ >= 0) ::close(lock_fd_);
    value_ = std::exchange(other.value_, -1);
    lock_fd_ = std::exchange(other.lock_fd_, -1);
  }
  return *this;
}

Reservation::~Reservation() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

bool CanConnect(uint16_t port) {
  int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return false;
  sockaddr_in a = Loopback(port);
  bool ok = ::connect(s, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  ::close(s);
  return ok;
}

}  // namespace tsfs::testing
