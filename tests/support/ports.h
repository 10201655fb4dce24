// Free loopback TCP ports and private numbers (tgtd control ports) for
// fixtures that run in parallel processes (ctest -j2).
//
// A reservation is a bind test plus an exclusive flock on a file in
// /tmp/tsfs-test-ports, held until the reservation is destroyed (or the
// process dies), so two tests never pick the same number even in the window
// before their daemon binds it. Movable, not copyable.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "tapecore/status.h"

namespace tsfs::testing {

class Reservation final {
 public:
  // A TCP port in [20000, 32000) that nothing listens on at 127.0.0.1.
  static Result<Reservation> TcpPort();
  // A number in [lo, hi) from namespace `kind` for which `usable(n)` is true.
  static Result<Reservation> Number(const std::string& kind, int lo, int hi,
                                    const std::function<bool(int)>& usable);

  Reservation() = default;
  Reservation(Reservation&& other) noexcept;
  Reservation& operator=(Reservation&& other) noexcept;
  Reservation(const Reservation&) = delete;
  Reservation& operator=(const Reservation&) = delete;
  ~Reservation();

  int value() const { return value_; }

 private:
  int value_ = -1;
  int lock_fd_ = -1;
};

// True when something accepts TCP connections on 127.0.0.1:port.
bool CanConnect(uint16_t port);

}  // namespace tsfs::testing
